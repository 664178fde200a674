#include "collect/availability_recorder.h"

#include <spdlog/spdlog.h>

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
  if (!writable()) return;
  write.probes = probe_records(round);
  write.sessions.reserve(unwritten_.size());
  for (const auto& [key, s] : unwritten_) write.sessions.push_back(s);
  write.probe_cutoff = round.finished_at - config_.probe_retention_days * analysis::kDaySeconds;
  write.session_cutoff = round.finished_at - config_.session_retention_days * analysis::kDaySeconds;
  if (auto st = store_->write_probe_round(write); !st.ok()) {
    spdlog::warn("probe round {}: not stored ({} sessions wait for the next round): {}", round.round,
                 unwritten_.size(), st.error().message);
    return;
  }
  unwritten_.clear();
}

}  // namespace pnode::collect
