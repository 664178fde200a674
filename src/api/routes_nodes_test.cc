// /recommendations, /operators and /pnodes/compare over the test network.
#include <gtest/gtest.h>

#include "api/route_test_support.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

class NodeRoutes : public RoutesTest {
 protected:
  static std::vector<std::string> addresses(const json::value& list, const char* key = "address") {
    std::vector<std::string> out;
    for (const auto& item : list.as_array()) out.emplace_back(item.at(key).as_string());
    return out;
  }
};

// ---- /recommendations ----

TEST_F(NodeRoutes, RecommendationsDefaultKeepsSevenDaysOfUptimeBestScoreFirst) {
  auto body = get_json("/recommendations");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"recommendations", "total_evaluated", "filters", "timestamp"}));
  // Online with uptime >= 7 days: A (40 d, 94.0) and B (15 d, 62.0).
  EXPECT_EQ(addresses(body.at("recommendations")), (std::vector<std::string>{kA, kB}));
  EXPECT_JSON_INT(body.at("total_evaluated"), 2);
  EXPECT_EQ(to_text(body.at("filters")), R"({"min_uptime_days":7,"require_public":false,"min_score":null})");
  const auto& a = body.at("recommendations").at(0);
  EXPECT_EQ(keys_of(a), (std::vector<std::string>{"address", "pubkey", "score", "tier", "scores", "uptime_days",
                                                  "version", "storage_usage_percent", "is_public", "peer_count",
                                                  "first_seen", "last_seen", "risk_factors", "score_v2"}));
  EXPECT_TRUE(a.at("score_v2").is_double());
  EXPECT_JSON_FLOAT(a.at("score"), 94.0);
  EXPECT_EQ(a.at("tier"), "low_risk");
  // Here trust and capacity are numbers, with the breakdowns beside them.
  EXPECT_JSON_FLOAT(a.at("scores").at("trust"), 100.0);
  EXPECT_JSON_FLOAT(a.at("scores").at("capacity"), 85.0);
  EXPECT_JSON_INT(a.at("scores").at("breakdown").at("trust").at("version_compliance"), 20);
  EXPECT_JSON_INT(a.at("scores").at("breakdown").at("capacity").at("usage_balance"), 40);
  EXPECT_JSON_FLOAT(a.at("uptime_days"), 40.0);  // round(3456000 / 86400, 1)
  EXPECT_JSON_FLOAT(a.at("storage_usage_percent"), 50.0);
  EXPECT_JSON_INT(a.at("peer_count"), 3);
  // Not in the reference: what kept A below 100 (flat growth, 15 of 30 capacity points).
  EXPECT_EQ(to_text(a.at("risk_factors")),
            R"([{"factor":"growth_trend","score":"capacity","points":15.0,"max":30.0,"composite_lost":6.0}])");
  EXPECT_EQ(get("/recommendations").body, get("/recommendations?limit=10&min_uptime_days=7").body);  // cached
}

TEST_F(NodeRoutes, RecommendationsFilters) {
  // One day of uptime lets D (2 days, 39.2) in, after A and B.
  auto day = get_json("/recommendations?min_uptime_days=1");
  EXPECT_EQ(addresses(day.at("recommendations")), (std::vector<std::string>{kA, kB, kD}));
  EXPECT_JSON_INT(day.at("total_evaluated"), 3);
  // Public only: B and D are private.
  auto pub = get_json("/recommendations?min_uptime_days=1&require_public=yes");
  EXPECT_EQ(addresses(pub.at("recommendations")), (std::vector<std::string>{kA}));
  EXPECT_EQ(pub.at("filters").at("require_public"), true);
  // min_score drops D (39.2 < 50).
  auto scored = get_json("/recommendations?min_uptime_days=1&min_score=50");
  EXPECT_EQ(addresses(scored.at("recommendations")), (std::vector<std::string>{kA, kB}));
  EXPECT_JSON_FLOAT(scored.at("filters").at("min_score"), 50.0);
  // limit cuts after counting.
  auto one = get_json("/recommendations?min_uptime_days=1&limit=1");
  EXPECT_EQ(one.at("recommendations").as_array().size(), 1u);
  EXPECT_JSON_INT(one.at("total_evaluated"), 3);
}

