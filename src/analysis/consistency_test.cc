#include "analysis/consistency.h"

#include <gtest/gtest.h>

#include "analysis/test_nodes.h"

namespace pnode::analysis {
namespace {

constexpr int64_t kNow = 1703001234;  // 2023-12-19 15:53:54 UTC
const std::string kRed = "\xF0\x9F\x94\xB4", kYellow = "\xF0\x9F\x9F\xA1", kGreen = "\xF0\x9F\x9F\xA2";

model::RegistryEntry entry(std::string address, int64_t a, int64_t d, std::optional<int64_t> last_drop = {},
                             std::optional<int64_t> last_appearance = {}) {
  model::RegistryEntry e;
  e.address = std::move(address);
  e.gossip_appearances = a;
  e.gossip_disappearances = d;
  e.consistency_score = static_cast<double>(a) / static_cast<double>(a + d);
  e.last_gossip_drop = last_drop;
  e.last_gossip_appearance = last_appearance;
  e.first_seen = 100;
  e.last_seen = kNow - 5;
  e.version = "0.8.0";
  return e;
}

// a: 1.0 (online), b: 2/4 = 0.5 (offline view), c: 3/4 = 0.75, d: 9/10 = 0.9, e: 1.0,
// f: 2/3 = 0.666…; c..f are not in the views at all.
std::vector<model::RegistryEntry> registry() {
  return {entry("a:1", 1, 0, std::nullopt, kNow - 50), entry("b:1", 2, 2, kNow - 100, kNow - 4000),
          entry("c:1", 3, 1, 0), entry("d:1", 9, 1), entry("e:1", 5, 0), entry("f:1", 2, 1)};
}

void fill_views(NodeViews& views) {
  views.nodes.push_back(testing::online_node("a:1", 1, 50, "0.8.0", 3));
  views.nodes.push_back(testing::offline_node("b:1", 100));
  for (uint32_t i = 0; i < views.nodes.size(); ++i) views.by_address.emplace(views.nodes[i].address, i);
}

std::vector<std::string> addresses(const std::vector<ConsistencyRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.address);
  return out;
}

TEST(NetworkConsistency, RowsSummaryAndFlappingList) {
  auto reg = registry();
  NodeViews views;
  fill_views(views);
  NetworkConsistency r = network_consistency(reg, views, {}, kNow);
  // Score descending, ties by address: a, e (1.0), d (0.9), c (0.75), f (0.6667), b (0.5).
  EXPECT_EQ(addresses(r.nodes), (std::vector<std::string>{"a:1", "e:1", "d:1", "c:1", "f:1", "b:1"}));
  EXPECT_EQ(addresses(r.flapping_nodes), (std::vector<std::string>{"c:1", "f:1", "b:1"}));
  const ConsistencyRow& a = r.nodes[0];
  EXPECT_TRUE(a.is_online);
  EXPECT_EQ(a.status, "stable");
  EXPECT_FALSE(a.last_drop);
  EXPECT_FALSE(a.time_since_last_drop_seconds);
  EXPECT_EQ(a.time_since_last_appearance_seconds, 50);
  const ConsistencyRow& b = r.nodes[5];
  EXPECT_FALSE(b.is_online);  // in the views, but offline
  EXPECT_DOUBLE_EQ(b.consistency_score, 0.5);
  EXPECT_EQ(b.gossip_appearances, 2);
  EXPECT_EQ(b.gossip_disappearances, 2);
  EXPECT_EQ(b.last_drop, kNow - 100);
  EXPECT_EQ(b.time_since_last_drop_seconds, 100);
  EXPECT_EQ(b.time_since_last_appearance_seconds, 4000);
  EXPECT_EQ(b.status, "flapping");
  const ConsistencyRow& c = r.nodes[3];
  EXPECT_EQ(c.last_drop, 0);                      // stored 0 is shown as is…
  EXPECT_FALSE(c.time_since_last_drop_seconds);  // …but counts as "never"
  EXPECT_FALSE(c.is_online);                      // not in the views
  EXPECT_DOUBLE_EQ(r.nodes[4].consistency_score, 0.6667);  // 2/3 rounded to 4 places

  // Summary over all six: mean (1 + 0.5 + 0.75 + 0.9 + 1 + 0.6667) = 4.81667/6 = 0.80278 -> 0.8028, "good".
  const ConsistencySummary& s = r.summary;
  EXPECT_EQ(s.total_nodes, 6);
  EXPECT_DOUBLE_EQ(s.avg_consistency_score, 0.8028);
  EXPECT_EQ(s.flapping_nodes, 3);
  EXPECT_EQ(s.stable_nodes, 3);
  EXPECT_EQ(s.total_network_appearances, 22);    // 1 + 2 + 3 + 9 + 5 + 2
  EXPECT_EQ(s.total_network_disappearances, 5);  // 0 + 2 + 1 + 1 + 0 + 1
  EXPECT_EQ(s.network_health, "good");
}

TEST(NetworkConsistency, SortKeysFilterAndLimit) {
  auto reg = registry();
  NodeViews views;
  fill_views(views);
  ConsistencyQuery q;
  q.sort_by = ConsistencySort::kGossipDisappearances;  // ascending, ties by address
  EXPECT_EQ(addresses(network_consistency(reg, views, q, kNow).nodes),
            (std::vector<std::string>{"a:1", "e:1", "c:1", "d:1", "f:1", "b:1"}));
  q.sort_by = ConsistencySort::kAddress;
  q.limit = 2;
  EXPECT_EQ(addresses(network_consistency(reg, views, q, kNow).nodes), (std::vector<std::string>{"a:1", "b:1"}));
  q = {};
  q.min_consistency = 0.75;  // >= 0.75 keeps c
  NetworkConsistency r = network_consistency(reg, views, q, kNow);
  EXPECT_EQ(addresses(r.nodes), (std::vector<std::string>{"a:1", "e:1", "d:1", "c:1"}));
  EXPECT_EQ(addresses(r.flapping_nodes), (std::vector<std::string>{"c:1"}));
  EXPECT_EQ(r.summary.total_nodes, 6);  // the summary ignores the filter
  EXPECT_EQ(parse_consistency_sort("address"), ConsistencySort::kAddress);
  EXPECT_FALSE(parse_consistency_sort("score"));
}

TEST(NetworkConsistency, HealthLevelsAndEmptyRegistry) {
  NodeViews views;
  NetworkConsistency r = network_consistency({}, views, {}, kNow);
  EXPECT_EQ(r.summary.total_nodes, 0);
  EXPECT_DOUBLE_EQ(r.summary.avg_consistency_score, 0);
  EXPECT_EQ(r.summary.network_health, "poor");
  EXPECT_TRUE(r.nodes.empty());
  // 0.9 -> excellent; (0.7 + 0.7)/2 -> fair; 0.5 -> poor.
  EXPECT_EQ(network_consistency({entry("x", 9, 1)}, views, {}, kNow).summary.network_health, "excellent");
  EXPECT_EQ(network_consistency({entry("x", 7, 3), entry("y", 7, 3)}, views, {}, kNow).summary.network_health, "fair");
  EXPECT_EQ(network_consistency({entry("x", 1, 1)}, views, {}, kNow).summary.network_health, "poor");
}

TEST(NodeConsistency, FlappingRecentlyDropped) {
  // A=6, D=4: c = 0.6; dropped 1800 s ago, appeared 600 s ago.
  NodeConsistency n = node_consistency(entry("x:1", 6, 4, kNow - 1800, kNow - 600), false, kNow);
  EXPECT_EQ(n.address, "x:1");
  EXPECT_DOUBLE_EQ(n.score, 0.6);
  EXPECT_EQ(n.status, "flapping");
  EXPECT_EQ(n.status_emoji, kRed);
  EXPECT_EQ(n.appearances, 6);
  EXPECT_EQ(n.disappearances, 4);
  EXPECT_EQ(n.ratio, "6:4");
  EXPECT_EQ(n.total_events, 10);
  const RecentActivity& a = n.recent_activity;
  EXPECT_EQ(a.last_drop, kNow - 1800);
  EXPECT_EQ(a.last_drop_readable, "2023-12-19 15:23:54 UTC");
  EXPECT_EQ(a.time_since_drop_seconds, 1800);
  EXPECT_EQ(a.time_since_drop_hours, 0.5);
  EXPECT_EQ(a.last_appearance_readable, "2023-12-19 15:43:54 UTC");
  EXPECT_EQ(a.time_since_appearance_seconds, 600);
  EXPECT_EQ(a.time_since_appearance_hours, 0.17);  // 600/3600 = 0.1666…
  EXPECT_EQ(n.recommendations,
            (std::vector<ConsistencyRecommendation>{
                {"high", "Node is flapping (consistency: 60.0%)",
                 "Check network stability, firewall rules, and gossip protocol configuration",
                 "Review node logs for restart patterns or network interruptions"},
                {"warning", "Node recently dropped from gossip (0.5 hours ago)", "Monitor closely for repeated drops",
                 "Check if this is part of a flapping pattern"}}));
  EXPECT_FALSE(n.is_online);
  EXPECT_EQ(n.version, "0.8.0");
  EXPECT_EQ(n.first_seen, 100);
  EXPECT_EQ(n.last_seen, kNow - 5);
}

TEST(NodeConsistency, ManyDrops) {
  // A=30, D=12: c = 30/42 = 0.714285… -> "71.4%"; dropped 10 s ago -> "0.0 hours ago".
  NodeConsistency n = node_consistency(entry("z:1", 30, 12, kNow - 10), true, kNow);
  EXPECT_DOUBLE_EQ(n.score, 0.7143);
  ASSERT_EQ(n.recommendations.size(), 3u);
  EXPECT_EQ(n.recommendations[0].issue, "Node is flapping (consistency: 71.4%)");
  EXPECT_EQ(n.recommendations[1],
            (ConsistencyRecommendation{"medium", "Node has dropped from gossip 12 times",
                                       "Investigate why the node keeps disappearing from gossip",
                                       "Check for: network issues, frequent restarts, or gossip port accessibility"}));
  EXPECT_EQ(n.recommendations[2].issue, "Node recently dropped from gossip (0.0 hours ago)");
  EXPECT_FALSE(n.recent_activity.last_appearance);
  EXPECT_FALSE(n.recent_activity.last_appearance_readable);
  EXPECT_FALSE(n.recent_activity.time_since_appearance_hours);
}

TEST(NodeConsistency, UnstableAndStableLevels) {
  // 17/19 = 0.8947: unstable, and no rule fires (drop 7200 s ago is not recent).
  NodeConsistency n = node_consistency(entry("w:1", 17, 2, kNow - 7200), true, kNow);
  EXPECT_EQ(n.status, "unstable");
  EXPECT_EQ(n.status_emoji, kYellow);
  EXPECT_DOUBLE_EQ(n.score, 0.8947);
  EXPECT_EQ(n.recommendations, (std::vector<ConsistencyRecommendation>{{"info", "No issues detected",
                                                                        "Node has stable gossip presence",
                                                                        "Continue normal operations"}}));
  // 10/11 = 0.90909: stable.
  n = node_consistency(entry("y:1", 10, 1), true, kNow);
  EXPECT_EQ(n.status, "stable");
  EXPECT_EQ(n.status_emoji, kGreen);
  EXPECT_DOUBLE_EQ(n.score, 0.9091);
  // A drop stored as 0 means "never": no readable time, no "recent drop" rule.
  model::RegistryEntry zero = entry("v:1", 1, 0, 0);
  zero.version.reset();
  n = node_consistency(zero, true, kNow);
  EXPECT_EQ(n.recent_activity.last_drop, 0);
  EXPECT_FALSE(n.recent_activity.last_drop_readable);
  EXPECT_FALSE(n.recent_activity.time_since_drop_hours);
  EXPECT_EQ(n.recommendations.size(), 1u);
  EXPECT_EQ(n.version, "unknown");
}

}  // namespace
}  // namespace pnode::analysis
