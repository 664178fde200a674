// SnapshotHub: the one place where the collector publishes each new Snapshot and every
// request handler picks up the current one. Readers get a shared_ptr they keep for the
// whole request, so a publication in the middle of a request never changes what that
// request sees, and the old snapshot is freed when its last reader lets go.
// Thread-safety: publish() and current() may be called from any thread at any time;
// readers never take a lock and never wait for the collector.
#pragma once

#include <atomic>
#include <memory>

#include "model/snapshot.h"

namespace pnode::api {

class SnapshotHub {
 public:
  using SnapshotPtr = std::shared_ptr<const model::Snapshot>;

  SnapshotHub() = default;
  explicit SnapshotHub(SnapshotPtr initial) : current_(std::move(initial)) {}
  SnapshotHub(const SnapshotHub&) = delete;
  SnapshotHub& operator=(const SnapshotHub&) = delete;

  // Makes `snapshot` the one new requests see (null withdraws it: "not available").
  void publish(SnapshotPtr snapshot) {
    current_.store(std::move(snapshot), std::memory_order_release);
    generation_.fetch_add(1, std::memory_order_acq_rel);
  }

  // The latest published snapshot, or null before the first one.
  SnapshotPtr current() const { return current_.load(std::memory_order_acquire); }

  // How many times publish() has been called; lets caches notice a new snapshot cheaply.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  std::atomic<SnapshotPtr> current_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace pnode::api
