// PageCache: bodies of one parameterised route (e.g. /pnodes pages) for the current
// snapshot, keyed by the normalised query, at most `capacity` of them and `max_bytes` of
// template and body text (least recently used goes first; a body larger than the budget
// is served but not kept), so clients asking for many large pages cannot grow it past
// the budget. Each is a BodyTemplate serialised once per snapshot and key and
// re-stamped at most once per second (see stamped_body.h), so a repeated query costs a
// map lookup and a pointer copy. A new snapshot empties the cache, so it never holds an
// old snapshot's pages or keeps that snapshot alive.
// Thread-safety: get() may be called concurrently from any thread. One mutex guards the
// map; templates are built and rendered outside it (two threads racing on the same new
// key may both build; one result is kept).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "api/stamped_body.h"
#include "model/snapshot.h"

namespace pnode::api {

class PageCache {
 public:
  static constexpr size_t kDefaultMaxBytes = 32u << 20;
  explicit PageCache(size_t capacity = 64, size_t max_bytes = kDefaultMaxBytes)
      : capacity_(capacity), max_bytes_(max_bytes) {}

  // The body for (snapshot, key) at `now`; build(const Snapshot&) -> BodyTemplate (a
  // finished one) runs when the cache holds no template for that pair.
  template <class Build>
  std::shared_ptr<const std::string> get(const std::shared_ptr<const model::Snapshot>& snapshot,
                                         const std::string& key, int64_t now, Build&& build) const {
    std::shared_ptr<const BodyTemplate> source;
    {
      std::lock_guard lock(mutex_);
      reset_if_new_locked(snapshot);
      auto it = entries_.find(key);
      if (it != entries_.end()) {
        it->second.used = ++tick_;
        if (it->second.now == now) return it->second.body;
        source = it->second.source;
      }
    }
    if (!source) source = std::make_shared<const BodyTemplate>(build(*snapshot));
    auto body = std::make_shared<const std::string>(source->render(now));
    std::lock_guard lock(mutex_);
    reset_if_new_locked(snapshot);
    store_locked(key, Entry{source, now, body, ++tick_, source->size() + body->size()});
    return body;
  }

  size_t size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }
  size_t capacity() const { return capacity_; }
  // The text the kept entries hold (tests).
  size_t bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
  }

 private:
  struct Entry {
    std::shared_ptr<const BodyTemplate> source;
    int64_t now = 0;
    std::shared_ptr<const std::string> body;
    uint64_t used = 0;
    size_t bytes = 0;  // the template's and the body's text
  };

  void reset_if_new_locked(const std::shared_ptr<const model::Snapshot>& snapshot) const {
    if (!snapshot_.owner_before(snapshot) && !snapshot.owner_before(snapshot_) && !snapshot_.expired()) return;
    entries_.clear();
    bytes_ = 0;
    snapshot_ = snapshot;
  }

  void store_locked(const std::string& key, Entry entry) const {
    if (auto it = entries_.find(key); it != entries_.end()) {
      bytes_ -= it->second.bytes;
      entries_.erase(it);
    }
    if (entry.bytes > max_bytes_) return;
    while (!entries_.empty() && (entries_.size() >= capacity_ || bytes_ + entry.bytes > max_bytes_)) {
      auto oldest = entries_.begin();
      for (auto it = entries_.begin(); it != entries_.end(); ++it)
        if (it->second.used < oldest->second.used) oldest = it;
      bytes_ -= oldest->second.bytes;
      entries_.erase(oldest);
    }
    bytes_ += entry.bytes;
    entries_.emplace(key, std::move(entry));
  }

  size_t capacity_;
  size_t max_bytes_;
  mutable std::mutex mutex_;
  mutable std::weak_ptr<const model::Snapshot> snapshot_;
  mutable std::unordered_map<std::string, Entry> entries_;
  mutable uint64_t tick_ = 0;
  mutable size_t bytes_ = 0;
};

}  // namespace pnode::api
