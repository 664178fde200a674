#include "api/latency_timeline.h"

#include <algorithm>

#include "analysis/availability.h"

namespace pnode::api {
namespace {

constexpr int64_t kMinute = 60;

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The smallest whole number of minutes that splits `window` into at most `buckets`.
int64_t whole_minutes_for(int64_t window, int64_t buckets) { return ceil_div(window, buckets * kMinute) * kMinute; }

// Answered probes' latencies of one stretch, gathered before their figures are computed.
struct Samples {
  uint64_t probes = 0;
  std::vector<double> total_ms, connect_ms;

  void add(const store::ProbeRecord& p) {
    ++probes;
    if (!p.reachable) return;  // a failure has no latency, not a latency of 0
    total_ms.push_back(p.total_ms);
    connect_ms.push_back(p.connect_ms);
  }

  LatencyFigures figures() const {
    LatencyFigures out;
    out.probes = probes;
    out.answered = total_ms.size();
    if (total_ms.empty()) return out;
    analysis::LatencyStats total = analysis::latency_stats(total_ms);
    out.mean_ms = total.mean_ms;
    out.p95_ms = total.p95_ms;
    out.max_ms = *std::max_element(total_ms.begin(), total_ms.end());
    out.connect_mean_ms = analysis::latency_stats(connect_ms).mean_ms;
    return out;
  }
};

}  // namespace

int64_t bucket_width_seconds(int64_t window_seconds, std::optional<int64_t> requested_seconds, int64_t target_buckets,
                             int64_t max_buckets) {
  const int64_t window = std::max<int64_t>(window_seconds, 1);
  if (requested_seconds) return std::max({*requested_seconds, whole_minutes_for(window, max_buckets), kMinute});
  return std::max(whole_minutes_for(window, target_buckets), kMinute);
}

LatencyTimeline latency_timeline(const std::vector<store::ProbeRecord>& probes, int64_t from, int64_t to,
                                 int64_t width_seconds) {
  const size_t count = static_cast<size_t>(std::max<int64_t>(ceil_div(to - from, width_seconds), 1));
  std::vector<Samples> per_bucket(count);
  Samples all;
  for (const auto& p : probes) {
    if (p.at < from || p.at > to) continue;
    const size_t index = std::min(static_cast<size_t>((p.at - from) / width_seconds), count - 1);
    per_bucket[index].add(p);
    all.add(p);
  }
  LatencyTimeline out;
  out.buckets.reserve(count);
  for (size_t i = 0; i < count; ++i)
    out.buckets.push_back({from + static_cast<int64_t>(i) * width_seconds, per_bucket[i].figures()});
  out.overall = all.figures();
  return out;
}

}  // namespace pnode::api
