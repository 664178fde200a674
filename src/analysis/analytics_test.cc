#include "analysis/analytics.h"

#include <gtest/gtest.h>

#include "analysis/test_nodes.h"

namespace pnode::analysis {
namespace {

using testing::offline_node;
using testing::online_node;

const char kLe[] = "\xE2\x89\xA4";  // ≤

// Ten online nodes (and two offline ones, which analytics ignores):
//  versions: 4x 0.8.0, 0.8.0-trynet.7, 0.8.3 (compliant: 6), 2x 0.7.0, 0.6.1 (outdated: 3), unknown
//  usage:    0, 9.99 | 10, 29.9 | 30, 50, 69.99 | 70, 89.9 | 90
//  peers:    0, 1 | 2, 2 | 3, 4, 3, 3 | 5, 9
//  public:   the first three
std::vector<NodeView> analytics_sample() {
  const char* versions[] = {"0.8.0", "0.8.0", "0.8.0", "0.8.0", "0.8.0-trynet.7",
                            "0.8.3", "0.7.0", "0.7.0", "0.6.1", "unknown"};
  double usage[] = {0, 9.99, 10, 29.9, 30, 50, 69.99, 70, 89.9, 90};
  size_t peers[] = {0, 1, 2, 3, 4, 5, 9, 3, 3, 2};
  std::vector<NodeView> nodes;
  for (int i = 0; i < 10; ++i) {
    nodes.push_back(online_node("n" + std::to_string(i), 86400, usage[i], versions[i], peers[i]));
    nodes.back().is_public = i < 3;
  }
  nodes.push_back(offline_node("off1", 10));
  nodes.push_back(offline_node("off2", 10));
  return nodes;
}

TEST(NetworkAnalytics, BucketsAndComplianceAgainstTheDerivedLatest) {
  auto nodes = analytics_sample();
  NetworkAnalytics a = network_analytics(nodes, "0.8.0");
  EXPECT_EQ(a.current_state.total_pnodes, 10);
  EXPECT_EQ(a.current_state.public_nodes, 3);
  EXPECT_EQ(a.current_state.private_nodes, 7);
  EXPECT_DOUBLE_EQ(a.current_state.public_ratio_percent, 30.0);

  const VersionAnalysis& v = a.version_analysis;
  using P = std::pair<std::string, int64_t>;
  EXPECT_EQ(v.distribution, (std::vector<P>{P{"0.8.0", 4}, P{"0.8.0-trynet.7", 1}, P{"0.8.3", 1}, P{"0.7.0", 2},
                                            P{"0.6.1", 1}, P{"unknown", 1}}));
  EXPECT_EQ(v.latest_version, "0.8.0");
  EXPECT_EQ(v.latest_version_count, 6);
  EXPECT_EQ(v.outdated_count, 3);
  EXPECT_DOUBLE_EQ(v.compliance_percent, 60.0);
  EXPECT_EQ(v.fragmentation_index, 6);
  EXPECT_EQ(v.health, "fair");  // 60 > 50

  const StorageAnalysis& s = a.storage_analysis;
  EXPECT_EQ(s.distribution.empty, 2);
  EXPECT_EQ(s.distribution.low, 2);
  EXPECT_EQ(s.distribution.optimal, 3);
  EXPECT_EQ(s.distribution.high, 2);
  EXPECT_EQ(s.distribution.critical, 1);
  EXPECT_EQ(s.optimal_nodes, 3);
  EXPECT_DOUBLE_EQ(s.optimal_percent, 30.0);
  EXPECT_EQ(s.critical_nodes, 1);
  EXPECT_EQ(s.health, "good");  // 3 > 1

  const ConnectivityAnalysis& c = a.connectivity_analysis;
  EXPECT_EQ(c.distribution.isolated, 2);
  EXPECT_EQ(c.distribution.weak, 2);
  EXPECT_EQ(c.distribution.good, 4);
  EXPECT_EQ(c.distribution.excellent, 2);
  EXPECT_EQ(c.well_connected, 6);
  EXPECT_DOUBLE_EQ(c.well_connected_percent, 60.0);
  EXPECT_EQ(c.isolated_nodes, 2);
  EXPECT_EQ(c.health, "fair");  // 2 is not < 1

  // Version (60 < 70, medium); critical 1 is not > 1; empty 2 is not > 3; isolated 2 > 1.
  EXPECT_EQ(a.recommendations,
            (std::vector<AnalyticsRecommendation>{
                {"version", "medium", "Only 60.0% of nodes are on the latest version",
                 "Encourage operators to upgrade to v0.8.0"},
                {"connectivity", "high", std::string("2 nodes have weak connectivity (") + kLe + "1 peer)",
                 "Check network configuration and gossip protocol health"}}));
}

TEST(NetworkAnalytics, StorageRulesAndPythonReprOfCompliance) {
  // 3 nodes, 1 compliant: 33.333… -> 33.33 -> round(·, 1) = 33.3 (high, < 50).
  // Usage 95, 90, 5: critical 2 > 0.3; empty 1 > 0.9. Peers 3 each.
  std::vector<NodeView> nodes{online_node("a", 1, 95, "1.2.0", 3), online_node("b", 1, 90, "1.1.0", 3),
                              online_node("c", 1, 5, "1.0.9", 3)};
  NetworkAnalytics a = network_analytics(nodes, "1.2.0");
  EXPECT_DOUBLE_EQ(a.version_analysis.compliance_percent, 33.33);
  EXPECT_EQ(a.version_analysis.outdated_count, 2);
  EXPECT_EQ(a.version_analysis.health, "poor");
  EXPECT_EQ(a.storage_analysis.health, "fair");  // optimal 0 is not > critical 2
  EXPECT_EQ(a.connectivity_analysis.health, "good");
  EXPECT_EQ(a.recommendations,
            (std::vector<AnalyticsRecommendation>{
                {"version", "high", "Only 33.3% of nodes are on the latest version",
                 "Encourage operators to upgrade to v1.2.0"},
                {"storage", "high", "2 nodes at critical storage capacity (>90%)",
                 "Monitor these nodes closely or increase storage allocation"},
                {"storage", "low", "1 nodes are underutilized (<10% usage)",
                 "Network may be over-provisioned or needs more usage"}}));
}

TEST(NetworkAnalytics, HealthyNetworkGetsTheGeneralRecommendation) {
  std::vector<NodeView> nodes;
  for (int i = 0; i < 4; ++i) nodes.push_back(online_node("n" + std::to_string(i), 1, 50, "0.8.0", 3));
  NetworkAnalytics a = network_analytics(nodes, "0.8.0");
  EXPECT_DOUBLE_EQ(a.version_analysis.compliance_percent, 100.0);
  EXPECT_EQ(a.version_analysis.health, "good");
  EXPECT_EQ(a.recommendations, (std::vector<AnalyticsRecommendation>{
                                   {"general", "info", "Network health is good", "Continue monitoring"}}));
}

TEST(NetworkAnalytics, NoOnlineNodes) {
  std::vector<NodeView> nodes{offline_node("a", 10)};
  NetworkAnalytics a = network_analytics(nodes, "0.8.0");
  EXPECT_EQ(a.current_state.total_pnodes, 0);
  EXPECT_DOUBLE_EQ(a.current_state.public_ratio_percent, 0);
  EXPECT_DOUBLE_EQ(a.version_analysis.compliance_percent, 0);
  EXPECT_EQ(a.version_analysis.health, "poor");
  EXPECT_EQ(a.storage_analysis.health, "fair");
  EXPECT_EQ(a.connectivity_analysis.health, "fair");
  // Only the version rule fires, with the reference's bare "0".
  ASSERT_EQ(a.recommendations.size(), 1u);
  EXPECT_EQ(a.recommendations[0].message, "Only 0% of nodes are on the latest version");
  EXPECT_EQ(a.recommendations[0].severity, "high");
}

TEST(NetworkAnalytics, UnknownLatestVersion) {
  std::vector<NodeView> nodes{online_node("a", 1, 50, "unknown", 3)};
  NetworkAnalytics a = network_analytics(nodes, "unknown");
  EXPECT_EQ(a.version_analysis.latest_version_count, 0);
  EXPECT_EQ(a.version_analysis.outdated_count, 0);
  EXPECT_EQ(a.recommendations[0].action, "Encourage operators to upgrade to the latest version");
}

}  // namespace
}  // namespace pnode::analysis
