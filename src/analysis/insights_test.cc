#include "analysis/insights.h"

#include <gtest/gtest.h>

#include "analysis/node_view.h"

namespace pnode::analysis {
namespace {

model::Snapshot two_node_snapshot() {
  model::Snapshot s;
  s.last_updated = 10000;
  s.seeds.resize(2);
  s.seeds[0].seed = "127.0.0.1:1";
  s.seeds[1].seed = "127.0.0.1:2";
  model::Pod a;
  a.address = "127.1.0.1:9001";
  a.pubkey = "op";
  a.version = "0.8.0";
  a.uptime = 600;  // under an hour: a critical low_uptime alert
  a.last_seen_timestamp = 9990;
  model::Pod b = a;
  b.address = "127.1.0.2:9001";
  b.uptime = 40 * 86400;
  s.nodes = {{a, {0, 1}, 0}, {b, {0}, 0}};
  auto reg = std::make_shared<model::Registry>();
  s.registry = reg;
  s.views = build_node_views(s, {});
  return s;
}

TEST(DeriveInsights, ComputesEachPartOncePerSnapshot) {
  auto s = two_node_snapshot();
  model::NetworkHistoryRow now_row, old_row;
  now_row.timestamp = 10000;
  now_row.total_pnodes = 2;
  old_row.timestamp = 10000 - 86400;
  old_row.total_pnodes = 1;
  auto in = derive_insights(s, {now_row, old_row, std::nullopt, nullptr});
  ASSERT_EQ(in->alerts_by_node.size(), 2u);
  bool low_uptime = false;
  for (const auto& a : in->alerts_by_node[0]) low_uptime |= a.type == AlertType::kLowUptime && a.severity == Severity::kCritical;
  EXPECT_TRUE(low_uptime);
  EXPECT_TRUE(in->growth_24h.available);
  EXPECT_EQ(in->growth_24h.nodes.growth, 1);
  EXPECT_FALSE(in->growth_7d.available);
  EXPECT_EQ(in->topology.edges.size(), 3u);
  EXPECT_GT(in->health.health_score, 0);
}

TEST(BuildNodeViews, GrowthTrendFeedsTheCapacityScore) {
  auto s = two_node_snapshot();
  GrowthTrends trends{{"127.1.0.1:9001", 1.0}};
  auto views = build_node_views(s, {}, &trends);
  EXPECT_DOUBLE_EQ(views->find("127.1.0.1:9001")->scores.capacity.growth_trend, 30.0);
  EXPECT_DOUBLE_EQ(views->find("127.1.0.2:9001")->scores.capacity.growth_trend, 15.0);
}

}  // namespace
}  // namespace pnode::analysis
