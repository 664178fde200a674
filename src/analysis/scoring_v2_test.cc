#include "analysis/scoring_v2.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "analysis/node_view.h"
#include "analysis/scoring.h"
#include "analysis/test_nodes.h"

namespace pnode::analysis {
namespace {

// docs/scoring.md's worked examples; the numbers in its table are asserted below.
// A: a public node that runs well: every factor known.
NodeScores well_run_v1() { return score_node({40 * 86400, 9, "0.8.0", 1.0, 200 * testing::kGiB, 50.0, 0.5}, "0.8.0"); }
MeasuredInputs well_run_measured() {
  MeasuredInputs m;
  m.reachable = true;
  m.probe_latency_ms = 40;
  m.availability.uptime_24h = 1.0;
  m.availability.uptime_7d = 0.98;
  m.availability.uptime_30d = 0.95;
  m.credits = CreditsMeasure{9000, 10000, true};
  return m;
}
// B: a young private node (nobody probes it, no availability history), listed for
// credits but below the eligibility threshold.
NodeScores young_private_v1() { return score_node({3 * 86400, 1, "0.7.3", 0.75, 10 * testing::kGiB, 1e-5, 0.5}, "0.8.0"); }
MeasuredInputs young_private_measured() {
  MeasuredInputs m;
  m.credits = CreditsMeasure{6000, 10000, false};  // threshold 8000
  return m;
}
// C: A's gossip facts, but its probe timed out and no credits list was read yet.
MeasuredInputs unreachable_measured() {
  MeasuredInputs m;
  m.reachable = false;
  return m;
}

double value_of(const ScoreV2& s, FactorV2 f) { return s.factor(f).value.value_or(-1); }

TEST(ScoringV2, WeightsSumToOneHundred) {
  double sum = 0;
  for (const auto& spec : kFactorsV2) sum += spec.weight;
  EXPECT_DOUBLE_EQ(sum, 100.0);
}

TEST(ScoringV2, EveryFactorKnownIsTheWeightedSum) {
  ScoreV2 s = score_v2(well_run_v1(), well_run_measured());
  EXPECT_DOUBLE_EQ(s.known_weight, 100.0);
  EXPECT_DOUBLE_EQ(value_of(s, FactorV2::kReachability), 1.0);
  EXPECT_NEAR(value_of(s, FactorV2::kAvailability), (1.0 + 0.98 + 0.95) / 3, 1e-12);
  EXPECT_DOUBLE_EQ(value_of(s, FactorV2::kLatency), 1.0);  // 40 ms <= 100 ms
  EXPECT_DOUBLE_EQ(value_of(s, FactorV2::kCreditsEligibility), 1.0);
  EXPECT_DOUBLE_EQ(value_of(s, FactorV2::kCreditsStanding), 0.9);
  EXPECT_DOUBLE_EQ(value_of(s, FactorV2::kGrowthTrend), 0.5);  // flat: 15 of 30 points
  // 15 + 14.65 + 5 + 10 + 4.5 + (10 + 8 + 8 + 4) + (8 + 6 + 3) = 49.15 + 30 + 17
  EXPECT_DOUBLE_EQ(s.score, 96.15);
  EXPECT_DOUBLE_EQ(s.factor(FactorV2::kAvailability).contribution, 14.65);
  EXPECT_DOUBLE_EQ(s.factor(FactorV2::kCreditsStanding).contribution, 4.5);
}

TEST(ScoringV2, UnknownInputsAreLeftOutAndTheWeightsRenormalised) {
  ScoreV2 s = score_v2(young_private_v1(), young_private_measured());
  EXPECT_FALSE(s.factor(FactorV2::kReachability).value);
  EXPECT_FALSE(s.factor(FactorV2::kAvailability).value);
  EXPECT_FALSE(s.factor(FactorV2::kLatency).value);
  EXPECT_DOUBLE_EQ(s.factor(FactorV2::kReachability).contribution, 0.0);
  EXPECT_DOUBLE_EQ(s.known_weight, 65.0);
  // (0 + 3 + 1 + 8/3 + 4 + 3 + 0.8 + 0 + 3) / 65 * 100 = 26.8718
  EXPECT_DOUBLE_EQ(s.score, 26.87);
  EXPECT_DOUBLE_EQ(s.factor(FactorV2::kCreditsStanding).contribution, 4.62);  // 5 * 0.6 / 0.65
}

TEST(ScoringV2, AnUnknownInputNeitherRewardsNorZeroes) {
  // Gossip alone: the v1 factors' weighted mean (47 of 50 points).
  ScoreV2 gossip_only = score_v2(well_run_v1(), MeasuredInputs{});
  EXPECT_DOUBLE_EQ(gossip_only.known_weight, 50.0);
  EXPECT_DOUBLE_EQ(gossip_only.score, 94.0);
  // A measured failure costs; the same input unknown does not.
  ScoreV2 unreachable = score_v2(well_run_v1(), unreachable_measured());
  EXPECT_DOUBLE_EQ(unreachable.known_weight, 65.0);
  EXPECT_DOUBLE_EQ(unreachable.score, 72.31);  // 47 / 65
  EXPECT_LT(unreachable.score, gossip_only.score);
}

// Each factor, moved alone from its best to its worst value, lowers the score: none is
// ignored.
TEST(ScoringV2, EveryFactorMovesTheScore) {
  const ScoreV2 best = score_v2(well_run_v1(), well_run_measured());
  auto lower = [&](const char* factor, const NodeScores& v1, const MeasuredInputs& m) {
    ScoreV2 worse = score_v2(v1, m);
    EXPECT_LT(worse.score, best.score) << factor;
  };
  const NodeScores v1 = well_run_v1();
  MeasuredInputs m = well_run_measured();
  m.reachable = false;
  m.probe_latency_ms.reset();
  m.availability.latency_mean_ms = 50;  // keeps latency known and full
  lower("reachability", v1, m);
  m = well_run_measured();
  m.availability.uptime_24h = m.availability.uptime_7d = m.availability.uptime_30d = 0.1;
  lower("availability", v1, m);
  m = well_run_measured();
  m.probe_latency_ms = 800;
  lower("latency (probe)", v1, m);
  m = well_run_measured();
  m.availability.latency_p95_ms = 900;
  lower("latency (p95 of sessions)", v1, m);
  m = well_run_measured();
  m.credits->eligible = false;
  lower("credits_eligibility", v1, m);
  m = well_run_measured();
  m.credits->credits = 1000;
  lower("credits_standing", v1, m);
  const MeasuredInputs good = well_run_measured();
  lower("uptime", score_node({1 * 86400, 9, "0.8.0", 1.0, 200 * testing::kGiB, 50.0, 0.5}, "0.8.0"), good);
  lower("gossip_presence", score_node({40 * 86400, 1, "0.8.0", 1.0, 200 * testing::kGiB, 50.0, 0.5}, "0.8.0"), good);
  lower("version_compliance", score_node({40 * 86400, 9, "0.7.0", 1.0, 200 * testing::kGiB, 50.0, 0.5}, "0.8.0"), good);
  lower("gossip_consistency", score_node({40 * 86400, 9, "0.8.0", 0.2, 200 * testing::kGiB, 50.0, 0.5}, "0.8.0"), good);
  lower("storage_committed", score_node({40 * 86400, 9, "0.8.0", 1.0, 10 * testing::kGiB, 50.0, 0.5}, "0.8.0"), good);
  lower("usage_balance", score_node({40 * 86400, 9, "0.8.0", 1.0, 200 * testing::kGiB, 95.0, 0.5}, "0.8.0"), good);
  lower("growth_trend", score_node({40 * 86400, 9, "0.8.0", 1.0, 200 * testing::kGiB, 50.0, 0.1}, "0.8.0"), good);
}

TEST(ScoringV2, LatencyIsLinearBetweenItsBounds) {
  MeasuredInputs m;
  m.reachable = true;
  m.probe_latency_ms = kLatencyFullMarksMs;
  EXPECT_DOUBLE_EQ(latency_value(m).value(), 1.0);
  m.probe_latency_ms = (kLatencyFullMarksMs + kLatencyZeroMs) / 2;
  EXPECT_DOUBLE_EQ(latency_value(m).value(), 0.5);
  m.probe_latency_ms = kLatencyZeroMs + 5000;
  EXPECT_DOUBLE_EQ(latency_value(m).value(), 0.0);
  // A pod that did not answer has no latency (its reachability already counts).
  m.reachable = false;
  EXPECT_FALSE(latency_value(m));
  // Sessions' figures win over the latest probe: the mean of the mean's and p95's marks.
  m.availability.latency_mean_ms = 100;
  m.availability.latency_p95_ms = 1000;
  EXPECT_DOUBLE_EQ(latency_value(m).value(), 0.5);
}

TEST(ScoringV2, AvailabilityIsTheMeanOfTheKnownWindows) {
  MeasuredAvailability a;
  EXPECT_FALSE(availability_value(a));
  a.uptime_7d = 0.5;
  EXPECT_DOUBLE_EQ(availability_value(a).value(), 0.5);
  a.uptime_30d = 0.9;
  EXPECT_DOUBLE_EQ(availability_value(a).value(), 0.7);
}

TEST(ScoringV2, CreditsStandingIsUnknownWhileThePercentileIsZero) {
  MeasuredInputs m;
  m.credits = CreditsMeasure{0, 0, false};
  EXPECT_FALSE(credits_standing_value(m));
  EXPECT_DOUBLE_EQ(credits_eligibility_value(m).value(), 0.0);
  m.credits = CreditsMeasure{25000, 10000, true};
  EXPECT_DOUBLE_EQ(credits_standing_value(m).value(), 1.0);  // clamped
}

std::string two_places(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", x);
  return buffer;
}

std::string read_scoring_doc() {
  std::ifstream in(PNODE_SCORING_DOC);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// docs/scoring.md's examples table: "| <example> | <v1 composite> | <known weight> | <score_v2> |".
TEST(ScoringV2, TheDocumentedExamplesAreWhatTheCodeComputes) {
  const std::string doc = read_scoring_doc();
  ASSERT_FALSE(doc.empty()) << PNODE_SCORING_DOC;
  struct Example {
    const char* name;
    NodeScores v1;
    MeasuredInputs measured;
  };
  const Example examples[] = {
      {"A", well_run_v1(), well_run_measured()},
      {"B", young_private_v1(), young_private_measured()},
      {"C", well_run_v1(), unreachable_measured()},
  };
  for (const auto& e : examples) {
    ScoreV2 s = score_v2(e.v1, e.measured);
    std::string row = std::string("| ") + e.name + " | " + two_places(e.v1.stake.composite_score) + " | " +
                      two_places(s.known_weight) + " | " + two_places(s.score) + " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/scoring.md lacks the row " << row;
  }
}

}  // namespace
}  // namespace pnode::analysis
