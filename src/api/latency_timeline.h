// A pod's probe latency over time (issue 13, node page timeline): its stored probes
// (store/store.h ProbeRecord) grouped into fixed-width time buckets, each with its probe
// and answered counts and the latency of its answered probes only. An unanswered probe is
// never a latency of 0: a bucket where nothing answered has no latency (nullopt), which
// the API writes as null and the dashboard draws as a gap.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "store/store.h"

namespace pnode::api {

// Probes and answered probes' latencies over one stretch of time.
struct LatencyFigures {
  uint64_t probes = 0;
  uint64_t answered = 0;
  // Of answered probes' total latency (p95: nearest rank) and connect latency; nullopt
  // when none answered.
  std::optional<double> mean_ms, p95_ms, max_ms, connect_mean_ms;
};

struct LatencyBucket {
  int64_t start = 0;  // unix s; the bucket covers [start, start + width)
  LatencyFigures figures;
};

struct LatencyTimeline {
  std::vector<LatencyBucket> buckets;  // oldest first, contiguous from `from`
  LatencyFigures overall;              // every probe of the window
};

// The width (s, whole minutes) a window of `window_seconds` gets: `requested_seconds` (whole
// minutes) when given, widened to the fewest minutes that give at most `max_buckets`;
// otherwise the fewest minutes that give at most `target_buckets`. Never below a minute.
int64_t bucket_width_seconds(int64_t window_seconds, std::optional<int64_t> requested_seconds, int64_t target_buckets,
                             int64_t max_buckets);

// Buckets of `width_seconds` (> 0) from `from` up to `to` (the last one may be shorter);
// probes outside [from, to] are ignored, a probe at `to` counts in the last bucket.
LatencyTimeline latency_timeline(const std::vector<store::ProbeRecord>& probes, int64_t from, int64_t to,
                                 int64_t width_seconds);

}  // namespace pnode::api
