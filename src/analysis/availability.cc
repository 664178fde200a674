#include "analysis/availability.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "analysis/credits.h"
#include "util/keep_first.h"

namespace pnode::analysis {
namespace {

model::AvailabilitySession opened(const std::string& address, bool up, int64_t at) {
  model::AvailabilitySession s;
  s.address = address;
  s.up = up;
  s.started_at = at;
  s.last_probe_at = at;
  return s;
}

// Closes `session` at `at` and returns it.
model::AvailabilitySession closed_at(model::AvailabilitySession session, int64_t at) {
  session.ended_at = at;
  return session;
}

}  // namespace

std::vector<model::AvailabilitySession> apply_probe(std::optional<model::AvailabilitySession>& open,
                                                    const std::string& address, int64_t at, bool reachable,
                                                    const AvailabilityRules& rules) {
  std::vector<model::AvailabilitySession> changed;
  if (open && at < open->last_probe_at) return changed;  // out of order: already past it
  if (open && at - open->last_probe_at > rules.max_gap_seconds) {
    changed.push_back(closed_at(*open, open->last_probe_at));  // the gap is unknown
    open.reset();
  }
  if (!open) {
    open = opened(address, reachable, at);
    changed.push_back(*open);
    return changed;
  }
  model::AvailabilitySession& s = *open;
  if (reachable) {
    if (!s.up) {
      if (at > s.started_at) changed.push_back(closed_at(s, at));  // else the down session had no time of its own
      s = opened(address, true, at);
    } else {
      s.last_probe_at = at;
      s.failures = 0;
      s.failing_since = 0;
    }
  } else if (!s.up) {
    s.last_probe_at = at;
    ++s.failures;
  } else {
    if (s.failures == 0) s.failing_since = at;
    ++s.failures;
    s.last_probe_at = at;
    if (s.failures >= std::max(rules.down_after, 1)) {
      const int64_t since = s.failing_since;
      const int32_t failures = s.failures;
      if (since > s.started_at) {  // else the up session had no time of its own: it becomes the down one
        model::AvailabilitySession up = s;
        up.failures = 0;
        up.failing_since = 0;
        changed.push_back(closed_at(up, since));
      }
      s = opened(address, false, since);
      s.last_probe_at = at;
      s.failures = failures;
    }
  }
  changed.push_back(s);
  return changed;
}

WindowTime window_time(const std::vector<model::AvailabilitySession>& sessions, int64_t from, int64_t to) {
  WindowTime t;
  for (const auto& s : sessions) {
    const int64_t a = std::max(s.started_at, from), b = std::min(s.covered_until(), to);
    if (b <= a) continue;
    t.known_seconds += b - a;
    if (s.up) t.up_seconds += b - a;
  }
  return t;
}

std::optional<double> uptime_share(const WindowTime& time) {
  if (time.known_seconds <= 0) return std::nullopt;
  return static_cast<double>(time.up_seconds) / static_cast<double>(time.known_seconds);
}

LatencyStats latency_stats(std::vector<double> latencies_ms) {
  LatencyStats out;
  out.samples = latencies_ms.size();
  if (latencies_ms.empty()) return out;
  out.mean_ms = std::accumulate(latencies_ms.begin(), latencies_ms.end(), 0.0) / static_cast<double>(out.samples);
  out.p95_ms = nearest_rank_percentile(std::move(latencies_ms), 95);
  return out;
}

model::PodAvailability summarize_pod(const std::vector<model::AvailabilitySession>& sessions,
                                     std::vector<double> latencies_ms, int64_t now, const AvailabilityRules& rules) {
  model::PodAvailability out;
  auto share = [&](int64_t seconds, std::optional<double>& uptime, double& coverage) {
    WindowTime t = window_time(sessions, now - seconds, now);
    uptime = uptime_share(t);
    coverage = static_cast<double>(t.known_seconds) / static_cast<double>(seconds);
  };
  share(kDaySeconds, out.uptime_24h, out.coverage_24h);
  share(7 * kDaySeconds, out.uptime_7d, out.coverage_7d);
  share(30 * kDaySeconds, out.uptime_30d, out.coverage_30d);
  const model::AvailabilitySession* latest = nullptr;
  for (const auto& s : sessions)
    if (!latest || s.started_at > latest->started_at) latest = &s;
  if (latest) {
    out.up = latest->up;
    if (!latest->ended_at && now - latest->last_probe_at <= rules.max_gap_seconds)
      (latest->up ? out.up_since : out.down_since) = latest->started_at;
  }
  LatencyStats latency = latency_stats(std::move(latencies_ms));
  out.latency_mean_ms = latency.mean_ms;
  out.latency_p95_ms = latency.p95_ms;
  out.latency_samples = static_cast<uint32_t>(latency.samples);
  return out;
}

void AvailabilityTracker::restore(const std::vector<model::AvailabilitySession>& sessions) {
  for (auto& [address, pod] : pods_) {
    pod.closed.clear();
    pod.open.reset();
  }
  std::vector<model::AvailabilitySession> sorted = sessions;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.started_at < b.started_at; });
  for (const auto& s : sorted) {
    Pod& pod = pods_[s.address];
    if (s.ended_at) {
      pod.closed.push_back(s);
      continue;
    }
    if (pod.open) pod.closed.push_back(closed_at(*pod.open, pod.open->last_probe_at));  // superseded
    pod.open = s;
  }
  auto by_start = [](const auto& a, const auto& b) { return a.started_at < b.started_at; };
  for (auto& [address, pod] : pods_) {
    // A superseded open session went in after the closed ones that started later.
    if (!std::is_sorted(pod.closed.begin(), pod.closed.end(), by_start))
      std::stable_sort(pod.closed.begin(), pod.closed.end(), by_start);
    keep_newest_sessions(pod);
  }
  keep_most_recently_probed();
}

