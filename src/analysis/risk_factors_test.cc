#include "analysis/risk_factors.h"

#include <gtest/gtest.h>

#include "analysis/scoring.h"

namespace pnode::analysis {
namespace {

constexpr uint64_t kGiB = 1024ull * 1024 * 1024;

TEST(RiskFactors, FullMarksLeaveNothingToExplain) {
  ScoringInput in{40 * 86400, 9, "0.8.0", 1.0, 200 * kGiB, 50.0, 1.0};
  EXPECT_TRUE(risk_factors(score_node(in, "0.8.0")).empty());
}

TEST(RiskFactors, ListsTheShortFactorsByCompositePointsLost) {
  // 3 days up (4/40), 1 seed (10/30), one version behind (10/20), consistency 0.75 (7.5/10),
  // 10 GiB (3/30), usage 50 % (40/40), flat growth (15/30).
  ScoringInput in{3 * 86400, 1, "0.7.3", 0.75, 10 * kGiB, 50.0, 0.5};
  std::vector<RiskFactor> f = risk_factors(score_node(in, "0.8.0"));
  ASSERT_EQ(f.size(), 6u);  // usage balance has full marks
  EXPECT_EQ(f[0].factor, "uptime");  // 36 x 0.6 = 21.6
  EXPECT_EQ(f[0].score, "trust");
  EXPECT_DOUBLE_EQ(f[0].points, 4.0);
  EXPECT_DOUBLE_EQ(f[0].max, 40.0);
  EXPECT_DOUBLE_EQ(f[0].composite_lost, 21.6);
  EXPECT_EQ(f[1].factor, "gossip_presence");  // 20 x 0.6 = 12
  EXPECT_DOUBLE_EQ(f[1].composite_lost, 12.0);
  EXPECT_EQ(f[2].factor, "storage_committed");  // 27 x 0.4 = 10.8
  EXPECT_EQ(f[2].score, "capacity");
  EXPECT_DOUBLE_EQ(f[2].composite_lost, 10.8);
  EXPECT_EQ(f[3].factor, "version_compliance");  // 10 x 0.6 = 6
  EXPECT_EQ(f[4].factor, "growth_trend");        // 15 x 0.4 = 6, after the tie in breakdown order
  EXPECT_EQ(f[5].factor, "gossip_consistency");  // 2.5 x 0.6 = 1.5
  EXPECT_DOUBLE_EQ(f[5].composite_lost, 1.5);
}

TEST(RiskFactors, APreReleaseLosesVersionPointsEvenOnTheLatestCore) {
  ScoringInput in{40 * 86400, 9, "0.8.0-trynet.1", 1.0, 200 * kGiB, 50.0, 1.0};
  std::vector<RiskFactor> f = risk_factors(score_node(in, "0.8.0"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].factor, "version_compliance");
  EXPECT_DOUBLE_EQ(f[0].points, 10.0);
}

}  // namespace
}  // namespace pnode::analysis
