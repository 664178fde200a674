// AvailabilityRecorder: turns each finished probe round into availability
// (analysis/availability.h) and history. Fed on the prober's thread (Prober's round
// listener), so the seeds' cycle never waits for it: it advances the pods' sessions,
// writes the round's probes and the changed sessions to the store in one transaction
// (with retention), and publishes the pods' summaries, which the collector puts in its
// next snapshot. A failed write is logged; the sessions it carried go with the next
// write (the probes of that round are lost); while writes keep failing, at most
// max_unwritten() such sessions wait, the ended ones making room first (the oldest-ended
// first), so each pod's newest state is the last to go. On restart restore() reloads the
// sessions of the last 30 days, and each pod's open session continues. A recorder that
// recorded no round in the last kReloadAfterSeconds (the first round of this process, or
// an instance that just took the collector lease over) reloads them again before the
// round, so it continues what another instance wrote meanwhile.
// Thread-safety: record() and restore() from one thread at a time (they serialise on a
// mutex); current() and unwritten_sessions() from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "analysis/availability.h"
#include "collect/leadership.h"
#include "model/availability.h"
#include "model/probe.h"
#include "store/store.h"
#include "util/result.h"

namespace pnode::collect {

struct AvailabilityConfig {
  analysis::AvailabilityRules rules;    // max_pods: REGISTRY_MAX_NODES (app/serve.cc)
  int64_t probe_retention_days = 7;     // probe history kept (PROBE_HISTORY_DAYS)
  int64_t session_retention_days = 30;  // ended sessions kept (RETENTION_DAYS, at least 30)
};

inline constexpr int64_t kReloadAfterSeconds = 120;

// The probe history rows of a round (denied probes, which sent nothing, are left out).
std::vector<store::ProbeRecord> probe_records(const model::ProbeRound& round);

class AvailabilityRecorder {
 public:
  // `store` may be null (nothing is written); a read-only store is not written to.
  AvailabilityRecorder(store::Store* store, AvailabilityConfig config);

  // Loads the sessions of the 30 days before `now` and publishes their summaries.
  Status restore(int64_t now);
  void record(const model::ProbeRound& round);
  // With several instances: the fence each round's write carries (Leadership); a round
  // recorded without the lease is not written, and its sessions wait like a failed
  // write's. Unset: the only instance, unfenced. Before the first record().
  void set_write_fence(WriteFence fence) { fence_ = std::move(fence); }
  std::shared_ptr<const model::AvailabilityTable> current() const { return table_.load(std::memory_order_acquire); }
  // Changed sessions waiting for a write that succeeds.
  size_t unwritten_sessions() const;
  // Twice the pods followed (rules.max_pods): a round ends at most one session of a pod
  // and changes its open one, so every followed pod's open session fits with as many
  // ended ones, while a failing store (database down, disk full) can no longer grow it
  // round after round. At the default REGISTRY_MAX_NODES that is 200,000 sessions, about
  // 50 MB; one failed round over that many pods holds half of it already.
  size_t max_unwritten() const { return 2 * config_.rules.max_pods; }

 private:
  bool writable() const { return store_ && store_->read_only_reason().empty(); }
  // The stored sessions since `now` - 30 days, with the unwritten ones over them, into the
  // tracker (mutex_ held).
  Status reload_sessions(int64_t now);
  // Drops the unwritten sessions beyond max_unwritten(): the ended ones first, the
  // oldest-ended first, then open ones by oldest last probe (mutex_ held).
  void bound_unwritten();

  store::Store* store_;
  const AvailabilityConfig config_;
  mutable std::mutex mutex_;  // guards tracker_, unwritten_ and dropped_unwritten_
  analysis::AvailabilityTracker tracker_;
  // Changed sessions a failed write did not store, by (address, started_at).
  std::map<std::pair<std::string, int64_t>, model::AvailabilitySession> unwritten_;
  size_t dropped_unwritten_ = 0;  // sessions bound_unwritten() dropped since the last write that succeeded
  int64_t last_recorded_ = 0;  // finished_at of the last round recorded (0: none yet)
  WriteFence fence_;
  std::atomic<std::shared_ptr<const model::AvailabilityTable>> table_;
};

}  // namespace pnode::collect
