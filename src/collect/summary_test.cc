#include "collect/summary.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

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

TEST(Summarize, SeedTotalsSaturateAndRamNeedsATotal) {
  std::vector<SeedPoll> seeds(3);
  for (auto& seed : seeds) {
    seed.stats = model::NodeStats{};
    seed.stats->total_bytes = uint64_t{1} << 63;
    seed.stats->active_streams = uint64_t{1} << 63;
  }
  seeds[0].stats->ram_used = 1 << 30;  // no ram_total: no percentage, not 1e11 %
  NetworkSummary s = summarize(seeds, 0, 0, 1000);
  EXPECT_EQ(s.total_bytes_processed, std::numeric_limits<uint64_t>::max());  // not 2^63 after a wrap
  EXPECT_EQ(s.total_active_streams, std::numeric_limits<uint64_t>::max());
  EXPECT_DOUBLE_EQ(s.avg_ram_used_percent, 0.0);
}

TEST(NetworkSample, StorageTotalsSaturateInsteadOfWrapping) {
  std::vector<model::Pod> pods;
  for (int i = 0; i < 20; ++i) {
    auto p = make_gossip_pod("n" + std::to_string(i) + ":1", 10);
    p.storage_committed = uint64_t{1} << 60;  // the largest value the parser lets through
    p.storage_used = uint64_t{1} << 60;
    pods.push_back(p);
  }
  Registry empty;
  auto r = assemble_cycle({make_seed_answer("s0", pods)}, empty, 1, 100, 100, {});
  EXPECT_EQ(r.write.network.total_storage_committed, std::numeric_limits<uint64_t>::max());  // 20 * 2^60 > 2^64
  EXPECT_EQ(r.write.network.total_storage_used, std::numeric_limits<uint64_t>::max());
  EXPECT_DOUBLE_EQ(r.write.network.storage_utilization_ratio, 100.0);
}

TEST(NetworkSample, VersionDistributionKeepsTheFiftyMostCommonVersions) {
  // 60 invented versions on one node each, and "0.8.0" on five.
  std::vector<model::Pod> pods;
  for (int i = 0; i < 60; ++i)
    pods.push_back(make_gossip_pod("h" + std::to_string(i) + ":1", 10, "9." + std::to_string(100 + i)));
  for (int i = 0; i < 5; ++i) pods.push_back(make_gossip_pod("r" + std::to_string(i) + ":1", 10, "0.8.0"));
  Registry empty;
  auto r = assemble_cycle({make_seed_answer("s0", pods)}, empty, 1, 100, 100, {});
  const auto& versions = r.write.network.version_distribution;
  EXPECT_EQ(versions.size(), kMaxHistoryVersions + 1);
  EXPECT_EQ(versions.at("0.8.0"), 5);  // the most common is always kept
  EXPECT_EQ(versions.at(kOtherVersions), 11);  // 60 + 1 versions, 50 kept
  EXPECT_EQ(versions.count("9.100"), 1u);  // ties: the smaller strings are kept
  EXPECT_EQ(versions.count("9.159"), 0u);
  int64_t total = 0;
  for (const auto& [version, count] : versions) total += count;
  EXPECT_EQ(total, 65);  // every online node still counted once
}

TEST(NetworkSample, AFewVersionsAreKeptAsTheyAre) {
  std::vector<model::Pod> pods;
  for (int i = 0; i < 50; ++i)
    pods.push_back(make_gossip_pod("h" + std::to_string(i) + ":1", 10, "9." + std::to_string(i)));
  Registry empty;
  auto r = assemble_cycle({make_seed_answer("s0", pods)}, empty, 1, 100, 100, {});
  EXPECT_EQ(r.write.network.version_distribution.size(), 50u);
  EXPECT_EQ(r.write.network.version_distribution.count(kOtherVersions), 0u);
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
