#include "api/node_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>

#include "api/test_support.h"

namespace pnode::api {
namespace {

namespace json = boost::json;
using testing::make_snapshot;
using testing::make_views;

std::vector<std::string> keys(const json::object& o) {
  std::vector<std::string> out;
  for (const auto& kv : o) out.emplace_back(kv.key());
  return out;
}

analysis::NodeView scored_online_node() {
  analysis::NodeView v = testing::make_online_view("1.2.3.4:9001", 1700000000, 86400, 72.35);
  v.peer_sources = {0, 2};
  static const std::vector<std::string> kSourceIps = {"10.0.0.1:6000", "10.0.0.3:6000"};  // a registry entry's
  v.source_ips = kSourceIps;
  v.rpc_port = 6001;
  v.storage_usage_percent = 45.5;
  v.scores.trust = {55.33, 1.33, 20.0, 20, 10.0};
  v.scores.capacity = {85.0, 30.0, 40.0, 15.0};
  v.scores.stake.composite_score = 72.35;
  v.scores.stake.rating = "medium_risk";
  return v;
}

json::object write_one(const analysis::NodeView& v, const model::Snapshot& snapshot) {
  JsonWriter w;
  write_node(w, v, snapshot);
  return json::parse(w.str()).as_object();
}

TEST(NodeJson, OnlineNodeHasTheReferenceFieldsInOrderAndTypes) {
  auto snapshot = make_snapshot(1700000100, {"10.0.0.1:6000", "10.0.0.2:6000", "10.0.0.3:6000"}, make_views({}));
  json::object o = write_one(scored_online_node(), *snapshot);
  EXPECT_EQ(keys(o), (std::vector<std::string>{"address", "pubkey", "is_online", "last_seen", "last_checked",
                                               "version", "uptime", "is_public", "rpc_port", "storage_committed",
                                               "storage_used", "storage_usage_percent", "peer_sources", "peer_count",
                                               "first_seen", "source_ips", "scores", "score", "tier",
                                               "score_v2"}));  // the reference's fields, then ours
  EXPECT_EQ(o.at("address"), "1.2.3.4:9001");
  EXPECT_EQ(o.at("is_online"), true);
  EXPECT_TRUE(o.at("last_seen").is_int64());
  EXPECT_EQ(o.at("uptime"), 86400);
  EXPECT_EQ(o.at("rpc_port"), 6001);
  EXPECT_TRUE(o.at("storage_usage_percent").is_double());
  EXPECT_EQ(o.at("peer_sources"), (json::array{"10.0.0.1:6000", "10.0.0.3:6000"}));
  EXPECT_EQ(o.at("peer_count"), 2);
  EXPECT_EQ(o.at("source_ips"), (json::array{"10.0.0.1:6000", "10.0.0.3:6000"}));
  EXPECT_TRUE(o.at("score").is_double());
  EXPECT_EQ(o.at("score").as_double(), 72.35);
  EXPECT_EQ(o.at("tier"), "medium_risk");
}

TEST(NodeJson, OnlineScoresHaveBreakdownsColorAndEmoji) {
  auto snapshot = make_snapshot(1700000100, {"s"}, make_views({}));
  json::object scores = write_one(scored_online_node(), *snapshot).at("scores").as_object();
  EXPECT_EQ(keys(scores), (std::vector<std::string>{"trust", "capacity", "stake_confidence"}));
  const json::object& trust = scores.at("trust").as_object();
  EXPECT_EQ(trust.at("score").as_double(), 55.33);
  const json::object& tb = trust.at("breakdown").as_object();
  EXPECT_EQ(keys(tb), (std::vector<std::string>{"uptime", "gossip_presence", "version_compliance",
                                                "gossip_consistency"}));
  EXPECT_TRUE(tb.at("version_compliance").is_int64());
  EXPECT_EQ(tb.at("version_compliance"), 20);
  EXPECT_TRUE(tb.at("gossip_presence").is_double());
  const json::object& cb = scores.at("capacity").as_object().at("breakdown").as_object();
  EXPECT_EQ(keys(cb), (std::vector<std::string>{"storage_committed", "usage_balance", "growth_trend"}));
  EXPECT_TRUE(cb.at("usage_balance").is_int64());  // the reference's int 40 inside the band
  const json::object& stake = scores.at("stake_confidence").as_object();
  EXPECT_EQ(keys(stake), (std::vector<std::string>{"composite_score", "rating", "color", "emoji"}));
  EXPECT_EQ(stake.at("rating"), "medium_risk");
  EXPECT_EQ(stake.at("color"), "#f59e0b");
  EXPECT_EQ(stake.at("emoji"), "\xF0\x9F\x9F\xA1");
}

// Scoring v2 beside the reference's score: the number on the node, and the breakdown with
// every factor in order, unknown ones null and listed.
TEST(NodeJson, ScoreV2IsWrittenBesideTheReferenceScore) {
  auto snapshot = make_snapshot(1700000100, {"s"}, make_views({}));
  analysis::NodeView v = scored_online_node();
  analysis::MeasuredInputs measured;
  measured.reachable = true;
  measured.probe_latency_ms = 550;  // half marks
  v.score_v2 = std::make_shared<const analysis::ScoreV2>(analysis::score_v2(v.scores, measured));
  json::object o = write_one(v, *snapshot);
  EXPECT_EQ(o.at("score_v2").as_double(), v.score_v2->score);
  EXPECT_EQ(o.at("score").as_double(), 72.35);  // the reference's score is untouched

  JsonWriter w;
  write_score_v2_breakdown(w, v.score_v2.get());
  json::object b = json::parse(w.str()).as_object();
  EXPECT_EQ(keys(b), (std::vector<std::string>{"score", "known_weight", "factors", "unknown"}));
  EXPECT_EQ(b.at("known_weight").as_double(), 70.0);
  std::vector<std::string> names;
  for (const auto& spec : analysis::kFactorsV2) names.emplace_back(spec.name);
  EXPECT_EQ(keys(b.at("factors").as_object()), names);
  const auto& latency = b.at("factors").at("latency");
  EXPECT_EQ(latency.at("value").as_double(), 0.5);
  EXPECT_EQ(latency.at("weight").as_double(), 5.0);
  EXPECT_EQ(latency.at("contribution").as_double(), 3.57);  // 5 x 0.5 / 0.70
  EXPECT_TRUE(b.at("factors").at("availability").at("value").is_null());
  EXPECT_EQ(b.at("unknown"), (json::array{"availability", "credits_eligibility", "credits_standing"}));

  JsonWriter none;
  write_score_v2_breakdown(none, nullptr);
  EXPECT_EQ(none.str(), "null");
}

TEST(NodeJson, UsageBalanceOutsideTheBandIsAFloat) {
  auto snapshot = make_snapshot(1700000100, {"s"}, make_views({}));
  analysis::NodeView v = scored_online_node();
  v.scores.capacity.usage_balance = 5.5;
  json::object cb = write_one(v, *snapshot).at("scores").at("capacity").at("breakdown").as_object();
  EXPECT_TRUE(cb.at("usage_balance").is_double());
  EXPECT_EQ(cb.at("usage_balance").as_double(), 5.5);
}

TEST(NodeJson, OfflineNodeHasOfflineDurationAndZeroScores) {
  auto snapshot = make_snapshot(1700000100, {"s"}, make_views({}));
  analysis::NodeView v = testing::make_offline_view("9.9.9.9:9001", 1699990000);
  v.last_checked = 1700000100;
  json::object o = write_one(v, *snapshot);
  EXPECT_EQ(keys(o), (std::vector<std::string>{"address", "pubkey", "is_online", "last_seen", "last_checked",
                                               "offline_duration", "version", "uptime", "is_public", "rpc_port",
                                               "storage_committed", "storage_used", "storage_usage_percent",
                                               "peer_sources", "peer_count", "first_seen", "source_ips", "scores",
                                               "score", "tier", "score_v2"}));
  EXPECT_TRUE(o.at("score_v2").is_null());  // offline: no v2 score
  EXPECT_EQ(o.at("is_online"), false);
  EXPECT_EQ(o.at("offline_duration"), 10100);
  EXPECT_EQ(o.at("uptime"), 0);
  EXPECT_EQ(o.at("peer_sources"), json::array{});
  EXPECT_EQ(o.at("peer_count"), 0);
  EXPECT_EQ(o.at("storage_committed"), 5000);
  EXPECT_TRUE(o.at("score").is_int64());
  EXPECT_EQ(o.at("score"), 0);
  EXPECT_EQ(o.at("tier"), "offline");
  EXPECT_EQ(json::serialize(o.at("scores")),
            R"({"trust":{"score":0,"breakdown":{}},"capacity":{"score":0,"breakdown":{}},)"
            R"("stake_confidence":{"composite_score":0,"rating":"offline"}})");
}

TEST(NodeJson, NetworkStatsCoverEveryNodeAndAverageOnlineUptime) {
  auto views = make_views({
      testing::make_online_view("a:1", 100, 7200, 50, "0.8.0"),
      testing::make_online_view("b:1", 100, 3600, 50, "0.7.0"),
      testing::make_offline_view("c:1", 10),
      testing::make_online_view("d:1", 100, 0, 50, "0.8.0"),
  });
  NetworkStats stats = compute_network_stats(*views);
  EXPECT_EQ(stats.total_storage_committed, 1000u * 3 + 5000u);
  EXPECT_EQ(stats.total_storage_used, 100u * 3 + 500u);
  EXPECT_EQ(stats.online_storage_committed, 1000u * 3);
  EXPECT_EQ(stats.online_storage_used, 100u * 3);
  ASSERT_TRUE(stats.avg_uptime_hours);
  EXPECT_EQ(*stats.avg_uptime_hours, 1.0);
  JsonWriter w;
  write_network_stats(w, stats);
  EXPECT_EQ(w.str(),
            R"({"total_storage_committed":8000,"total_storage_used":800,"avg_uptime_hours":1.0,)"
            R"("version_distribution":{"0.8.0":2,"0.7.0":1},"online_storage_committed":3000,"online_storage_used":300})");
}

TEST(NodeJson, NetworkStorageTotalsSaturateInsteadOfWrapping) {
  auto a = testing::make_online_view("a:1", 100, 7200, 50, "0.8.0");
  auto b = testing::make_online_view("b:1", 100, 7200, 50, "0.8.0");
  a.storage_committed = b.storage_committed = uint64_t{1} << 63;
  a.storage_used = b.storage_used = uint64_t{1} << 63;
  NetworkStats stats = compute_network_stats(*make_views({a, b}));
  EXPECT_EQ(stats.total_storage_committed, std::numeric_limits<uint64_t>::max());  // not 0 after a wrap
  EXPECT_EQ(stats.total_storage_used, std::numeric_limits<uint64_t>::max());
}

TEST(NodeJson, AverageUptimeIsRoundedLikePythonAndZeroWithoutOnlineNodes) {
  auto views = make_views({testing::make_online_view("a:1", 100, 1000, 50), testing::make_online_view("b:1", 100, 2000, 50),
                           testing::make_online_view("c:1", 100, 4000, 50)});
  // (1000+2000+4000)/3/3600 = 0.6481... -> 0.65
  EXPECT_EQ(*compute_network_stats(*views).avg_uptime_hours, 0.65);

  auto offline_only = make_views({testing::make_offline_view("x:1", 5)});
  NetworkStats stats = compute_network_stats(*offline_only);
  EXPECT_FALSE(stats.avg_uptime_hours);
  JsonWriter w;
  write_network_stats(w, stats);
  EXPECT_EQ(w.str(),
            R"({"total_storage_committed":5000,"total_storage_used":500,"avg_uptime_hours":0,)"
            R"("version_distribution":{},"online_storage_committed":0,"online_storage_used":0})");
}

}  // namespace
}  // namespace pnode::api
