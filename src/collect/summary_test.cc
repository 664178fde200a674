#include "collect/summary.h"

#include <gtest/gtest.h>

#include "collect/cycle.h"
#include "collect/test_pods.h"

namespace pnode::collect {
namespace {

using testing::make_seed_answer;
using testing::make_failed_seed_answer;
using testing::make_gossip_pod;

TEST(Summarize, AveragesOverSeedsThatReportedStats) {
  std::vector<SeedPoll> seeds(3);
  seeds[0].seed = "s0";
  seeds[0].stats = model::NodeStats{};
  seeds[0].stats->cpu_percent = 2.0;
  seeds[0].stats->ram_used = 1;
  seeds[0].stats->ram_total = 4;
  seeds[0].stats->total_bytes = 100;
  seeds[0].stats->active_streams = 2;
  seeds[1].seed = "s1";
  seeds[1].stats = model::NodeStats{};
  seeds[1].stats->cpu_percent = 3.0;
  seeds[1].stats->ram_used = 3;
  seeds[1].stats->ram_total = 4;
  seeds[1].stats->active_streams = 2;
  seeds[2].seed = "s2";
  seeds[2].pods_error = make_error(ErrorCode::kTimeout, "s2 timed out");
  NetworkSummary s = summarize(seeds, 10, 25, 1000);
  EXPECT_EQ(s.total_nodes, 3);
  EXPECT_EQ(s.total_pnodes, 10);
  EXPECT_EQ(s.total_pnodes_raw, 25);
  EXPECT_EQ(s.seeds_responding, 2);
  EXPECT_DOUBLE_EQ(s.avg_cpu_percent, 2.5);
  EXPECT_DOUBLE_EQ(s.avg_ram_used_percent, 50.0);  // (25 + 75) / 2
  EXPECT_EQ(s.total_bytes_processed, 100u);
  EXPECT_EQ(s.total_active_streams, 4u);
  EXPECT_EQ(s.last_updated, 1000);
}

TEST(NetworkSample, CountsPublicVersionsStorageAndPeers) {
  auto p1 = make_gossip_pod("a:1", 10, "0.8.0");
  p1.is_public = true;
  p1.storage_committed = 1000;
  p1.storage_used = 100;
  p1.storage_usage_percent = 10.0;
  auto p2 = make_gossip_pod("b:1", 10, "0.7.0");
  p2.storage_committed = 3000;
  p2.storage_used = 0;
  p2.storage_usage_percent = 0.0;
  Registry empty;
  auto r = assemble_cycle({make_seed_answer("s0", {p1, p2}), make_seed_answer("s1", {p1})}, empty, 1, 100, 100, {});
  const auto& row = r.write.network;
  EXPECT_EQ(row.timestamp, 100);
  EXPECT_EQ(row.total_pnodes, 2);
  EXPECT_EQ(row.online_pnodes, 2);
  EXPECT_EQ(row.total_ip_nodes, 2);
  EXPECT_EQ(row.public_pnodes, 1);
  EXPECT_EQ(row.private_pnodes, 1);
  EXPECT_EQ(row.total_storage_committed, 4000u);
  EXPECT_EQ(row.total_storage_used, 100u);
  EXPECT_DOUBLE_EQ(row.avg_storage_usage_percent, 10.0);  // only usage > 0 counts
  EXPECT_DOUBLE_EQ(row.storage_utilization_ratio, 2.5);
  EXPECT_DOUBLE_EQ(row.avg_peer_count, 1.5);
  EXPECT_EQ(row.version_distribution, (std::map<std::string, int64_t>{{"0.7.0", 1}, {"0.8.0", 1}}));
}

TEST(NodeSamples, OnlineRowsCarryScoresAndRecentDropsAreOffline) {
  Registry empty;
  auto c1 = assemble_cycle({make_seed_answer("s0", {make_gossip_pod("a:1", 10), make_gossip_pod("b:1", 10)})}, empty, 1, 100, 100, {});
  auto c2 = assemble_cycle({make_seed_answer("s0", {make_gossip_pod("a:1", 150)})}, *c1.snapshot->registry, 2, 160, 160, {});
  const auto& rows = c2.write.nodes;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].address, "a:1");
  EXPECT_TRUE(rows[0].is_online);
  EXPECT_GT(rows[0].score, 0);
  EXPECT_DOUBLE_EQ(rows[0].score, c2.snapshot->views->find("a:1")->score());
  EXPECT_EQ(rows[1].address, "b:1");
  EXPECT_FALSE(rows[1].is_online);
  EXPECT_EQ(rows[1].score, 0);
  // A day later the dead node no longer gets a row every cycle.
  auto c3 = assemble_cycle({make_seed_answer("s0", {make_gossip_pod("a:1", 90000)})}, *c2.snapshot->registry, 3, 90000, 90000, {});
  ASSERT_EQ(c3.write.nodes.size(), 1u);
}

}  // namespace
}  // namespace pnode::collect
