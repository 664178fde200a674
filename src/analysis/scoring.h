// Trust, capacity and stake-confidence scores (docs/reference-compat.md §4), with the
// reference's weights and the documented fixes: every factor is clamped to [0, its maximum];
// version compliance compares against the derived latest version (version.h), and a
// pre-release (any "-suffix") never gets more than half of its points; gossip
// consistency comes from the registry's real counters; growth trend is an input
// (0..1, 0.5 = flat) that history-aware callers compute.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "analysis/node_view.h"

namespace pnode::analysis {

struct ScoringInput {
  uint64_t uptime_seconds = 0;
  size_t peer_count = 0;           // seeds that list the node this cycle
  std::string_view version;        // as reported ("unknown" when unknown)
  double consistency_score = 1.0;  // appearances / (appearances + disappearances)
  uint64_t storage_committed = 0;  // bytes
  double storage_usage_percent = 0;
  double growth_trend = 0.5;       // 0 = shrinking, 0.5 = flat, 1 = growing
};

inline constexpr double kFullUptimeDays = 30;
inline constexpr double kFullPresenceSeeds = 3;
inline constexpr double kFullCommittedGiB = 100;
// Each factor's maximum points (trust: 40 + 30 + 20 + 10; capacity: 30 + 40 + 30).
inline constexpr double kUptimeMaxPoints = 40;
inline constexpr double kPresenceMaxPoints = 30;
inline constexpr double kComplianceMaxPoints = 20;
inline constexpr double kConsistencyMaxPoints = 10;
inline constexpr double kCommittedMaxPoints = 30;
inline constexpr double kUsageBalanceMaxPoints = 40;
inline constexpr double kGrowthMaxPoints = 30;
// The composite stake-confidence score: trust x 0.6 + capacity x 0.4.
inline constexpr double kTrustWeight = 0.6;
inline constexpr double kCapacityWeight = 0.4;

TrustScore score_trust(const ScoringInput& in, std::string_view latest_version);
CapacityScore score_capacity(const ScoringInput& in);
StakeConfidence stake_confidence(double trust_score, double capacity_score);
NodeScores score_node(const ScoringInput& in, std::string_view latest_version);

// The scores an offline node carries: zeros with rating "offline".
NodeScores offline_scores();

}  // namespace pnode::analysis
