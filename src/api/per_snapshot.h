// PerSnapshot<T>: a value derived from a Snapshot, computed by the first request that
// needs it for that snapshot and then shared by every later request until the next
// snapshot is published (e.g. the /pnodes network_stats block). Keeps the rule "derive
// once per cycle, not once per request" for things the collector does not precompute.
// The memo holds only a weak reference to its snapshot, so it never keeps an old one
// alive, and identity is by ownership, so a new snapshot allocated at the old one's
// address is never mistaken for it.
// Thread-safety: get() may be called concurrently from any thread without locks; two
// threads racing on a new snapshot may both compute the value (one result is kept).
#pragma once

#include <atomic>
#include <memory>
#include <utility>

#include "model/snapshot.h"

namespace pnode::api {

template <class T>
class PerSnapshot {
 public:
  // The value for `snapshot` (non-null), computing it with compute(const Snapshot&) -> T
  // when this memo holds none for that snapshot yet.
  template <class Compute>
  std::shared_ptr<const T> get(const std::shared_ptr<const model::Snapshot>& snapshot, Compute&& compute) const {
    std::shared_ptr<const Entry> entry = slot_.load(std::memory_order_acquire);
    if (!entry || !same_owner(entry->snapshot, snapshot)) {
      auto fresh = std::make_shared<const Entry>(Entry{snapshot, compute(*snapshot)});
      slot_.store(fresh, std::memory_order_release);
      entry = std::move(fresh);
    }
    return std::shared_ptr<const T>(entry, &entry->value);
  }

  // Whether a value was ever computed (a route was asked for): what Api::prepare() warms.
  bool in_demand() const { return slot_.load(std::memory_order_acquire) != nullptr; }
  // Installs a value computed ahead of time for `snapshot`.
  void put(const std::shared_ptr<const model::Snapshot>& snapshot, T value) const {
    slot_.store(std::make_shared<const Entry>(Entry{snapshot, std::move(value)}), std::memory_order_release);
  }

 private:
  struct Entry {
    std::weak_ptr<const model::Snapshot> snapshot;
    T value;
  };

  static bool same_owner(const std::weak_ptr<const model::Snapshot>& a,
                         const std::shared_ptr<const model::Snapshot>& b) {
    return !a.owner_before(b) && !b.owner_before(a);
  }

  mutable std::atomic<std::shared_ptr<const Entry>> slot_;
};

}  // namespace pnode::api
