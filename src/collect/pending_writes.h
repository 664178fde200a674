// PendingWrites: what failed store writes left unwritten, so that the next write that
// succeeds carries all of it (after a full disk nothing is lost once space returns).
// Registry rows are remembered by address and read again from the registry at the next
// write, so the newest value is what gets written; an address the registry no longer
// holds (the node moved to another port, or was evicted or pruned) has its row deleted; network samples and node history samples are kept as they were. What it
// holds is bounded: node history of at most `max_history_cycles` failed cycles and at
// most `max_network_samples` network samples (the oldest are dropped first, and counted);
// registry addresses are bounded by the registry itself.
// Thread-safety: none; the collector's thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/snapshot.h"
#include "store/store.h"

namespace pnode::collect {

struct PendingLimits {
  size_t max_history_cycles = 60;     // an hour at the default interval
  size_t max_network_samples = 1440;  // a day at the default interval
  // Events (of failed cycle writes and of inconclusive attempts whose write failed); the
  // oldest are dropped first. A cycle yields few events but the first one (every node
  // discovered) or a release (every node's version): room for several of those.
  size_t max_events = 100000;
};

class PendingWrites {
 public:
  explicit PendingWrites(PendingLimits limits = {}) : limits_(limits) {}

  // `write` failed: everything in it waits for the next write.
  void remember(store::CycleWrite write);
  // Events of an attempt that wrote no cycle (inconclusive), whose write failed: they go
  // with the next write. Does not count as a failed cycle.
  void remember_events(std::vector<store::EventRecord> events);
  // The collector's newest states (CycleWrite::monitor_state) of an attempt whose write
  // failed: the next write carries them unless a newer write brings its own.
  void remember_monitor_state(std::string monitor_state) { monitor_state_ = std::move(monitor_state); }
  // One write holding everything pending: the newest snapshot, network sample and
  // retention cutoff; the registry rows of every pending address as `registry` has them
  // now (addresses it no longer holds are deleted); the older network samples and all
  // node samples, oldest first; the events, oldest first; the newest monitor state.
  store::CycleWrite combined(const model::Registry& registry) const;
  // The combined write was committed.
  void clear();

  bool empty() const { return cycles_ == 0 && events_.empty(); }
  // Failed writes since the last one committed.
  size_t cycles() const { return cycles_; }
  // Samples given up because of the limits since the last commit.
  int64_t dropped_history_cycles() const { return dropped_history_cycles_; }
  int64_t dropped_network_samples() const { return dropped_network_samples_; }
  int64_t dropped_events() const { return dropped_events_; }

 private:
  PendingLimits limits_;
  size_t cycles_ = 0;
  std::shared_ptr<const model::Snapshot> snapshot_;  // the newest
  int64_t retention_cutoff_ = 0;
  std::set<std::string> addresses_;
  std::deque<store::NetworkHistoryRow> network_;  // oldest first
  std::deque<std::vector<store::NodeHistoryRow>> history_;  // a cycle's samples each, oldest first
  int64_t dropped_history_cycles_ = 0;
  int64_t dropped_network_samples_ = 0;
  std::deque<store::EventRecord> events_;  // oldest first
  int64_t dropped_events_ = 0;
  std::optional<std::string> monitor_state_;  // the newest
};

}  // namespace pnode::collect
