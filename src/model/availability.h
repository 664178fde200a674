// Availability of pods as measured by probing them (collect/prober.h), never by gossip:
// one pod's sessions (up since / down since, analysis/availability.h decides them) and the
// per-pod summary a snapshot carries (uptime shares, latency), so every instance that
// loads the snapshot (a follower, a restart) serves the same numbers.
// Thread-safety: plain values; an AvailabilityTable is immutable once published.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace pnode::model {

// One stretch of time in which a pod was up (answered probes, isolated failures
// tolerated) or down. Sessions of one pod follow each other; a gap in probing longer
// than the rules allow ends the open session at its last probe (the gap is unknown).
struct AvailabilitySession {
  std::string address;
  bool up = false;
  int64_t started_at = 0;              // unix s
  std::optional<int64_t> ended_at;     // nullopt while open
  int64_t last_probe_at = 0;           // the newest probe counted in it
  int32_t failures = 0;                // failed probes in a row at its end (an up session's tolerance)
  int64_t failing_since = 0;           // the first of those failures (0: none)
  bool operator==(const AvailabilitySession&) const = default;
  // The end of the time it covers: its end, or its last probe while open.
  int64_t covered_until() const { return ended_at.value_or(last_probe_at); }
};

// What a node's JSON and the bulk route show (analysis::AvailabilitySummary). Shares are
// of the known time in the window that was up (0..1); nullopt when none of the window is
// known (never probed in it).
struct PodAvailability {
  std::optional<double> uptime_24h, uptime_7d, uptime_30d;
  double coverage_24h = 0, coverage_7d = 0, coverage_30d = 0;  // share of the window known (0..1)
  bool up = false;                  // the open (or last) session's state
  std::optional<int64_t> up_since, down_since;  // the open session's start, by state
  std::optional<double> latency_mean_ms, latency_p95_ms;  // answered probes' total_ms
  uint32_t latency_samples = 0;
  bool operator==(const PodAvailability&) const = default;
};

struct AvailabilityTable {
  int64_t computed_at = 0;  // unix s
  std::unordered_map<std::string, PodAvailability> by_address;

  const PodAvailability* find(const std::string& address) const {
    auto it = by_address.find(address);
    return it == by_address.end() ? nullptr : &it->second;
  }
};

}  // namespace pnode::model
