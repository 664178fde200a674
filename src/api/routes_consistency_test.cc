// /network/consistency and /node/{address}/consistency over the test network's registry
// (F appeared once and dropped once: 1 / (1 + 1) = 0.5; every other node 1.0).
#include <gtest/gtest.h>

#include "api/route_test_support.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

class ConsistencyRoutes : public RoutesTest {
 protected:
  static std::vector<std::string> addresses(const json::value& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows.as_array()) out.emplace_back(r.at("address").as_string());
    return out;
  }
};

TEST_F(ConsistencyRoutes, NetworkTableSummaryAndFlappingNodes) {
  auto body = get_json("/network/consistency");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"nodes", "summary", "flapping_nodes", "filters", "timestamp"}));
  // Score descending, ties by address.
  EXPECT_EQ(addresses(body.at("nodes")), (std::vector<std::string>{kA, kB, kC, kD, kE, kF}));
  const auto& f = body.at("nodes").at(5);
  EXPECT_EQ(keys_of(f), (std::vector<std::string>{"address", "consistency_score", "gossip_appearances",
                                                  "gossip_disappearances", "last_drop", "last_appearance",
                                                  "time_since_last_drop_seconds",
                                                  "time_since_last_appearance_seconds", "status", "is_online"}));
  EXPECT_JSON_FLOAT(f.at("consistency_score"), 0.5);
  EXPECT_JSON_INT(f.at("gossip_disappearances"), 1);
  EXPECT_JSON_INT(f.at("last_drop"), kT2);
  EXPECT_JSON_INT(f.at("time_since_last_drop_seconds"), 60);
  EXPECT_JSON_INT(f.at("time_since_last_appearance_seconds"), now - kT1);
  EXPECT_EQ(f.at("status"), "flapping");
  EXPECT_EQ(f.at("is_online"), false);
  const auto& a = body.at("nodes").at(0);
  EXPECT_TRUE(a.at("last_drop").is_null());
  EXPECT_TRUE(a.at("time_since_last_drop_seconds").is_null());
  EXPECT_EQ(a.at("status"), "stable");
  EXPECT_EQ(a.at("is_online"), true);
  // Mean (5 * 1.0 + 0.5) / 6 = 0.91667 -> 0.9167, "excellent" (>= 0.9).
  EXPECT_EQ(to_text(body.at("summary")),
            R"({"total_nodes":6,"avg_consistency_score":0.9167,"flapping_nodes":1,"stable_nodes":5,)"
            R"("total_network_appearances":6,"total_network_disappearances":1,"network_health":"excellent"})");
  EXPECT_EQ(addresses(body.at("flapping_nodes")), (std::vector<std::string>{kF}));
  EXPECT_EQ(to_text(body.at("filters")), R"({"min_consistency":0.0,"sort_by":"consistency_score"})");
}

TEST_F(ConsistencyRoutes, NetworkTableFiltersAndSorts) {
  auto strict = get_json("/network/consistency?min_consistency=0.8");
  EXPECT_EQ(addresses(strict.at("nodes")), (std::vector<std::string>{kA, kB, kC, kD, kE}));
  EXPECT_TRUE(strict.at("flapping_nodes").as_array().empty());
  EXPECT_JSON_INT(strict.at("summary").at("total_nodes"), 6);  // the summary covers everything
  EXPECT_JSON_FLOAT(strict.at("filters").at("min_consistency"), 0.8);
  // Disappearances ascending: F (1) last.
  EXPECT_EQ(addresses(get_json("/network/consistency?sort_by=gossip_disappearances&limit=2").at("nodes")),
            (std::vector<std::string>{kA, kB}));
  EXPECT_EQ(addresses(get_json("/network/consistency?sort_by=address&limit=1").at("nodes")),
            (std::vector<std::string>{kA}));
}