void AvailabilityTracker::add_latency(Pod& pod, int64_t at, double ms) {
  if (pod.latencies.size() < kLatencySamplesKept) {
    pod.latencies.push_back({at, static_cast<float>(ms)});
    return;
  }
  pod.latencies[pod.next_latency] = {at, static_cast<float>(ms)};
  pod.next_latency = (pod.next_latency + 1) % kLatencySamplesKept;
}

void AvailabilityTracker::drop_before(Pod& pod, int64_t cutoff) {
  auto& c = pod.closed;
  c.erase(std::remove_if(c.begin(), c.end(), [cutoff](const auto& s) { return s.covered_until() < cutoff; }),
          c.end());
}

// Sessions close one or two at a time, so the erase moves at most the cap's sessions, and
// only for a pod at the cap that flipped.
void AvailabilityTracker::keep_newest_sessions(Pod& pod) const {
  auto& c = pod.closed;
  if (c.size() <= rules_.max_sessions_per_pod) return;
  c.erase(c.begin(), c.end() - static_cast<std::ptrdiff_t>(rules_.max_sessions_per_pod));
}

size_t AvailabilityTracker::closed_sessions(const std::string& address) const {
  auto it = pods_.find(address);
  return it == pods_.end() ? 0 : it->second.closed.size();
}

std::vector<model::AvailabilitySession> AvailabilityTracker::record_round(const model::ProbeRound& round) {
  std::vector<model::AvailabilitySession> changed;
  for (const model::PodProbe& probe : round.results) {
    if (probe.failure == "denied") continue;
    Pod& pod = pods_[probe.address];
    for (auto& s : apply_probe(pod.open, probe.address, probe.probed_at, probe.reachable, rules_)) {
      if (s.ended_at) pod.closed.push_back(s);
      changed.push_back(std::move(s));
    }
    keep_newest_sessions(pod);
    if (probe.reachable) add_latency(pod, probe.probed_at, probe.total_ms);
  }
  const int64_t cutoff = round.finished_at - kAvailabilityHorizon;
  for (auto it = pods_.begin(); it != pods_.end();) {
    drop_before(it->second, cutoff);
    const bool stale = it->second.closed.empty() && (!it->second.open || it->second.open->last_probe_at < cutoff);
    it = stale ? pods_.erase(it) : std::next(it);
  }
  keep_most_recently_probed();
  return changed;
}

int64_t AvailabilityTracker::last_probe_at(const Pod& pod) {
  if (pod.open) return pod.open->last_probe_at;
  int64_t last = std::numeric_limits<int64_t>::min();
  for (const auto& s : pod.closed) last = std::max(last, s.covered_until());
  return last;
}

// One linear pass (util/keep_first.h) when over the cap, and none below it. No slack below the
// cap is needed to spare rounds the pass: record_round() already walks every pod each
// round for the 30-day cutoff, so the pass keeps a round linear in the pods held, and the
// bound stays exact. Ties go by address, so which pods stay does not depend on hashing.
void AvailabilityTracker::keep_most_recently_probed() {
  keep_first(
      pods_, rules_.max_pods, [](auto it) { return last_probe_at(it->second); },
      [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second->first < b.second->first; });
}

model::AvailabilityTable AvailabilityTracker::summarize(int64_t now) const {
  model::AvailabilityTable table;
  table.computed_at = now;
  table.by_address.reserve(pods_.size());
  std::vector<model::AvailabilitySession> sessions;
  std::vector<double> latencies;
  for (const auto& [address, pod] : pods_) {
    sessions.assign(pod.closed.begin(), pod.closed.end());
    if (pod.open) sessions.push_back(*pod.open);
    latencies.clear();
    for (const Latency& l : pod.latencies)
      if (l.at > now - kDaySeconds) latencies.push_back(l.ms);
    table.by_address.emplace(address, summarize_pod(sessions, latencies, now, rules_));
  }
  return table;
}

}  // namespace pnode::analysis
