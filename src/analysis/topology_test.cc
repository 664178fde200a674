#include "analysis/topology.h"

#include <gtest/gtest.h>

#include "analysis/test_nodes.h"

namespace pnode::analysis {
namespace {

using testing::offline_node;
using testing::online_node;

std::vector<model::SeedPoll> seeds() {
  std::vector<model::SeedPoll> s(3);
  s[0].seed = "10.0.0.1:6000";
  model::NodeStats stats;
  stats.active_streams = 5;
  stats.uptime = 86400;
  stats.cpu_percent = 2.5;
  stats.ram_used = 1620;
  stats.ram_total = 10000;
  s[0].stats = stats;
  s[0].pod_count = 15;
  s[1].seed = "10.0.0.2:6000";  // did not answer get-stats
  s[2].seed = "10.0.0.3:6000";
  stats.ram_used = 1;
  stats.ram_total = 3;
  s[2].stats = stats;
  s[2].pod_count = 4;
  return s;
}

TEST(Topology, VerticesEdgesAndStats) {
  auto seed_polls = seeds();
  std::vector<NodeView> nodes{online_node("198.51.100.136:9001", 1, 50, "0.8.0", 2),
                              online_node("averyveryverylonghostname:9001", 1, 50, "0.8.0", 1),
                              offline_node("10.9.9.9:9001", 100)};
  nodes[0].is_public = true;
  nodes[0].peer_sources = {0, 2};
  nodes[1].peer_sources = {1};
  NetworkTopology t = build_topology(seed_polls, nodes);

  ASSERT_EQ(t.ip_nodes.size(), 3u);
  EXPECT_EQ(t.ip_nodes[0].id, "10.0.0.1:6000");
  EXPECT_EQ(t.ip_nodes[0].active_streams, 5u);
  EXPECT_EQ(t.ip_nodes[0].uptime, 86400u);
  EXPECT_DOUBLE_EQ(t.ip_nodes[0].cpu_percent, 2.5);
  EXPECT_DOUBLE_EQ(t.ip_nodes[0].ram_used_percent, 16.2);  // 1620 / 10000 * 100
  EXPECT_EQ(t.ip_nodes[0].total_pods_reported, 15);
  EXPECT_EQ(t.ip_nodes[1].active_streams, 0u);
  EXPECT_DOUBLE_EQ(t.ip_nodes[1].ram_used_percent, 0);
  EXPECT_EQ(t.ip_nodes[1].total_pods_reported, 0);
  EXPECT_DOUBLE_EQ(t.ip_nodes[2].ram_used_percent, 33.33);  // 1/3 * 100

  ASSERT_EQ(t.pnodes.size(), 2u);  // the offline node is not drawn
  EXPECT_EQ(t.pnodes[0].node, &nodes[0]);
  EXPECT_EQ(t.pnodes[0].label, "198.51.100.136");  // 14 characters: kept
  EXPECT_STREQ(t.pnodes[0].group(), "public");
  EXPECT_EQ(t.pnodes[1].label, "averyveryver...");
  EXPECT_STREQ(t.pnodes[1].group(), "private");

  ASSERT_EQ(t.edges.size(), 3u);
  EXPECT_EQ(t.ip_nodes[t.edges[0].seed].id, "10.0.0.1:6000");
  EXPECT_EQ(t.edges[0].node->address, "198.51.100.136:9001");
  EXPECT_EQ(t.ip_nodes[t.edges[1].seed].id, "10.0.0.3:6000");
  EXPECT_EQ(t.ip_nodes[t.edges[2].seed].id, "10.0.0.2:6000");
  EXPECT_EQ(t.edges[2].node->address, "averyveryverylonghostname:9001");

  EXPECT_EQ(t.stats.total_nodes, 5);
  EXPECT_EQ(t.stats.ip_nodes, 3);
  EXPECT_EQ(t.stats.pnodes, 2);
  EXPECT_EQ(t.stats.total_connections, 3);
  EXPECT_DOUBLE_EQ(t.stats.avg_connections_per_pnode, 1.5);
}

TEST(Topology, LabelRule) {
  EXPECT_EQ(pnode_label("1.2.3.4:9001"), "1.2.3.4");
  EXPECT_EQ(pnode_label("no-port-here"), "no-port-here");
  EXPECT_EQ(pnode_label("123456789012345:1"), "123456789012345");  // exactly 15: kept
  EXPECT_EQ(pnode_label("1234567890123456:1"), "123456789012...");  // 16: cut to 12 + "..."
  EXPECT_EQ(pnode_label(""), "");
}

TEST(Topology, NoPnodes) {
  NetworkTopology t = build_topology(seeds(), {offline_node("a:1", 10)});
  EXPECT_EQ(t.stats.pnodes, 0);
  EXPECT_EQ(t.stats.total_nodes, 3);
  EXPECT_DOUBLE_EQ(t.stats.avg_connections_per_pnode, 0);
  t = build_topology({}, {});
  EXPECT_EQ(t.stats.total_nodes, 0);
  EXPECT_TRUE(t.edges.empty());
}

}  // namespace
}  // namespace pnode::analysis
