#include "analysis/recommendations.h"

#include <gtest/gtest.h>

#include "analysis/test_nodes.h"

namespace pnode::analysis {
namespace {

using testing::offline_node;
using testing::online_node;
using testing::with_score;

std::vector<NodeView> sample() {
  std::vector<NodeView> n;
  n.push_back(with_score(online_node("e", 8 * 86400, 24.255, "0.8.0", 3), 80, 80));   // 80, 8 days
  n.push_back(with_score(online_node("d", 20 * 86400, 50, "0.8.0", 3), 80, 80));      // 80, 20 days
  n.push_back(with_score(online_node("c", 20 * 86400, 50, "0.8.0", 3), 80, 80));      // 80, 20 days
  n.push_back(with_score(online_node("b", 30 * 86400, 50, "0.8.0", 3), 90, 90));      // 90
  n.push_back(with_score(online_node("young", 6 * 86400, 50, "0.8.0", 3), 99, 99));   // below 7 days
  n.push_back(offline_node("off", 10));
  n[1].is_public = true;
  n[3].is_public = true;
  return n;
}

std::vector<std::string> addresses(const StakingRecommendations& r) {
  std::vector<std::string> out;
  for (const auto& i : r.items) out.push_back(i.node->address);
  return out;
}

TEST(StakingRecommendations, ScoreThenUptimeThenAddress) {
  auto nodes = sample();
  auto r = recommend_for_staking(nodes, {});
  EXPECT_EQ(r.total_evaluated, 4);  // young (6 days) and the offline node are filtered out
  // b (90) first; then three at 80: c and d have 20 days (address order), e has 8.
  EXPECT_EQ(addresses(r), (std::vector<std::string>{"b", "c", "d", "e"}));
  const auto& e = r.items[3];
  EXPECT_DOUBLE_EQ(e.uptime_days, 8.0);
  // 24.255 is stored as 24.25499999…: Python's round(·, 2) gives 24.25.
  EXPECT_DOUBLE_EQ(e.storage_usage_percent, 24.25);
}

TEST(StakingRecommendations, LimitKeepsTotalEvaluated) {
  auto nodes = sample();
  RecommendationFilters f;
  f.limit = 2;
  auto r = recommend_for_staking(nodes, f);
  EXPECT_EQ(r.total_evaluated, 4);
  EXPECT_EQ(addresses(r), (std::vector<std::string>{"b", "c"}));
}

TEST(StakingRecommendations, PublicMinScoreAndMinUptime) {
  auto nodes = sample();
  RecommendationFilters f;
  f.require_public = true;
  auto r = recommend_for_staking(nodes, f);
  EXPECT_EQ(addresses(r), (std::vector<std::string>{"b", "d"}));
  f = {};
  f.min_score = 85;
  EXPECT_EQ(addresses(recommend_for_staking(nodes, f)), (std::vector<std::string>{"b"}));
  f = {};
  f.min_uptime_days = 6;  // exactly 6 days passes (uptime >= days * 86400)
  r = recommend_for_staking(nodes, f);
  EXPECT_EQ(r.total_evaluated, 5);
  EXPECT_EQ(r.items[0].node->address, "young");
  EXPECT_DOUBLE_EQ(r.items[0].uptime_days, 6.0);
}

TEST(StakingRecommendations, UptimeDaysRoundsToOneDecimal) {
  // 7 days + 9000 s = 7.104166… days -> 7.1.
  std::vector<NodeView> nodes{with_score(online_node("x", 7 * 86400 + 9000, 50, "0.8.0", 3), 70, 70)};
  auto r = recommend_for_staking(nodes, {});
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_DOUBLE_EQ(r.items[0].uptime_days, 7.1);
}

TEST(StakingRecommendations, EmptyAndAllOffline) {
  EXPECT_EQ(recommend_for_staking({}, {}).total_evaluated, 0);
  std::vector<NodeView> nodes{offline_node("a", 10), offline_node("b", 10)};
  auto r = recommend_for_staking(nodes, {});
  EXPECT_EQ(r.total_evaluated, 0);
  EXPECT_TRUE(r.items.empty());
}

}  // namespace
}  // namespace pnode::analysis
