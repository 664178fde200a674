// What one collector cycle reports, for logs and metrics: whether it produced a
// snapshot, how long it and its store write took, why it failed, and the snapshot; and
// the collector's standing, for /health: how many seeds answered, and for how many
// cycles in a row too few did.
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "model/snapshot.h"

namespace pnode::model {

struct CycleStats {
  uint64_t cycle = 0;
  bool ok = false;
  bool inconclusive = false;  // too few seeds answered: nothing was published or written
  double duration_ms = 0;
  double store_ms = 0;
  std::string error;  // why the cycle or the store write failed
  std::shared_ptr<const Snapshot> snapshot;
};

// The collector's standing after its latest cycle. A cycle is conclusive when at least
// `quorum` of the configured seeds answered; an inconclusive one publishes nothing.
struct CollectionStatus {
  int64_t seeds_total = 0;
  int64_t seeds_answered = 0;
  int64_t quorum = 0;
  int64_t inconclusive_cycles = 0;  // in a row, up to the latest cycle; 0 after a conclusive one
};

}  // namespace pnode::model