TEST_F(NodeRoutes, RecommendationsValidatesEveryParameter) {
  expect_422("/recommendations?limit=0", "greater_than_equal", "limit", "0");
  expect_422("/recommendations?limit=51", "less_than_equal", "limit", "51");
  expect_422("/recommendations?limit=x", "int_parsing", "limit", "x");
  expect_422("/recommendations?min_uptime_days=0", "greater_than_equal", "min_uptime_days", "0");
  expect_422("/recommendations?min_uptime_days=366", "less_than_equal", "min_uptime_days", "366");
  expect_422("/recommendations?min_uptime_days=1.5", "int_parsing", "min_uptime_days", "1.5");
  expect_422("/recommendations?require_public=maybe", "bool_parsing", "require_public", "maybe");
  expect_422("/recommendations?min_score=-1", "greater_than_equal", "min_score", "-1");
  expect_422("/recommendations?min_score=100.5", "less_than_equal", "min_score", "100.5");
  expect_422("/recommendations?min_score=high", "float_parsing", "min_score", "high");
  EXPECT_EQ(get_without_snapshot("/recommendations").status, 503);
}

// ---- /operators ----

TEST_F(NodeRoutes, OperatorsGroupByPubkey) {
  auto body = get_json("/operators");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"summary", "operators", "timestamp"}));
  // pk-shared runs B and D; A, C, E and F each run one node: 5 operators, 6 nodes,
  // avg 6/5 = 1.2, largest share 2/6*100 = 33.33, decentralisation 100 - 33.33 = 66.67.
  EXPECT_EQ(to_text(body.at("summary")),
            R"({"total_operators":5,"total_nodes":6,"avg_nodes_per_operator":1.2,)"
            R"("largest_operator_share_percent":33.33,"decentralization_score":66.67})");
  const auto& ops = body.at("operators").as_array();
  ASSERT_EQ(ops.size(), 5u);
  EXPECT_EQ(addresses(body.at("operators"), "pubkey"),
            (std::vector<std::string>{"pk-shared", "pk-A", "pk-C", "pk-E", "pk-F"}));
  const auto& shared = ops[0];
  EXPECT_EQ(keys_of(shared), (std::vector<std::string>{"pubkey", "node_count", "online_nodes", "total_storage_committed",
                                                       "total_storage_used", "addresses", "versions", "first_seen"}));
  EXPECT_JSON_INT(shared.at("node_count"), 2);
  EXPECT_JSON_INT(shared.at("online_nodes"), 2);
  EXPECT_JSON_INT(shared.at("total_storage_committed"), 150 * kGiB);
  EXPECT_EQ(shared.at("addresses"), (json::array{kB, kD}));  // build order
  EXPECT_EQ(shared.at("versions"), (json::array{"0.6.0", "0.8.0"}));
  EXPECT_JSON_INT(ops[4].at("online_nodes"), 0);  // F
}

TEST_F(NodeRoutes, OperatorsMinNodesAndLimit) {
  auto two = get_json("/operators?min_nodes=2");
  EXPECT_EQ(to_text(two.at("summary")),
            R"({"total_operators":1,"total_nodes":2,"avg_nodes_per_operator":2.0,)"
            R"("largest_operator_share_percent":100.0,"decentralization_score":0.0})");
  // No operator runs 3 nodes: the reference's integer fallbacks.
  auto none = get_json("/operators?min_nodes=3");
  EXPECT_EQ(to_text(none.at("summary")),
            R"({"total_operators":0,"total_nodes":0,"avg_nodes_per_operator":0,)"
            R"("largest_operator_share_percent":0,"decentralization_score":100})");
  EXPECT_TRUE(none.at("operators").as_array().empty());
  // limit cuts the list, not the summary.
  auto first2 = get_json("/operators?limit=2");
  EXPECT_EQ(first2.at("operators").as_array().size(), 2u);
  EXPECT_JSON_INT(first2.at("summary").at("total_operators"), 5);
  EXPECT_EQ(get("/operators").body, get("/operators?limit=100&min_nodes=1").body);  // cached
}

TEST_F(NodeRoutes, OperatorsValidatesEveryParameter) {
  expect_422("/operators?limit=0", "greater_than_equal", "limit", "0");
  expect_422("/operators?limit=501", "less_than_equal", "limit", "501");
  expect_422("/operators?limit=a", "int_parsing", "limit", "a");
  expect_422("/operators?min_nodes=0", "greater_than_equal", "min_nodes", "0");
  expect_422("/operators?min_nodes=two", "int_parsing", "min_nodes", "two");
  EXPECT_EQ(get("/operators?min_nodes=1000000").status, 200);  // no maximum
  EXPECT_EQ(get_without_snapshot("/operators").status, 503);
}

// ---- /pnodes/compare ----

