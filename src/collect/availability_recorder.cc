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

Status AvailabilityRecorder::restore(int64_t now) {
  if (!store_) return ok_status();
  auto sessions = store_->availability_sessions("", now - analysis::kAvailabilityHorizon);
  if (!sessions.ok()) return sessions.error();
  std::lock_guard lock(mutex_);
  tracker_.restore(*sessions);
  table_.store(std::make_shared<const model::AvailabilityTable>(tracker_.summarize(now)), std::memory_order_release);
  spdlog::info("availability: restored {} sessions of {} pods", sessions->size(), tracker_.pods());
  return ok_status();
}

void AvailabilityRecorder::record(const model::ProbeRound& round) {
  std::lock_guard lock(mutex_);
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
