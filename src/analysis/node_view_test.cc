#include "analysis/node_view.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "analysis/credits.h"
#include "analysis/scoring_v2.h"
#include "model/availability.h"

namespace pnode::analysis {
namespace {

model::Pod pod(std::string address, int64_t last_seen, uint64_t uptime, std::string version) {
  model::Pod p;
  p.address = std::move(address);
  p.pubkey = "pk-" + p.address;
  p.last_seen_timestamp = last_seen;
  p.uptime = uptime;
  p.version = std::move(version);
  p.is_public = true;
  p.rpc_port = 6000;
  p.storage_committed = 1000;
  p.storage_used = 10;
  p.storage_usage_percent = 1.0;
  return p;
}

model::RegistryEntry entry(std::string address, int64_t first_seen, int64_t last_seen) {
  model::RegistryEntry e;
  e.address = std::move(address);
  e.pubkey = "pk-" + e.address;
  e.first_seen = first_seen;
  e.last_seen = last_seen;
  e.storage_committed = 5000;
  e.storage_used = 50;
  e.storage_usage_percent = 1.0;
  e.version = "0.7.0";
  return e;
}

model::Snapshot sample_snapshot() {
  model::Snapshot s;
  s.last_updated = 2000;
  s.seeds.resize(3);
  s.nodes.push_back({pod("10.b:9001", 1990, 500, "0.8.0"), {0, 1, 2}, 0});
  s.nodes.push_back({pod("10.a:9001", 1995, 900, "0.8.0"), {1}, 1});
  model::Pod bare;  // learnt through the get-pods fallback: no stats
  bare.address = "10.c:9001";
  bare.last_seen_timestamp = 1980;
  s.nodes.push_back({bare, {2}, 2});
  auto reg = std::make_shared<model::Registry>();
  reg->entries = {entry("10.a:9001", 100, 1995), entry("10.b:9001", 50, 1990), entry("10.c:9001", 70, 1980),
                  entry("10.d:9001", 10, 900)};
  reg->entries[2].uptime = 777;
  reg->entries[2].version = "0.8.0";
  reg->reindex();
  s.registry = reg;
  return s;
}

TEST(NodeViews, OnlineFirstThenOfflineFromRegistry) {
  auto s = sample_snapshot();
  auto v = build_node_views(s, {});
  ASSERT_EQ(v->nodes.size(), 4u);
  EXPECT_EQ(v->online_count, 3u);
  EXPECT_EQ(v->nodes[0].address, "10.b:9001");
  EXPECT_TRUE(v->nodes[0].is_online);
  EXPECT_EQ(v->nodes[0].first_seen, 50);
  EXPECT_EQ(v->nodes[0].peer_count(), 3u);
  const NodeView* off = v->find("10.d:9001");
  ASSERT_NE(off, nullptr);
  EXPECT_FALSE(off->is_online);
  EXPECT_EQ(off->tier(), "offline");
  EXPECT_EQ(off->uptime, 0u);
  EXPECT_EQ(off->storage_committed, 5000u);
  EXPECT_EQ(off->last_checked, 2000);
  EXPECT_EQ(v->latest_version, "0.8.0");
}

TEST(NodeViews, FallbackRowsKeepLastKnownValues) {
  auto s = sample_snapshot();
  auto v = build_node_views(s, {});
  const NodeView* c = v->find("10.c:9001");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->is_online);
  EXPECT_EQ(c->uptime, 777u);
  EXPECT_EQ(c->version, "0.8.0");
  EXPECT_EQ(c->storage_committed, 5000u);
  EXPECT_EQ(c->pubkey, "");
}

// Both of `key`'s orders are the stable sorts, by value_of(position), of the address order.
template <class ValueOf>
void expect_stable_sorts_of_the_address_order(const NodeViews& views, SortKey key, ValueOf value_of) {
  std::vector<uint32_t> by_address(views.nodes.size());
  std::iota(by_address.begin(), by_address.end(), 0u);
  std::sort(by_address.begin(), by_address.end(),
            [&](uint32_t a, uint32_t b) { return views.nodes[a].address < views.nodes[b].address; });
  auto desc = by_address, asc = by_address;
  std::stable_sort(desc.begin(), desc.end(), [&](uint32_t a, uint32_t b) { return value_of(a) > value_of(b); });
  std::stable_sort(asc.begin(), asc.end(), [&](uint32_t a, uint32_t b) { return value_of(a) < value_of(b); });
  EXPECT_EQ(views.desc_order[static_cast<size_t>(key)], desc);
  EXPECT_EQ(views.asc_order[static_cast<size_t>(key)], asc);
}

// Many ties, shuffled addresses: both orders are the stable sorts of the address order,
// descending and ascending (the ascending one is derived from the descending one).
TEST(NodeViews, OrdersAreStableSortsOfTheAddressOrderWithManyTies) {
  std::mt19937 random(7);
  NodeViews views;
  for (int i = 0; i < 500; ++i) {
    NodeView v;
    v.address = "10.0." + std::to_string(random() % 1000) + "." + std::to_string(i) + ":9001";
    v.uptime = random() % 7;  // seven values over 500 nodes
    views.nodes.push_back(std::move(v));
  }
  index_node_views(views);
  expect_stable_sorts_of_the_address_order(views, SortKey::kUptime,
                                           [&](uint32_t i) { return static_cast<double>(views.nodes[i].uptime); });
}

// Fractional, negative and signed-zero values order as doubles do (the orders radix-sort
// the values' bits): both orders are the stable sorts of the address order.
TEST(NodeViews, OrdersOfFractionalNegativeAndZeroValuesAreTheStableSortsOfTheAddressOrder) {
  std::mt19937 random(5);
  const std::vector<double> values = {-1.0, -0.0, 0.0, 1e-9, 1.5, 2.25, 99.999, 100.0, -1e-300};
  NodeViews views;
  for (int i = 0; i < 600; ++i) {
    NodeView v;
    v.address = "10.2." + std::to_string(random() % 1000) + "." + std::to_string(i) + ":9001";
    v.storage_usage_percent = values[random() % values.size()];
    views.nodes.push_back(std::move(v));
  }
  index_node_views(views);
  expect_stable_sorts_of_the_address_order(views, SortKey::kStorageUsagePercent,
                                           [&](uint32_t i) { return views.nodes[i].storage_usage_percent; });
}

// The address order compares addresses' first 16 bytes as integers and the rest only on
// a tie: addresses that differ past byte 16, that are prefixes of others, or that hold
// bytes above 0x7f still come out in std::string's order.
TEST(NodeViews, TheAddressOrderIsStringOrderPastTheFirstSixteenBytes) {
  std::mt19937 random(11);
  const std::vector<std::string> stems = {"203.0.113.250:90", "203.0.113.250:9", "203.0.113.25", "", "\xc3\xa9.1.2.3:1"};
  NodeViews views;
  for (int i = 0; i < 400; ++i) {
    NodeView v;
    v.address = stems[random() % stems.size()] + std::to_string(random() % 50);
    views.nodes.push_back(std::move(v));
  }
  index_node_views(views);
  std::vector<std::string> expected;
  for (const auto& v : views.nodes) expected.push_back(v.address);
  std::sort(expected.begin(), expected.end());
  expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
  // Every view's storage_used is 0, so that key's order is the address order itself.
  const size_t storage = static_cast<size_t>(SortKey::kStorageUsed);
  std::vector<std::string> got;
  for (uint32_t i : views.desc_order[storage]) {
    if (got.empty() || got.back() != views.nodes[i].address) got.push_back(views.nodes[i].address);
  }
  EXPECT_EQ(got, expected);
}

TEST(NodeViews, SortOrdersBreakTiesByAddress) {
  auto s = sample_snapshot();
  auto v = build_node_views(s, {});
  auto names = [&](const std::vector<uint32_t>& order) {
    std::vector<std::string> out;
    for (auto i : order) out.push_back(v->nodes[i].address);
    return out;
  };
  size_t uptime = static_cast<size_t>(SortKey::kUptime);
  EXPECT_EQ(names(v->desc_order[uptime]),
            (std::vector<std::string>{"10.a:9001", "10.c:9001", "10.b:9001", "10.d:9001"}));
  EXPECT_EQ(names(v->asc_order[uptime]),
            (std::vector<std::string>{"10.d:9001", "10.b:9001", "10.c:9001", "10.a:9001"}));
  size_t last_seen = static_cast<size_t>(SortKey::kLastSeen);
  EXPECT_EQ(v->nodes[v->desc_order[last_seen][0]].address, "10.a:9001");
  // Equal keys: all offline scores are 0 and ties go by address.
  size_t score = static_cast<size_t>(SortKey::kScore);
  EXPECT_EQ(v->nodes[v->asc_order[score][0]].address, "10.d:9001");
}

TEST(NodeViews, ScoresUseDerivedLatestVersionAndConsistency) {
  auto s = sample_snapshot();
  auto reg = std::make_shared<model::Registry>(*s.registry);
  reg->entries[0].consistency_score = 0.5;  // 10.a
  reg->reindex();
  s.registry = reg;
  auto v = build_node_views(s, {});
  EXPECT_DOUBLE_EQ(v->find("10.a:9001")->scores.trust.gossip_consistency, 5.0);
  EXPECT_EQ(v->find("10.a:9001")->scores.trust.version_compliance, 20);
  auto overridden = build_node_views(s, {"1.2.0"});
  EXPECT_EQ(overridden->find("10.a:9001")->scores.trust.version_compliance, 0);
}

TEST(ParseSortKey, KnowsTheSixKeys) {
  EXPECT_EQ(parse_sort_key("score"), SortKey::kScore);
  EXPECT_EQ(parse_sort_key("first_seen"), SortKey::kFirstSeen);
  EXPECT_FALSE(parse_sort_key("bogus"));
}

// Scoring v2 reads the snapshot's probe round and credits view: 10.b answered in 20 ms and
// is eligible; 10.a timed out and is listed below the threshold; 10.c was refused by the
// guard (not probed) and is in no list read (0 credits); 10.d is offline (no v2 score).
TEST(NodeViews, ScoreV2UsesTheProbeRoundAndTheCreditsView) {
  auto s = sample_snapshot();
  s.nodes[2].pod.pubkey = "pk-10.c:9001";  // gossiped without stats, but with its pubkey
  auto round = std::make_shared<model::ProbeRound>();
  model::PodProbe answered;
  answered.address = "10.b:9001";
  answered.reachable = true;
  answered.connect_ms = 20;
  model::PodProbe timed_out;
  timed_out.address = "10.a:9001";
  timed_out.failure = "timeout";
  model::PodProbe denied;
  denied.address = "10.c:9001";
  denied.failure = "denied";
  round->results = {answered, timed_out, denied};
  round->reindex();
  s.probe = round;
  s.credits = std::make_shared<CreditsView>(
      assess_credits({{"pk-10.b:9001", 1000}, {"pk-10.a:9001", 100}, {"pk-other", 1000}}, {}));

  auto v = build_node_views(s, {});
  const ScoreV2& b = *v->find("10.b:9001")->score_v2;
  EXPECT_EQ(b.factor(FactorV2::kReachability).value, 1.0);
  EXPECT_EQ(b.factor(FactorV2::kLatency).value, 1.0);
  EXPECT_EQ(b.factor(FactorV2::kCreditsEligibility).value, 1.0);
  EXPECT_EQ(b.factor(FactorV2::kCreditsStanding).value, 1.0);
  EXPECT_FALSE(b.factor(FactorV2::kAvailability).value);
  const ScoreV2& a = *v->find("10.a:9001")->score_v2;
  EXPECT_EQ(a.factor(FactorV2::kReachability).value, 0.0);
  EXPECT_FALSE(a.factor(FactorV2::kLatency).value);
  EXPECT_EQ(a.factor(FactorV2::kCreditsEligibility).value, 0.0);
  EXPECT_EQ(a.factor(FactorV2::kCreditsStanding).value, 0.1);
  const ScoreV2& c = *v->find("10.c:9001")->score_v2;
  EXPECT_FALSE(c.factor(FactorV2::kReachability).value);
  EXPECT_EQ(c.factor(FactorV2::kCreditsEligibility).value, 0.0);
  EXPECT_EQ(c.factor(FactorV2::kCreditsStanding).value, 0.0);
  EXPECT_FALSE(v->find("10.d:9001")->score_v2);

  // The sort key: best v2 first, the offline node (no score) last.
  const auto& desc = v->desc_order[static_cast<size_t>(SortKey::kScoreV2)];
  ASSERT_EQ(desc.size(), 4u);
  EXPECT_EQ(v->nodes[desc.front()].address, "10.b:9001");
  EXPECT_EQ(v->nodes[desc.back()].address, "10.d:9001");
  EXPECT_EQ(parse_sort_key("score_v2"), SortKey::kScoreV2);
}

// Availability from the snapshot's table (the probe sessions) fills the availability
// factor; a pod the table does not hold stays unknown.
TEST(NodeViews, ScoreV2ReadsTheSnapshotsAvailabilityTable) {
  auto s = sample_snapshot();
  auto table = std::make_shared<model::AvailabilityTable>();
  model::PodAvailability b;
  b.uptime_24h = 0.5;
  b.uptime_7d = 0.8;
  b.uptime_30d = 0.9;
  b.latency_mean_ms = 40;
  b.latency_p95_ms = 90;
  table->by_address["10.b:9001"] = b;
  s.availability = table;
  auto v = build_node_views(s, {});
  const auto& factor = v->find("10.b:9001")->score_v2->factor(FactorV2::kAvailability);
  ASSERT_TRUE(factor.value);
  EXPECT_EQ(factor.value, availability_value({0.5, 0.8, 0.9, 40.0, 90.0}));
  EXPECT_LT(*factor.value, 1.0);
  EXPECT_FALSE(v->find("10.a:9001")->score_v2->factor(FactorV2::kAvailability).value);
}

// Without probe round or credits list, only the gossip factors are known.
TEST(NodeViews, ScoreV2WithoutMeasurementsKnowsOnlyGossip) {
  auto v = build_node_views(sample_snapshot(), {});
  EXPECT_DOUBLE_EQ(v->find("10.a:9001")->score_v2->known_weight, 50.0);
  // A node without a pubkey cannot be found in a credits list: unknown, not zero.
  auto s = sample_snapshot();
  s.credits = std::make_shared<CreditsView>(assess_credits({{"pk-other", 1000}}, {}));
  auto with_credits = build_node_views(s, {});
  EXPECT_FALSE(with_credits->find("10.c:9001")->score_v2->factor(FactorV2::kCreditsEligibility).value);
  EXPECT_EQ(with_credits->find("10.a:9001")->score_v2->factor(FactorV2::kCreditsEligibility).value, 0.0);
}

}  // namespace
}  // namespace pnode::analysis
