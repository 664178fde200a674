// What one collector cycle reports, for logs and metrics: whether it produced a
// snapshot, how long it and its store write took, why it failed, and the snapshot; and
// the collector's standing, for /health: how many seeds answered, for how many cycles in
// a row too few did, and whether the store takes its writes.
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "model/snapshot.h"

namespace pnode::model {

// Why a leader's cycle was not written because of the collector lease: the local deadline
// passed before the write (the instance knew it was no longer leader), or the store's
// fence check refused a lease that had expired or passed on (ErrorCode::kNotLeader).
enum class LeaseRefusal { kNone, kLocal, kFenced };

struct CycleStats {
  uint64_t cycle = 0;
  bool ok = false;
  bool inconclusive = false;  // too few seeds answered: nothing was published or written
  bool follower = false;      // another instance holds the collector lease: nothing was polled
  double duration_ms = 0;
  double store_ms = 0;
  std::string error;  // why the cycle or the store write failed
  LeaseRefusal lease_refusal = LeaseRefusal::kNone;
  std::shared_ptr<const Snapshot> snapshot;
};

// The store's standing, as the collector's writes found it. While writes fail the
// snapshot is still served from memory and what each cycle should have written waits for
// the next write that succeeds (`pending_cycles`).
struct StoreStatus {
  std::string read_only_reason;  // non-empty: the store was opened read-only, nothing is written
  int64_t failing_since = 0;     // unix s of the first failed write of the current run; 0 = writes succeed
  int64_t failed_writes = 0;     // in a row, up to the latest cycle
  std::string error_kind;        // of the latest failure: "disk_full", "read_only", "io_error", ...
  int64_t pending_cycles = 0;    // cycles waiting to be written
};

// The collector's standing after its latest cycle. A cycle is conclusive when at least
// `quorum` of the configured seeds answered; an inconclusive one publishes nothing.
struct CollectionStatus {
  int64_t seeds_total = 0;
  int64_t seeds_answered = 0;
  int64_t quorum = 0;
  int64_t inconclusive_cycles = 0;  // in a row, up to the latest cycle; 0 after a conclusive one
  StoreStatus store;
  // With several instances on one store: "leader" (this instance collects), "follower",
  // or "sole" (a store only this process uses); empty when not known.
  std::string role;
  std::optional<int64_t> lease_epoch;  // the leader's fencing epoch
};

}  // namespace pnode::model
