#include "collect/availability_recorder.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "util/keep_first.h"

namespace pnode::collect {

std::vector<store::ProbeRecord> probe_records(const model::ProbeRound& round) {
  std::vector<store::ProbeRecord> out;
  out.reserve(round.results.size());
  for (const model::PodProbe& p : round.results) {
    if (p.failure == "denied") continue;
    out.push_back({p.address, p.probed_at, p.reachable, p.failure, p.connect_ms, p.total_ms});
  }
  return out;
}

AvailabilityRecorder::AvailabilityRecorder(store::Store* store, AvailabilityConfig config)
    : store_(store), config_(config), tracker_(config.rules) {}

Status AvailabilityRecorder::reload_sessions(int64_t now) {
  auto stored = store_->availability_sessions("", now - analysis::kAvailabilityHorizon);
  if (!stored.ok()) return stored.error();
  std::map<std::pair<std::string, int64_t>, model::AvailabilitySession> merged;
  for (auto& s : *stored) merged[{s.address, s.started_at}] = std::move(s);
  for (const auto& [key, s] : unwritten_) merged[key] = s;  // newer than what the store holds
  std::vector<model::AvailabilitySession> sessions;
  sessions.reserve(merged.size());
  for (auto& [key, s] : merged) sessions.push_back(std::move(s));
  tracker_.restore(sessions);
  return ok_status();
}

Status AvailabilityRecorder::restore(int64_t now) {
  if (!store_) return ok_status();
  std::lock_guard lock(mutex_);
  if (auto st = reload_sessions(now); !st.ok()) return st;
  table_.store(std::make_shared<const model::AvailabilityTable>(tracker_.summarize(now)), std::memory_order_release);
  spdlog::info("availability: restored the sessions of {} pods", tracker_.pods());
  return ok_status();
}

size_t AvailabilityRecorder::unwritten_sessions() const {
  std::lock_guard lock(mutex_);
  return unwritten_.size();
}

// One linear pass (util/keep_first.h), only over the bound. An open session is a pod's newest state
// (what a reload continues), an ended one only history: a dropped ended session leaves
// its stored row as it was last written, and a reload closes a stale open row.
void AvailabilityRecorder::bound_unwritten() {
  if (unwritten_.size() <= max_unwritten()) return;
  const size_t excess = unwritten_.size() - max_unwritten();
  // Kept first: open sessions, then the latest-ended; ties by key.
  keep_first(
      unwritten_, max_unwritten(), [](auto it) { return std::pair(!it->second.ended_at, it->second.covered_until()); },
      [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second->first > b.second->first; });
  if (dropped_unwritten_ == 0)
    spdlog::warn("availability: more than {} changed sessions wait for the store; the oldest-ended are dropped "
                 "(their stored rows stay as last written) until a write succeeds",
                 max_unwritten());
  dropped_unwritten_ += excess;
}

void AvailabilityRecorder::record(const model::ProbeRound& round) {
  std::lock_guard lock(mutex_);
  if (store_ && (last_recorded_ == 0 || round.started_at - last_recorded_ > kReloadAfterSeconds)) {
    if (auto st = reload_sessions(round.started_at); !st.ok())
      spdlog::warn("availability: cannot reload the stored sessions (continuing from memory): {}", st.error().message);
  }
  last_recorded_ = round.finished_at;
  store::ProbeRoundWrite write;
  for (auto& s : tracker_.record_round(round)) unwritten_[{s.address, s.started_at}] = std::move(s);
  table_.store(std::make_shared<const model::AvailabilityTable>(tracker_.summarize(round.finished_at)),
               std::memory_order_release);
  if (!writable()) {
    bound_unwritten();
    return;
  }
  write.probes = probe_records(round);
  write.sessions.reserve(unwritten_.size());
  for (const auto& [key, s] : unwritten_) write.sessions.push_back(s);
  write.probe_cutoff = round.finished_at - config_.probe_retention_days * analysis::kDaySeconds;
  write.session_cutoff = round.finished_at - config_.session_retention_days * analysis::kDaySeconds;
  Status st = ok_status();
  if (fence_) {
    auto held = fence_();
    if (held) write.fence = *held;
    else st = held.error();
  }
  if (st.ok()) st = store_->write_probe_round(write);
  if (!st.ok()) {
    spdlog::warn("probe round {}: not stored ({} sessions wait for the next round): {}", round.round,
                 unwritten_.size(), st.error().message);
    bound_unwritten();
    return;
  }
  unwritten_.clear();
  if (dropped_unwritten_ > 0)
    spdlog::info("availability: the store is written again; {} changed sessions were dropped while it failed",
                 std::exchange(dropped_unwritten_, 0));
}

}  // namespace pnode::collect
