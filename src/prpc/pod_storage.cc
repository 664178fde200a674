#include "prpc/pod_storage.h"

#include <mutex>
#include <utility>

namespace pnode::prpc {
namespace {

constexpr size_t kMaxHeld = 2;  // large parses run one at a time (parse.cc): one filling, one merging

struct Pool {
  std::mutex mutex;
  std::vector<std::vector<model::Pod>> held;
};

Pool& pool() {
  static Pool instance;
  return instance;
}

}  // namespace

std::vector<model::Pod> take_pod_storage(size_t count) {
  if (count < kPooledFromPods) return {};
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  for (auto it = p.held.begin(); it != p.held.end(); ++it) {
    if (it->capacity() < count || it->capacity() / 2 > count) continue;
    std::vector<model::Pod> out = std::move(*it);
    p.held.erase(it);
    return out;
  }
  return {};
}

void give_back_pod_storage(std::vector<model::Pod>&& storage) {
  if (storage.capacity() < kPooledFromPods) return;
  std::vector<model::Pod> dropped;
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  if (p.held.size() < kMaxHeld) p.held.push_back(std::move(storage));
  else dropped = std::move(storage);  // freed after the lock is released
}

void release_pod_storage() {
  std::vector<std::vector<model::Pod>> dropped;
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  dropped.swap(p.held);
}

size_t held_pod_storage() {
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  return p.held.size();
}

}  // namespace pnode::prpc
