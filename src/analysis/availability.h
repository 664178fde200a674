// Availability from probes (issue 13, part 2): turns each finished probe round into
// per-pod sessions (up since / down since) and derives uptime shares over 24 h, 7 d and
// 30 d and the latency of answered probes. Gossip plays no part: a pod gossiped as online
// that does not answer is down here.
//
// The rules (AvailabilityRules, documented in docs/storage.md and README):
//   - Tolerance of isolated failures (as Nebula's crawler does): an up pod is declared
//     down only after `down_after` failed probes in a row (default 2); the down session
//     then starts at the first of those failures, and the up session ends there. Fewer
//     failures in a row count as up.
//   - One answered probe after a down session opens an up session at once.
//   - A pod's first probe opens a session of its own outcome.
//   - A probe more than `max_gap_seconds` after the pod's last one (the service was
//     stopped, or the pod was not a target for a while) ends the open session at its last
//     probe: the time between is unknown, as is all time before a pod's first probe.
//   - Probes the dial guard refused ("denied": nothing was sent) are no measurement and
//     are skipped.
//   - At most `max_pods` pods are kept (addresses come from the network, and a pod behind
//     a NAT can show up under many ports in 30 days): beyond it the pods whose last probe
//     is oldest are dropped, so the most recently probed ones stay.
//   - At most `max_sessions_per_pod` closed sessions are kept per pod (a pod that flaps
//     opens a session at each flip): beyond it its oldest go, and the time they covered
//     becomes unknown, so its shares are of the span still kept and its coverage says so.
// Uptime share over a window = up time / known time, both clipped to the window; null
// when none of the window is known. Coverage = known time / window length.
// Thread-safety: the free functions are pure; an AvailabilityTracker is used by one
// thread at a time (the prober's, collect/availability_recorder.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/availability.h"
#include "model/probe.h"

namespace pnode::analysis {

// The availability inputs of a pod for scoring and the API (model/availability.h).
using AvailabilitySummary = model::PodAvailability;

struct AvailabilityRules {
  int32_t down_after = 2;          // failed probes in a row that make an up pod down (>= 1)
  int64_t max_gap_seconds = 600;   // a longer pause in probing ends the open session
  size_t max_pods = 100000;        // pods kept; the least recently probed make room
  // Closed sessions kept per pod, the oldest making room. An up/down pair takes at least
  // three rounds (one answer, `down_after` failures), so at the default round a minute
  // (`CACHE_TTL`) a flapping pod could otherwise hold some 28,000 sessions of 30 days
  // (about 3 MB), and 100,000 such pods far more than the machine has. 1,000 keep the
  // whole 30 days of a pod flipping up to 33 times a day (a daily restart and a few
  // outages make tens of sessions a month); a pod flipping more keeps its last 1,000
  // (about 100 KB, still a day or more of its history), and its 30-day coverage shows the
  // shorter span.
  size_t max_sessions_per_pod = 1000;
};

inline constexpr int64_t kDaySeconds = 86400;
inline constexpr int64_t kAvailabilityHorizon = 30 * kDaySeconds;  // the longest window kept in memory
// Answered probes' latencies kept per pod for the summary's mean and p95 (those of the
// last 24 h among them count).
inline constexpr size_t kLatencySamplesKept = 288;

// Applies one probe (`at`, answered or not) to a pod's open session (nullopt: none).
// Returns the sessions that changed, oldest first: a session it closed, then the open
// one. A probe older than the open session's last one changes nothing.
std::vector<model::AvailabilitySession> apply_probe(std::optional<model::AvailabilitySession>& open,
                                                    const std::string& address, int64_t at, bool reachable,
                                                    const AvailabilityRules& rules);

struct WindowTime {
  int64_t up_seconds = 0;
  int64_t known_seconds = 0;
};
// Up and known time of `sessions` within [from, to].
WindowTime window_time(const std::vector<model::AvailabilitySession>& sessions, int64_t from, int64_t to);
// up / known (nullopt when nothing is known).
std::optional<double> uptime_share(const WindowTime& time);

struct LatencyStats {
  size_t samples = 0;
  std::optional<double> mean_ms, p95_ms;  // p95: nearest rank
};
LatencyStats latency_stats(std::vector<double> latencies_ms);

// One pod's summary at `now` from its sessions (any order) and its answered probes'
// latencies. up_since / down_since are null when the pod's last probe is older than
// `rules.max_gap_seconds` (its state now is unknown).
model::PodAvailability summarize_pod(const std::vector<model::AvailabilitySession>& sessions,
                                     std::vector<double> latencies_ms, int64_t now, const AvailabilityRules& rules);

// Every probed pod's sessions (the last 30 days and the open one) and recent latencies,
// advanced by each probe round.
class AvailabilityTracker {
 public:
  explicit AvailabilityTracker(AvailabilityRules rules = {}) : rules_(rules) {}

  // Replaces every pod's sessions with stored ones (a restart, or another instance's
  // writes), keeping the latencies: each pod's newest session without an end continues
  // as its open session. Keeps at most `rules.max_pods` pods and the newest
  // `rules.max_sessions_per_pod` closed sessions of each, like record_round().
  void restore(const std::vector<model::AvailabilitySession>& sessions);
  // Applies every result of `round` (denied ones skipped); returns the sessions that
  // changed, to be stored. Drops a pod's oldest closed sessions beyond
  // `rules.max_sessions_per_pod` (they were returned when they closed: only memory is
  // capped), sessions that ended over 30 days before the round, then
  // the least recently probed pods beyond `rules.max_pods` (while the round is applied the
  // tracker holds at most the cap plus the round's new addresses; the prober bounds a
  // round).
  std::vector<model::AvailabilitySession> record_round(const model::ProbeRound& round);
  model::AvailabilityTable summarize(int64_t now) const;
  size_t pods() const { return pods_.size(); }
  // The closed sessions kept of `address` (0 for a pod not followed).
  size_t closed_sessions(const std::string& address) const;

 private:
  struct Latency {
    int64_t at = 0;
    float ms = 0;
  };
  struct Pod {
    std::vector<model::AvailabilitySession> closed;  // oldest first
    std::optional<model::AvailabilitySession> open;
    std::vector<Latency> latencies;  // a ring of kLatencySamplesKept
    size_t next_latency = 0;
  };
  void add_latency(Pod& pod, int64_t at, double ms);
  static void drop_before(Pod& pod, int64_t cutoff);
  // Drops the oldest of `pod`'s closed sessions (oldest first) beyond the cap.
  void keep_newest_sessions(Pod& pod) const;
  // When the last probe of a pod was (its newest session's end or last probe); the
  // lowest value for a pod without sessions.
  static int64_t last_probe_at(const Pod& pod);
  void keep_most_recently_probed();

  AvailabilityRules rules_;
  std::unordered_map<std::string, Pod> pods_;
};

}  // namespace pnode::analysis
