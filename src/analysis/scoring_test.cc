#include "analysis/scoring.h"

#include <gtest/gtest.h>

namespace pnode::analysis {
namespace {

constexpr uint64_t kGiB = 1024ull * 1024 * 1024;

// Each expectation below is worked out by hand from docs/reference-compat.md §4 and the
// documented fixes.
TEST(Scoring, FullMarksNodeOnLatestVersion) {
  ScoringInput in{40 * 86400, 9, "0.8.0", 1.0, 200 * kGiB, 50.0, 0.5};
  NodeScores s = score_node(in, "0.8.0");
  // trust: 40 + 30 + 20 + 10
  EXPECT_DOUBLE_EQ(s.trust.score, 100.0);
  EXPECT_EQ(s.trust.version_compliance, 20);
  // capacity: 30 + 40 + 15
  EXPECT_DOUBLE_EQ(s.capacity.score, 85.0);
  // 100*0.6 + 85*0.4 = 94
  EXPECT_DOUBLE_EQ(s.stake.composite_score, 94.0);
  EXPECT_EQ(s.stake.rating, "low_risk");
  EXPECT_STREQ(s.stake.color(), "#10b981");
}

TEST(Scoring, YoungSmallNodeOneVersionBehind) {
  // 3 days uptime, 1 seed, 0.7.3 vs 0.8.0, consistency 0.75, 10 GiB, usage 1e-5 %.
  ScoringInput in{3 * 86400, 1, "0.7.3", 0.75, 10 * kGiB, 1e-5, 0.5};
  NodeScores s = score_node(in, "0.8.0");
  EXPECT_DOUBLE_EQ(s.trust.uptime, 4.0);           // 3/30*40
  EXPECT_DOUBLE_EQ(s.trust.gossip_presence, 10.0);  // 1/3*30
  EXPECT_EQ(s.trust.version_compliance, 10);
  EXPECT_DOUBLE_EQ(s.trust.gossip_consistency, 7.5);
  EXPECT_DOUBLE_EQ(s.trust.score, 31.5);
  EXPECT_DOUBLE_EQ(s.capacity.storage_committed, 3.0);  // 10/100*30
  EXPECT_DOUBLE_EQ(s.capacity.usage_balance, 0.0);      // 1e-5/20*40 = 2e-5 -> 0.0
  EXPECT_DOUBLE_EQ(s.capacity.score, 18.0);             // 3 + 0.00002 + 15 -> 18.0
  EXPECT_DOUBLE_EQ(s.stake.composite_score, 26.1);      // 31.5*0.6 + 18*0.4
  EXPECT_EQ(s.stake.rating, "high_risk");
}

TEST(Scoring, APreReleaseScoresBelowTheReleaseItPrecedes) {
  ScoringInput release{40 * 86400, 9, "0.8.0", 1.0, 200 * kGiB, 50.0, 0.5};
  ScoringInput trynet = release;
  trynet.version = "0.8.0-trynet.20251208141952.3b3bb24";
  ScoringInput ahead = release;
  ahead.version = "0.9.0-rc1";  // newer than the latest release, but still a test build
  NodeScores r = score_node(release, "0.8.0"), t = score_node(trynet, "0.8.0"), a = score_node(ahead, "0.8.0");
  EXPECT_EQ(r.trust.version_compliance, 20);
  EXPECT_EQ(t.trust.version_compliance, 10);
  EXPECT_EQ(a.trust.version_compliance, 10);
  EXPECT_LT(t.stake.composite_score, r.stake.composite_score);
  EXPECT_LT(a.stake.composite_score, r.stake.composite_score);
  // One release line behind, a pre-release keeps the points of that line (no double penalty).
  ScoringInput old_rc = release;
  old_rc.version = "0.7.3-rc2";
  EXPECT_EQ(score_node(old_rc, "0.8.0").trust.version_compliance, 10);
}

TEST(Scoring, FactorsAreClampedToTheirRange) {
  ScoringInput in{0, 0, "unknown", 1.5, 0, 130.0, 2.0};
  NodeScores s = score_node(in, "0.8.0");
  EXPECT_DOUBLE_EQ(s.capacity.usage_balance, 0.0);  // (100-130)/20*40 would be -60
  EXPECT_DOUBLE_EQ(s.capacity.growth_trend, 30.0);
  EXPECT_DOUBLE_EQ(s.trust.gossip_consistency, 10.0);
  EXPECT_EQ(s.trust.version_compliance, 0);
}

TEST(Scoring, MediumRiskBoundary) {
  // trust 60 (uptime 15d = 20, presence 2 seeds = 20, compliance 20, consistency 0 = 0)
  ScoringInput in{15 * 86400, 2, "0.8.0", 0.0, 100 * kGiB, 90.0, 0.5};
  NodeScores s = score_node(in, "0.8.0");
  EXPECT_DOUBLE_EQ(s.trust.score, 60.0);
  EXPECT_DOUBLE_EQ(s.capacity.usage_balance, 20.0);  // (100-90)/20*40
  EXPECT_DOUBLE_EQ(s.capacity.score, 65.0);          // 30 + 20 + 15
  EXPECT_DOUBLE_EQ(s.stake.composite_score, 62.0);   // 36 + 26
  EXPECT_EQ(s.stake.rating, "medium_risk");
}

TEST(Scoring, OfflineScoresCarryNoColour) {
  NodeScores s = offline_scores();
  EXPECT_EQ(s.stake.rating, "offline");
  EXPECT_STREQ(s.stake.color(), "");
  EXPECT_DOUBLE_EQ(s.stake.composite_score, 0.0);
}

}  // namespace
}  // namespace pnode::analysis
