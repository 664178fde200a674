#include "analysis/growth.h"

#include <gtest/gtest.h>

#include <limits>

namespace pnode::analysis {
namespace {

model::NetworkHistoryRow sample(int64_t ts, int64_t pnodes, uint64_t committed, double peers,
                                std::map<std::string, int64_t> versions) {
  model::NetworkHistoryRow r;
  r.timestamp = ts;
  r.total_pnodes = pnodes;
  r.online_pnodes = pnodes;
  r.total_storage_committed = committed;
  r.avg_peer_count = peers;
  r.version_distribution = std::move(versions);
  return r;
}

TEST(GrowthBetween, TwoSamples) {
  // 1703001234 is 2023-12-19 15:53:54 UTC; a day earlier is 2023-12-18 15:53:54.
  auto past = sample(1703001234 - 86400, 80, 1000, 2.1, {{"0.7.0", 10}, {"0.8.0", 70}});
  auto now = sample(1703001234, 100, 1500, 2.4, {{"0.8.0", 100}});
  GrowthMetrics g = growth_between(past, now, 24);
  ASSERT_TRUE(g.available);
  EXPECT_EQ(g.period_hours, 24);
  EXPECT_EQ(g.comparison.start_time, 1703001234 - 86400);
  EXPECT_EQ(g.comparison.end_time, 1703001234);
  EXPECT_EQ(g.comparison.start_time_readable, "2023-12-18 15:53:54 UTC");
  EXPECT_EQ(g.comparison.end_time_readable, "2023-12-19 15:53:54 UTC");
  EXPECT_EQ(g.nodes.start_count, 80);
  EXPECT_EQ(g.nodes.end_count, 100);
  EXPECT_EQ(g.nodes.growth, 20);
  EXPECT_DOUBLE_EQ(g.nodes.growth_percent, 25.0);  // 20/80
  EXPECT_EQ(g.storage.start_committed, 1000u);
  EXPECT_EQ(g.storage.end_committed, 1500u);
  EXPECT_EQ(g.storage.growth, 500);
  EXPECT_DOUBLE_EQ(g.storage.growth_percent, 50.0);
  EXPECT_DOUBLE_EQ(g.network_health.start_peer_count, 2.1);
  EXPECT_DOUBLE_EQ(g.network_health.end_peer_count, 2.4);
  EXPECT_DOUBLE_EQ(g.network_health.peer_count_change, 0.3);  // 2.4 - 2.1 = 0.2999… -> 0.3
}

TEST(GrowthBetween, ShrinkingAndZeroStart) {
  auto past = sample(0, 3, 0, 3, {});
  auto now = sample(100, 2, 700, 1.5, {});
  GrowthMetrics g = growth_between(past, now, 168);
  EXPECT_EQ(g.nodes.growth, -1);
  EXPECT_DOUBLE_EQ(g.nodes.growth_percent, -33.33);  // -1/3
  EXPECT_EQ(g.storage.growth, 700);
  EXPECT_DOUBLE_EQ(g.storage.growth_percent, 0);  // start 0
  EXPECT_DOUBLE_EQ(g.network_health.peer_count_change, -1.5);
}

TEST(GrowthBetween, StorageGrowthOfSaturatedTotalsIsClampedNotWrapped) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();  // a saturated total
  GrowthMetrics up = growth_between(sample(0, 1, 1000, 1, {}), sample(100, 1, kMax, 1, {}), 24);
  EXPECT_EQ(up.storage.growth, std::numeric_limits<int64_t>::max());  // a cast would give -1001
  GrowthMetrics down = growth_between(sample(0, 1, kMax, 1, {}), sample(100, 1, 0, 1, {}), 24);
  EXPECT_EQ(down.storage.growth, std::numeric_limits<int64_t>::min());  // a cast would give +1
}

TEST(GrowthBetween, MissingSampleIsUnavailable) {
  auto row = sample(100, 2, 700, 1.5, {});
  EXPECT_FALSE(growth_between(std::nullopt, row, 24).available);
  EXPECT_FALSE(growth_between(row, std::nullopt, 24).available);
  EXPECT_FALSE(growth_between(std::nullopt, std::nullopt, 24).available);
}

TEST(NetworkHistorySummary, ComparesOldestAndNewest) {
  // Given out of order: the oldest (t=1000) and newest (t=4600) are compared.
  std::vector<model::NetworkHistoryRow> rows{
      sample(2800, 120, 9000, 9.0, {}),
      sample(4600, 90, 4000, 2.456, {{"0.8.0", 80}, {"0.7.0", 5}, {"unknown", 5}}),
      sample(1000, 100, 4000, 2.5, {{"0.8.0", 100}, {"0.7.0", 0}})};
  NetworkHistorySummary s = summarize_network_history(rows, 24);
  EXPECT_EQ(s.data_points, 3);
  EXPECT_EQ(s.time_range_hours, 24);
  ASSERT_TRUE(s.trends);
  const HistoryTrends& t = *s.trends;
  EXPECT_EQ(t.start_timestamp, 1000);
  EXPECT_EQ(t.end_timestamp, 4600);
  EXPECT_EQ(t.start_time_readable, "1970-01-01 00:16:40 UTC");
  EXPECT_EQ(t.end_time_readable, "1970-01-01 01:16:40 UTC");
  EXPECT_EQ(t.node_growth.start_count, 100);
  EXPECT_EQ(t.node_growth.end_count, 90);
  EXPECT_EQ(t.node_growth.growth, -10);
  EXPECT_DOUBLE_EQ(t.node_growth.growth_percent, -10.0);
  EXPECT_EQ(t.node_growth.trend, "declining");
  EXPECT_EQ(t.storage_growth.growth, 0);
  EXPECT_DOUBLE_EQ(t.storage_growth.growth_percent, 0);
  EXPECT_EQ(t.storage_growth.trend, "stable");
  EXPECT_DOUBLE_EQ(t.network_health.start_avg_peers, 2.5);
  EXPECT_DOUBLE_EQ(t.network_health.end_avg_peers, 2.46);  // 2.456 -> 2.46
  EXPECT_DOUBLE_EQ(t.network_health.peer_change, -0.04);   // -0.044 -> -0.04
  EXPECT_EQ(t.network_health.connectivity_trend, "declining");
  EXPECT_EQ(t.version_stability.start_version_count, 2);
  EXPECT_EQ(t.version_stability.end_version_count, 3);
  EXPECT_EQ(t.version_stability.stability, "fragmenting");
}

TEST(NetworkHistorySummary, GrowingAndImproving) {
  std::vector<model::NetworkHistoryRow> rows{sample(0, 10, 100, 1, {{"a", 1}, {"b", 1}}),
                                             sample(60, 11, 150, 2, {{"a", 11}})};
  auto t = *summarize_network_history(rows, 1).trends;
  EXPECT_EQ(t.node_growth.trend, "growing");
  EXPECT_DOUBLE_EQ(t.node_growth.growth_percent, 10.0);
  EXPECT_EQ(t.storage_growth.trend, "growing");
  EXPECT_DOUBLE_EQ(t.storage_growth.growth_percent, 50.0);
  EXPECT_EQ(t.network_health.connectivity_trend, "improving");
  EXPECT_EQ(t.version_stability.stability, "improving");
  // A single sample compares with itself: everything stable.
  auto one = *summarize_network_history({rows[0]}, 1).trends;
  EXPECT_EQ(one.node_growth.trend, "stable");
  EXPECT_EQ(one.network_health.connectivity_trend, "stable");
  EXPECT_EQ(one.version_stability.stability, "stable");
}

TEST(NetworkHistorySummary, EmptyWindow) {
  NetworkHistorySummary s = summarize_network_history({}, 24);
  EXPECT_EQ(s.data_points, 0);
  EXPECT_EQ(s.time_range_hours, 24);
  EXPECT_FALSE(s.trends);
}

}  // namespace
}  // namespace pnode::analysis