TEST_F(ConsistencyRoutes, NetworkTableValidatesEveryParameter) {
  expect_422("/network/consistency?min_consistency=-0.1", "greater_than_equal", "min_consistency", "-0.1");
  expect_422("/network/consistency?min_consistency=1.5", "less_than_equal", "min_consistency", "1.5");
  expect_422("/network/consistency?min_consistency=x", "float_parsing", "min_consistency", "x");
  expect_422("/network/consistency?sort_by=score", "string_pattern_mismatch", "sort_by", "score");
  expect_422("/network/consistency?limit=0", "greater_than_equal", "limit", "0");
  expect_422("/network/consistency?limit=501", "less_than_equal", "limit", "501");
  expect_422("/network/consistency?limit=1e3", "int_parsing", "limit", "1e3");
  auto bound = body_json(get("/network/consistency?min_consistency=2"));
  EXPECT_EQ(to_text(bound.at("detail").at(0).at("ctx")), R"({"le":1.0})");
  EXPECT_EQ(get_without_snapshot("/network/consistency").status, 503);
}

TEST_F(ConsistencyRoutes, NodeViewOfAFlappingNode) {
  auto body = get_json(std::string("/node/") + kF + "/consistency");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"address", "consistency", "recent_activity", "recommendations",
                                                     "node_info", "timestamp"}));
  EXPECT_EQ(to_text(body.at("consistency")),
            R"({"score":0.5,"status":"flapping","status_emoji":"🔴","appearances":1,"disappearances":1,)"
            R"("ratio":"1:1","total_events":2})");
  const auto& activity = body.at("recent_activity");
  EXPECT_EQ(keys_of(activity),
            (std::vector<std::string>{"last_drop", "last_drop_readable", "time_since_drop_seconds",
                                      "time_since_drop_hours", "last_appearance", "last_appearance_readable",
                                      "time_since_appearance_seconds", "time_since_appearance_hours"}));
  EXPECT_JSON_INT(activity.at("last_drop"), kT2);
  EXPECT_EQ(activity.at("last_drop_readable"), "2023-11-22 22:15:00 UTC");  // kT2 = 1700691300
  EXPECT_JSON_INT(activity.at("time_since_drop_seconds"), 60);
  EXPECT_JSON_FLOAT(activity.at("time_since_drop_hours"), 0.02);  // round(60 / 3600, 2)
  // 0.5 < 0.8: flapping ("50.0%"); 1 drop is not > 10; dropped 60 s ago (< 1 hour):
  // "0.0 hours ago" with one decimal.
  const auto& recs = body.at("recommendations").as_array();
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].at("severity"), "high");
  EXPECT_EQ(recs[0].at("issue"), "Node is flapping (consistency: 50.0%)");
  EXPECT_EQ(recs[1].at("severity"), "warning");
  EXPECT_EQ(recs[1].at("issue"), "Node recently dropped from gossip (0.0 hours ago)");
  EXPECT_EQ(to_text(body.at("node_info")),
            R"({"is_online":false,"version":"0.8.0","first_seen":1699999995,"last_seen":1699999995})");
}

TEST_F(ConsistencyRoutes, NodeViewOfAStableNode) {
  auto body = get_json(std::string("/node/") + kA + "/consistency");
  EXPECT_EQ(body.at("consistency").at("status"), "stable");
  EXPECT_EQ(body.at("consistency").at("status_emoji"), "🟢");
  EXPECT_TRUE(body.at("recent_activity").at("last_drop").is_null());
  EXPECT_TRUE(body.at("recent_activity").at("last_drop_readable").is_null());
  EXPECT_TRUE(body.at("recent_activity").at("time_since_drop_hours").is_null());
  EXPECT_EQ(to_text(body.at("recommendations")),
            R"([{"severity":"info","issue":"No issues detected","recommendation":"Node has stable gossip presence",)"
            R"("action":"Continue normal operations"}])");
  EXPECT_EQ(body.at("node_info").at("is_online"), true);
}

TEST_F(ConsistencyRoutes, NodeViewErrors) {
  auto r = get("/node/10.9.9.9:1/consistency");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(body_text(r),
            R"({"error":"Node not found: 10.9.9.9:1","suggestion":"Check /registry or /pnodes for valid addresses"})");
  EXPECT_EQ(get("/node//consistency").status, 404);
  auto r503 = get_without_snapshot(std::string("/node/") + kA + "/consistency");
  EXPECT_EQ(r503.status, 503);
  EXPECT_EQ(body_text(r503), kSnapshotUnavailable);
}

}  // namespace
}  // namespace pnode::api
