// Scoring v2 (issue 13 §5, methodology and worked examples in docs/scoring.md): one 0-100
// score from the v1 factors (trust and capacity parts, as the reference computes them)
// plus what was measured from outside: reachability and latency (the prober), availability
// (uptime shares over 24 h / 7 d / 30 d and latency from availability sessions) and pod
// credits (reward eligibility and credits relative to the network's percentile).
// Every factor is a value in [0, 1] with a fixed weight (kFactorsV2; the weights sum to
// 100). An input that is unknown (a private pod nobody probes, no credits list read yet,
// no availability history) neither rewards nor zeroes a node: the score is the weighted
// mean over the known factors only, so the weights are renormalised over them, and the
// breakdown says which factors were unknown and how much weight was known.
// The v1 scores (scoring.h) stay as they are; v2 is computed beside them.
// Thread-safety: pure functions and constants.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pnode::analysis {

struct NodeScores;  // node_view.h: the v1 scores whose breakdown v2 reuses

enum class FactorV2 : uint8_t {
  kReachability,
  kAvailability,
  kLatency,
  kCreditsEligibility,
  kCreditsStanding,
  kUptime,
  kGossipPresence,
  kVersionCompliance,
  kGossipConsistency,
  kStorageCommitted,
  kUsageBalance,
  kGrowthTrend,
};
inline constexpr size_t kFactorV2Count = 12;

struct FactorV2Spec {
  std::string_view name;  // the JSON key of the factor in score_v2_breakdown
  double weight;          // points out of 100 when every factor is known
};

// Measured factors carry half the weight; the v1 trust parts 30 and capacity parts 20.
inline constexpr std::array<FactorV2Spec, kFactorV2Count> kFactorsV2 = {{
    {"reachability", 15},
    {"availability", 15},
    {"latency", 5},
    {"credits_eligibility", 10},
    {"credits_standing", 5},
    {"uptime", 10},
    {"gossip_presence", 8},
    {"version_compliance", 8},
    {"gossip_consistency", 4},
    {"storage_committed", 8},
    {"usage_balance", 6},
    {"growth_trend", 6},
}};

// Latency: full marks at or below kLatencyFullMarksMs, none at or above kLatencyZeroMs,
// linear between.
inline constexpr double kLatencyFullMarksMs = 100;
inline constexpr double kLatencyZeroMs = 1000;

// What availability sessions tell of a pod (the availability unit fills it); each field
// absent when unknown (no history over that window).
struct MeasuredAvailability {
  std::optional<double> uptime_24h, uptime_7d, uptime_30d;  // shares, 0..1
  std::optional<double> latency_mean_ms, latency_p95_ms;
};

// A pod's credits judged against its network (credits.h). A pod that no list read holds
// has credits 0 and is not eligible (it earns nothing), provided some list was read.
struct CreditsMeasure {
  double credits = 0;
  double percentile_value = 0;  // the network's credits at the rule's percentile
  bool eligible = false;
};

struct MeasuredInputs {
  std::optional<bool> reachable;           // latest probe; absent: not probed, or the guard refused
  std::optional<double> probe_latency_ms;  // latest probe's TCP connect time, when it answered
  MeasuredAvailability availability;
  std::optional<CreditsMeasure> credits;   // absent: no credits list read, or no pubkey
};

struct FactorV2Score {
  std::optional<double> value;  // 0..1; absent when its input is unknown
  double contribution = 0;      // points of the score (rounded to 2 places); 0 when unknown
};

struct ScoreV2 {
  double score = 0;        // 0..100, rounded to 2 places
  double known_weight = 0;  // the weights of the known factors, out of 100
  std::array<FactorV2Score, kFactorV2Count> factors;

  const FactorV2Score& factor(FactorV2 f) const { return factors[static_cast<size_t>(f)]; }
};

const FactorV2Spec& factor_v2_spec(FactorV2 f);

// Each measured factor's value (absent when unknown), as documented in docs/scoring.md.
std::optional<double> reachability_value(const MeasuredInputs& in);
std::optional<double> latency_value(const MeasuredInputs& in);
std::optional<double> availability_value(const MeasuredAvailability& in);
std::optional<double> credits_eligibility_value(const MeasuredInputs& in);
std::optional<double> credits_standing_value(const MeasuredInputs& in);

// v2 of an online node: its v1 scores (breakdown points over each part's maximum) and
// what was measured.
ScoreV2 score_v2(const NodeScores& v1, const MeasuredInputs& measured);

}  // namespace pnode::analysis