TEST_F(NodeRoutes, CompareTwoOnlineNodes) {
  auto body = get_json(std::string("/pnodes/compare?addresses=") + kC + "," + kA);
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"comparison", "winners", "recommendation", "summary", "timestamp"}));
  EXPECT_EQ(addresses(body.at("comparison")), (std::vector<std::string>{kC, kA}));  // request order
  EXPECT_EQ(body.at("comparison").at(1), get_json("/pnodes?status=all&sort_by=score&limit=1").at("pnodes").at(0));
  // A wins every category: 94.0 > 28.42, trust 100 > 30.03, capacity 85 > 26, 40 days,
  // 200 GiB, 3 peers.
  const auto& w = body.at("winners");
  EXPECT_EQ(to_text(w.at("overall_score")),
            R"({"address":"10.0.0.1:9001","score":94.0,"category":"Best overall performance"})");
  EXPECT_EQ(to_text(w.at("trust_score")),
            R"({"address":"10.0.0.1:9001","score":100.0,"category":"Most reliable/trustworthy"})");
  EXPECT_EQ(to_text(w.at("best_uptime")),
            R"({"address":"10.0.0.1:9001","uptime":3456000,"uptime_days":40.0,"category":"Longest uptime"})");
  EXPECT_EQ(to_text(w.at("most_storage")),
            R"({"address":"10.0.0.1:9001","storage":214748364800,"storage_gb":200.0,"category":"Most storage committed"})");
  EXPECT_EQ(to_text(w.at("best_connectivity")),
            R"({"address":"10.0.0.1:9001","peers":3,"category":"Best network connectivity"})");
  EXPECT_EQ(to_text(body.at("recommendation")),
            R"j({"recommended_node":"10.0.0.1:9001","reason":"Highest overall score (94.0/100)","considerations":[]})j");
  // avg (28.42 + 94.0) / 2 = 61.21.
  EXPECT_EQ(to_text(body.at("summary")), R"({"nodes_compared":2,"all_online":true,"avg_score":61.21})");
}

TEST_F(NodeRoutes, CompareWithAnOfflineNode) {
  auto body = get_json(std::string("/pnodes/compare?addresses=") + kC + ",%20" + kF);
  const auto& w = body.at("winners");
  EXPECT_EQ(w.at("overall_score").at("address"), kC);
  EXPECT_EQ(w.at("most_storage").at("address"), kF);  // F's last known 500 GiB
  EXPECT_EQ(body.at("comparison").at(1).at("tier"), "offline");
  EXPECT_EQ(body.at("recommendation").at("considerations"),
            (json::array{"\xE2\x9A\xA0\xEF\xB8\x8F These nodes are currently offline: 10.0.0.9:9001"}));
  EXPECT_EQ(body.at("summary").at("all_online"), false);
  EXPECT_JSON_FLOAT(body.at("summary").at("avg_score"), 14.21);  // (28.42 + 0) / 2
  // Listed first, the offline node still loses to a strictly better score.
  auto offline_first = get_json(std::string("/pnodes/compare?addresses=") + kF + "," + kC);
  EXPECT_EQ(offline_first.at("winners").at("overall_score").at("address"), kC);
  EXPECT_JSON_FLOAT(offline_first.at("winners").at("overall_score").at("score"), 28.42);
}

TEST_F(NodeRoutes, CompareErrors) {
  auto one = get(std::string("/pnodes/compare?addresses=") + kA + ",,");
  EXPECT_EQ(one.status, 400);
  EXPECT_EQ(body_text(one),
            R"({"error":"Must provide at least 2 addresses to compare","example":"?addresses=addr1:9001,addr2:9001"})");
  EXPECT_EQ(get("/pnodes/compare?addresses=").status, 400);  // an empty string is a valid str
  auto six = get("/pnodes/compare?addresses=a,b,c,d,e,f");
  EXPECT_EQ(six.status, 400);
  EXPECT_EQ(body_text(six), R"({"error":"Maximum 5 nodes can be compared at once","provided":6})");
  auto dup = get(std::string("/pnodes/compare?addresses=") + kA + "," + kB + ",%20" + kA);
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(body_text(dup),
            R"({"error":"Each address can be compared only once","duplicates":["10.0.0.1:9001"],)"
            R"("example":"?addresses=addr1:9001,addr2:9001"})");
  auto missing = get(std::string("/pnodes/compare?addresses=9.9.9.9:1,") + kA + ",8.8.8.8:1");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(body_text(missing),
            R"({"error":"Some addresses not found","missing":["9.9.9.9:1","8.8.8.8:1"],)"
            R"("suggestion":"Check /pnodes for valid addresses"})");
  expect_422("/pnodes/compare", "missing", "addresses", std::nullopt);
  // Counts are checked before the snapshot; a valid request without one is a 503.
  EXPECT_EQ(get_without_snapshot("/pnodes/compare?addresses=a").status, 400);
  auto r = get_without_snapshot("/pnodes/compare?addresses=a,b");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(body_text(r), kSnapshotUnavailable);
}

}  // namespace
}  // namespace pnode::api
