#include "analysis/scoring_v2.h"

#include <algorithm>

#include "analysis/node_view.h"
#include "analysis/scoring.h"
#include "util/py_format.h"

namespace pnode::analysis {
namespace {

double to_share(double x) { return std::clamp(x, 0.0, 1.0); }

double latency_marks(double ms) {
  return to_share((kLatencyZeroMs - ms) / (kLatencyZeroMs - kLatencyFullMarksMs));
}

// The mean of the known values; absent when none is known.
template <size_t N>
std::optional<double> mean_of_known(const std::array<std::optional<double>, N>& values) {
  double sum = 0;
  size_t known = 0;
  for (const auto& v : values)
    if (v) {
      sum += *v;
      ++known;
    }
  if (known == 0) return std::nullopt;
  return sum / static_cast<double>(known);
}

// The v1 factors as shares of their maximum points.
std::array<std::optional<double>, kFactorV2Count> gossip_values(const NodeScores& v1) {
  std::array<std::optional<double>, kFactorV2Count> values;
  auto set = [&](FactorV2 f, double points, double max_points) {
    values[static_cast<size_t>(f)] = to_share(points / max_points);
  };
  set(FactorV2::kUptime, v1.trust.uptime, kUptimeMaxPoints);
  set(FactorV2::kGossipPresence, v1.trust.gossip_presence, kPresenceMaxPoints);
  set(FactorV2::kVersionCompliance, v1.trust.version_compliance, kComplianceMaxPoints);
  set(FactorV2::kGossipConsistency, v1.trust.gossip_consistency, kConsistencyMaxPoints);
  set(FactorV2::kStorageCommitted, v1.capacity.storage_committed, kCommittedMaxPoints);
  set(FactorV2::kUsageBalance, v1.capacity.usage_balance, kUsageBalanceMaxPoints);
  set(FactorV2::kGrowthTrend, v1.capacity.growth_trend, kGrowthMaxPoints);
  return values;
}

}  // namespace

const FactorV2Spec& factor_v2_spec(FactorV2 f) { return kFactorsV2[static_cast<size_t>(f)]; }

std::optional<double> reachability_value(const MeasuredInputs& in) {
  if (!in.reachable) return std::nullopt;
  return *in.reachable ? 1.0 : 0.0;
}

// Sessions' mean and p95 (the tail counts as much as the typical answer) when known,
// else the latest probe's connect time; a pod that did not answer has no latency.
std::optional<double> latency_value(const MeasuredInputs& in) {
  const MeasuredAvailability& a = in.availability;
  std::array<std::optional<double>, 2> sessions;
  if (a.latency_mean_ms) sessions[0] = latency_marks(*a.latency_mean_ms);
  if (a.latency_p95_ms) sessions[1] = latency_marks(*a.latency_p95_ms);
  if (auto marks = mean_of_known(sessions)) return marks;
  if (in.probe_latency_ms && in.reachable.value_or(false)) return latency_marks(*in.probe_latency_ms);
  return std::nullopt;
}

std::optional<double> availability_value(const MeasuredAvailability& in) {
  auto share = mean_of_known(std::array<std::optional<double>, 3>{in.uptime_24h, in.uptime_7d, in.uptime_30d});
  if (!share) return std::nullopt;
  return to_share(*share);
}

std::optional<double> credits_eligibility_value(const MeasuredInputs& in) {
  if (!in.credits) return std::nullopt;
  return in.credits->eligible ? 1.0 : 0.0;
}

// Credits over the network's percentile value; unknown while that percentile is not
// positive (a month's first minutes), when no credits say anything yet.
std::optional<double> credits_standing_value(const MeasuredInputs& in) {
  if (!in.credits || in.credits->percentile_value <= 0) return std::nullopt;
  return to_share(in.credits->credits / in.credits->percentile_value);
}

ScoreV2 score_v2(const NodeScores& v1, const MeasuredInputs& measured) {
  std::array<std::optional<double>, kFactorV2Count> values = gossip_values(v1);
  values[static_cast<size_t>(FactorV2::kReachability)] = reachability_value(measured);
  values[static_cast<size_t>(FactorV2::kAvailability)] = availability_value(measured.availability);
  values[static_cast<size_t>(FactorV2::kLatency)] = latency_value(measured);
  values[static_cast<size_t>(FactorV2::kCreditsEligibility)] = credits_eligibility_value(measured);
  values[static_cast<size_t>(FactorV2::kCreditsStanding)] = credits_standing_value(measured);

  ScoreV2 out;
  double earned = 0;
  for (size_t i = 0; i < kFactorV2Count; ++i) {
    if (!values[i]) continue;
    out.known_weight += kFactorsV2[i].weight;
    earned += kFactorsV2[i].weight * *values[i];
  }
  // The v1 factors are always known, so known_weight is never 0 for a scored node.
  if (out.known_weight <= 0) return out;
  const double scale = 100.0 / out.known_weight;
  out.score = py_round(earned * scale, 2);
  for (size_t i = 0; i < kFactorV2Count; ++i) {
    out.factors[i].value = values[i];
    if (values[i]) out.factors[i].contribution = py_round(kFactorsV2[i].weight * *values[i] * scale, 2);
  }
  return out;
}

}  // namespace pnode::analysis
