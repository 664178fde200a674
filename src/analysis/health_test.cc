#include "analysis/health.h"

#include <gtest/gtest.h>

#include "analysis/test_nodes.h"

namespace pnode::analysis {
namespace {

using testing::offline_node;
using testing::online_node;
using testing::with_score;

TEST(NetworkHealth, FourFactorsOverOnlineNodes) {
  // Online: 0.8.0/score 90/3 peers, 0.8.0/70/2, 0.7.0/50/1; one offline node.
  std::vector<NodeView> nodes{with_score(online_node("a", 86400, 50, "0.8.0", 3), 90, 90),
                              with_score(online_node("b", 86400, 50, "0.8.0", 2), 70, 70),
                              with_score(online_node("c", 86400, 50, "0.7.0", 1), 50, 50), offline_node("d", 10)};
  NetworkHealth h = network_health(nodes);
  ASSERT_TRUE(h.factors);
  EXPECT_DOUBLE_EQ(h.factors->availability, 22.5);         // 3/4 * 30
  EXPECT_DOUBLE_EQ(h.factors->version_consistency, 16.67);  // 2/3 * 25 = 16.666…
  EXPECT_DOUBLE_EQ(h.factors->node_quality, 17.5);          // 70/100 * 25
  EXPECT_DOUBLE_EQ(h.factors->connectivity, 13.33);         // (6/3)/3 * 20 = 13.333…
  EXPECT_DOUBLE_EQ(h.health_score, 70.0);                   // 22.5 + 16.666… + 17.5 + 13.333…
  EXPECT_EQ(h.status, "fair");
  auto alerts = network_alerts(nodes, h);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0], (NetworkAlert{"high", "low_node_count", "Network has only 3 active nodes",
                                     "Monitor node availability closely"}));
}

TEST(NetworkHealth, LowScoreMessageUsesPythonRepr) {
  // 2 of 6 online, same version, scores 80 and 61, peers 0 and 1:
  // 2/6*30 = 10; 25; (141/2)/100*25 = 17.625; (1/2)/3*20 = 3.333…; sum 55.958… -> 55.96.
  std::vector<NodeView> nodes{with_score(online_node("a", 86400, 50, "0.8.0", 0), 80, 80),
                              with_score(online_node("b", 86400, 50, "0.8.0", 1), 61, 61)};
  for (int i = 0; i < 4; ++i) nodes.push_back(offline_node("off" + std::to_string(i), 10));
  NetworkHealth h = network_health(nodes);
  EXPECT_DOUBLE_EQ(h.health_score, 55.96);
  EXPECT_EQ(h.status, "degraded");
  EXPECT_DOUBLE_EQ(h.factors->node_quality, 17.62);  // 17.625 is exact: Python rounds the tie to even
  auto alerts = network_alerts(nodes, h);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[1], (NetworkAlert{"high", "low_health_score", "Network health score is 55.96",
                                     "Review network health factors"}));
}

TEST(NetworkHealth, IntegralScoreKeepsPointZeroAndBoundaryIsDegraded) {
  // 1 of 2 online, score 0, no peers: 15 + 25 + 0 + 0 = 40.0.
  std::vector<NodeView> nodes{with_score(online_node("a", 86400, 50, "0.8.0", 0), 0, 0), offline_node("b", 10)};
  NetworkHealth h = network_health(nodes);
  EXPECT_DOUBLE_EQ(h.health_score, 40.0);
  EXPECT_EQ(h.status, "degraded");
  EXPECT_EQ(network_alerts(nodes, h).back().message, "Network health score is 40.0");
}

TEST(NetworkHealth, VersionFragmentationCountsUnknown) {
  // 60 online nodes on four versions ("unknown" included), full scores and 3 peers:
  // 30 + (15/60)*25 = 6.25 + 25 + 20 = 81.25 -> healthy, and the only alert is fragmentation.
  std::vector<NodeView> nodes;
  const char* versions[] = {"0.8.0", "0.7.0", "unknown", "0.8.0-trynet.1"};
  for (int i = 0; i < 60; ++i)
    nodes.push_back(with_score(online_node("n" + std::to_string(i), 86400, 50, versions[i % 4], 3), 100, 100));
  NetworkHealth h = network_health(nodes);
  EXPECT_DOUBLE_EQ(h.health_score, 81.25);
  EXPECT_EQ(h.status, "healthy");
  auto alerts = network_alerts(nodes, h);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0], (NetworkAlert{"medium", "version_fragmentation", "Network running 4 different versions",
                                     "Consider coordinating version upgrades"}));
}

TEST(NetworkHealth, MediumSeverityBetweenThirtyAndFifty) {
  std::vector<NodeView> nodes;
  for (int i = 0; i < 30; ++i)
    nodes.push_back(with_score(online_node("n" + std::to_string(i), 86400, 50, "0.8.0", 3), 100, 100));
  auto alerts = network_alerts(nodes, network_health(nodes));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, "medium");
  EXPECT_EQ(alerts[0].message, "Network has only 30 active nodes");
}

TEST(NetworkHealth, AllOfflineIsCritical) {
  std::vector<NodeView> nodes{offline_node("a", 10), offline_node("b", 10)};
  NetworkHealth h = network_health(nodes);
  ASSERT_TRUE(h.factors);
  EXPECT_DOUBLE_EQ(h.health_score, 0.0);
  EXPECT_EQ(h.status, "critical");
  EXPECT_DOUBLE_EQ(h.factors->availability, 0.0);
  auto alerts = network_alerts(nodes, h);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].message, "Network has only 0 active nodes");
  EXPECT_EQ(alerts[1].message, "Network health score is 0.0");
}

TEST(NetworkHealth, EmptyListIsUnknownWithoutFactors) {
  NetworkHealth h = network_health({});
  EXPECT_EQ(h.status, "unknown");
  EXPECT_FALSE(h.factors);
  EXPECT_EQ(h.health_score, 0);
  auto alerts = network_alerts({}, h);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].severity, "high");
  EXPECT_EQ(alerts[1].message, "Network health score is 0");
}

}  // namespace
}  // namespace pnode::analysis
