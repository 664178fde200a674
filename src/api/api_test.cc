#include "api/api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/test_support.h"

namespace pnode::api {
namespace {

namespace json = boost::json;
using testing::body_json;
using testing::body_text;
using testing::header;
using testing::make_request;
using testing::make_snapshot;
using testing::make_views;
using testing::make_offline_view;
using testing::make_online_view;

constexpr int64_t kPublished = 1700000000;

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() : api(config(), hub) {}

  ApiConfig config() {
    ApiConfig c;
    c.cache_ttl = 60;
    c.process_start = kPublished - 500;
    c.clock = [this] { return now; };
    return c;
  }

  // The /health of an Api whose collector reports `status` (read at each request).
  boost::json::value health_with(const model::CollectionStatus& status) {
    ApiConfig c = config();
    c.collection_status = [&status] { return status; };
    return body_json(Api(c, hub).handle(make_request("/health")));
  }

  // Three online nodes and two offline ones, with distinct sort keys.
  void publish_network() {
    auto a = make_online_view("10.0.0.1:9001", kPublished - 30, 7200, 90.5, "0.8.0");
    a.peer_sources = {0, 1};
    a.storage_used = 300;
    auto b = make_online_view("10.0.0.2:9001", kPublished - 10, 3600, 61.0, "0.8.0");
    b.peer_sources = {1};
    b.storage_used = 100;
    auto c = make_online_view("10.0.0.3:9001", kPublished - 20, 0, 40.25, "0.7.1");
    c.storage_used = 200;
    auto d = make_offline_view("10.0.0.4:9001", kPublished - 4000);
    auto e = make_offline_view("10.0.0.5:9001", kPublished - 9000);
    hub.publish(make_snapshot(kPublished, {"seed-a:6000", "seed-b:6000"}, make_views({a, b, c, d, e})));
  }

  http::Response get(const std::string& target, std::string method = "GET", http::Headers headers = {}) {
    return api.handle(make_request(target, std::move(method), std::move(headers)));
  }

  static std::vector<std::string> addresses(const json::value& body) {
    std::vector<std::string> out;
    for (const auto& node : body.at("pnodes").as_array()) out.emplace_back(node.at("address").as_string());
    return out;
  }

  int64_t now = kPublished + 45;
  SnapshotHub hub;
  Api api;
};

// ---- /health ----

TEST_F(ApiTest, HealthBeforeTheFirstSnapshotIs503Unhealthy) {
  auto r = get("/health");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(body_text(r),
            R"({"status":"unhealthy","reason":"No snapshot available","message":"Background worker may not have run yet","timestamp":1700000045})");
}

TEST_F(ApiTest, HealthWithAFreshSnapshotIsHealthy) {
  publish_network();
  auto r = get("/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(body_text(r),
            R"({"status":"healthy","message":"All systems operational","snapshot_age_seconds":45,)"
            R"("last_updated":1700000000,"cache_ttl":60,"total_pnodes":3,"total_ip_nodes":2,)"
            R"("timestamp":1700000045,"uptime":545})");
}

TEST_F(ApiTest, HealthSaysWhichInstanceCollects) {
  publish_network();
  model::CollectionStatus leader;
  leader.role = "leader";
  leader.lease_epoch = 7;
  auto body = health_with(leader);
  EXPECT_EQ(body.at("role"), "leader");
  EXPECT_EQ(body.at("lease_epoch"), 7);
  model::CollectionStatus follower;
  follower.role = "follower";
  body = health_with(follower);
  EXPECT_EQ(body.at("role"), "follower");
  EXPECT_TRUE(body.at("lease_epoch").is_null());
  EXPECT_FALSE(health_with(model::CollectionStatus{}).as_object().contains("role"));
}

TEST_F(ApiTest, HealthIsDegradedFromTwiceTheTtl) {
  publish_network();
  now = kPublished + 119;
  EXPECT_EQ(body_json(get("/health")).at("status"), "healthy");
  now = kPublished + 120;
  auto body = body_json(get("/health"));
  EXPECT_EQ(body.at("status"), "degraded");
  EXPECT_EQ(body.at("message"), "Snapshot is 120s old (expected < 120s)");
  EXPECT_EQ(body.at("snapshot_age_seconds"), 120);
}

TEST_F(ApiTest, HealthIsDegradedWithTheReasonWhileCyclesAreInconclusive) {
  model::CollectionStatus status{3, 3, 2, 0};
  ApiConfig c = config();
  c.collection_status = [&status] { return status; };
  Api with_status(c, hub);
  publish_network();
  EXPECT_EQ(body_json(with_status.handle(make_request("/health"))).at("status"), "healthy");
  status = {3, 0, 2, 4};  // every seed silent for four cycles: the snapshot is fresh but stale in truth
  auto r = with_status.handle(make_request("/health"));
  EXPECT_EQ(r.status, 200);
  auto body = body_json(r);
  EXPECT_EQ(body.at("status"), "degraded");
  EXPECT_EQ(body.at("message"),
            "0 of 3 seeds answered for 4 cycles (quorum 2); serving the last conclusive snapshot");
  EXPECT_EQ(body.at("total_pnodes"), 3) << "the last conclusive snapshot is still what is served";
}

TEST_F(ApiTest, HealthIsDegradedWithTheReasonWhileStoreWritesFailAndHealthyOnceOneSucceeds) {
  publish_network();
  model::CollectionStatus status{1, 1, 1, 0};
  status.store = {"", 1764942260, 3, "disk_full", 3};  // 2025-12-05T13:44:20Z
  auto body = health_with(status);
  EXPECT_EQ(body.at("status"), "degraded");
  EXPECT_EQ(body.at("message"),
            "store writes failing since 2025-12-05T13:44:20Z: disk full; serving the latest snapshot from memory, "
            "3 cycles waiting to be written");
  EXPECT_EQ(body.at("total_pnodes"), 3) << "the snapshot is still served";
  status.store.error_kind = "read_only";
  EXPECT_NE(std::string(health_with(status).at("message").as_string()).find(": the database is read-only;"),
            std::string::npos);
  status.store = {};  // a write succeeded
  EXPECT_EQ(health_with(status).at("status"), "healthy");
}

TEST_F(ApiTest, HealthIsDegradedWhileTheStoreIsReadOnly) {
  publish_network();
  model::CollectionStatus status{1, 1, 1, 0};
  status.store.read_only_reason = "the database failed its integrity check";
  auto body = health_with(status);
  EXPECT_EQ(body.at("status"), "degraded");
  EXPECT_EQ(body.at("message"),
            "store opened read-only (the database failed its integrity check): serving what it holds, recording "
            "nothing");
}

TEST_F(ApiTest, HeadIsAnsweredWithTheGetHeaders) {
  publish_network();
  auto head = get("/health", "HEAD");
  auto plain = get("/health");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.content_type, plain.content_type);
  // The body stays for its Content-Length; http::Server does not send it for HEAD.
  EXPECT_EQ(body_text(head), body_text(plain));
  EXPECT_EQ(get("/nonexistent", "HEAD").status, 404);
  EXPECT_EQ(get("/pnodes?limit=0", "HEAD").status, 422);
}

// ---- / ----

TEST_F(ApiTest, RootListsTheReferenceKeysAndInitialisingStatus) {
  auto r = get("/");
  ASSERT_EQ(r.status, 200);
  auto body = body_json(r).as_object();
  std::vector<std::string> keys;
  for (const auto& kv : body) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "api_name", "version", "description", "tagline", "system_status", "features",
                      "core_endpoints", "analytics_endpoints", "alert_endpoints", "advanced_endpoints",
                      "registry_endpoints", "use_cases", "scoring_system", "data_refresh", "performance",
                      "documentation", "resources", "quick_examples", "timestamp"}));
  EXPECT_EQ(body.at("api_name"), "Xandeum PNode Analytics API");
  EXPECT_EQ(body.at("version"), "1.1.0");
  EXPECT_EQ(json::serialize(body.at("system_status")),
            R"({"status":"initializing","nodes_tracked":0,"message":"System warming up, please wait..."})");
  const auto& core = body.at("core_endpoints").as_object();
  for (const char* k : {"health", "pnodes", "recommendations", "network_health", "network_topology"}) {
    ASSERT_TRUE(core.contains(k)) << k;
    EXPECT_TRUE(core.at(k).as_object().contains("path"));
    EXPECT_TRUE(core.at(k).as_object().contains("example"));
  }
  EXPECT_EQ(body.at("features").as_object().size(), 6u);
  EXPECT_EQ(body.at("data_refresh").at("interval"), "60 seconds");
  EXPECT_EQ(body.at("timestamp"), now);
}

TEST_F(ApiTest, RootSystemStatusIsOperationalWithASnapshot) {
  publish_network();
  auto body = body_json(get("/"));
  EXPECT_EQ(json::serialize(body.at("system_status")),
            R"({"status":"operational","nodes_tracked":3,"snapshot_age_seconds":45,"last_updated":1700000000})");
  EXPECT_EQ(body.at("data_refresh").at("method"), "Background worker polls 2 IP nodes");
}

// ---- /pnodes ----

TEST_F(ApiTest, PnodesBeforeTheFirstSnapshotIs503JsonRpc) {
  auto r = get("/pnodes");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(body_text(r), R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"Snapshot not available"},"id":1})");
}

TEST_F(ApiTest, PnodesDefaultsToOnlineByLastSeenDescending) {
  publish_network();
  auto r = get("/pnodes");
  ASSERT_EQ(r.status, 200);
  auto body = body_json(r);
  std::vector<std::string> keys;
  for (const auto& kv : body.as_object()) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"summary", "network_stats", "pagination", "filters", "pnodes",
                                            "timestamp"}));
  EXPECT_EQ(json::serialize(body.at("summary")),
            R"({"total_pnodes":5,"online_pnodes":3,"offline_pnodes":2,"snapshot_age_seconds":45,"last_updated":1700000000})");
  EXPECT_EQ(json::serialize(body.at("pagination")), R"({"total":3,"limit":100,"skip":0,"returned":3})");
  EXPECT_EQ(json::serialize(body.at("filters")), R"({"status":"online","sort_by":"last_seen","sort_order":"desc"})");
  EXPECT_EQ(addresses(body), (std::vector<std::string>{"10.0.0.2:9001", "10.0.0.3:9001", "10.0.0.1:9001"}));
  EXPECT_EQ(body.at("pnodes").at(2).at("peer_sources"), (json::array{"seed-a:6000", "seed-b:6000"}));
  EXPECT_EQ(body.at("timestamp"), now);
}

TEST_F(ApiTest, PnodesSummaryAndNetworkStatsDoNotDependOnStatus) {
  publish_network();
  auto on = body_json(get("/pnodes?status=online"));
  auto off = body_json(get("/pnodes?status=offline"));
  auto all = body_json(get("/pnodes?status=all&limit=1"));
  EXPECT_EQ(on.at("summary"), off.at("summary"));
  EXPECT_EQ(on.at("summary"), all.at("summary"));
  EXPECT_EQ(on.at("network_stats"), off.at("network_stats"));
  EXPECT_EQ(on.at("network_stats"), all.at("network_stats"));
  // Raw text: Boost.JSON would re-serialise 1.0 as 1E0.
  EXPECT_NE(body_text(get("/pnodes?status=offline"))
                .find(R"("network_stats":{"total_storage_committed":13000,"total_storage_used":1600,)"
                      R"("avg_uptime_hours":1.0,"version_distribution":{"0.8.0":2,"0.7.1":1},)"
                      R"("online_storage_committed":3000,"online_storage_used":600})"),
            std::string::npos);
  EXPECT_EQ(on.at("pagination").at("total"), 3);
  EXPECT_EQ(off.at("pagination").at("total"), 2);
  EXPECT_EQ(all.at("pagination").at("total"), 5);
}

TEST_F(ApiTest, PnodesOfflineFilterListsOnlyOfflineNodesInTheirForm) {
  publish_network();
  auto body = body_json(get("/pnodes?status=offline"));
  EXPECT_EQ(addresses(body), (std::vector<std::string>{"10.0.0.4:9001", "10.0.0.5:9001"}));
  for (const auto& node : body.at("pnodes").as_array()) {
    EXPECT_EQ(node.at("is_online"), false);
    EXPECT_EQ(node.at("tier"), "offline");
    EXPECT_TRUE(node.as_object().contains("offline_duration"));
  }
  EXPECT_EQ(body.at("pnodes").at(0).at("offline_duration"), 4000);
}

TEST_F(ApiTest, PnodesSortsByEveryKeyInBothOrders) {
  publish_network();
  EXPECT_EQ(addresses(body_json(get("/pnodes?sort_by=score"))),
            (std::vector<std::string>{"10.0.0.1:9001", "10.0.0.2:9001", "10.0.0.3:9001"}));
  EXPECT_EQ(addresses(body_json(get("/pnodes?sort_by=score&sort_order=asc"))),
            (std::vector<std::string>{"10.0.0.3:9001", "10.0.0.2:9001", "10.0.0.1:9001"}));
  EXPECT_EQ(addresses(body_json(get("/pnodes?sort_by=uptime&sort_order=asc"))),
            (std::vector<std::string>{"10.0.0.3:9001", "10.0.0.2:9001", "10.0.0.1:9001"}));
  EXPECT_EQ(addresses(body_json(get("/pnodes?sort_by=storage_used"))),
            (std::vector<std::string>{"10.0.0.1:9001", "10.0.0.3:9001", "10.0.0.2:9001"}));
  // Offline nodes sort by their score of 0, with the address as tie-break.
  EXPECT_EQ(addresses(body_json(get("/pnodes?status=all&sort_by=score&sort_order=asc"))),
            (std::vector<std::string>{"10.0.0.4:9001", "10.0.0.5:9001", "10.0.0.3:9001", "10.0.0.2:9001",
                                      "10.0.0.1:9001"}));
  EXPECT_EQ(addresses(body_json(get("/pnodes?status=all&sort_by=first_seen"))),
            (std::vector<std::string>{"10.0.0.2:9001", "10.0.0.3:9001", "10.0.0.1:9001", "10.0.0.4:9001",
                                      "10.0.0.5:9001"}));
  auto filters = body_json(get("/pnodes?sort_by=storage_usage_percent&sort_order=asc")).at("filters");
  EXPECT_EQ(json::serialize(filters),
            R"({"status":"online","sort_by":"storage_usage_percent","sort_order":"asc"})");
}

// score_v2 is one more key of the closed list: its own precomputed order, offline nodes
// (no v2 score) after every scored one; any other key is still refused.
TEST_F(ApiTest, PnodesSortsByScoreV2WithUnscoredNodesLast) {
  std::vector<analysis::NodeView> nodes;
  for (auto [address, v1, v2] : {std::tuple{"10.0.0.1:9001", 90.5, 50.0}, std::tuple{"10.0.0.2:9001", 61.0, 70.0},
                                 std::tuple{"10.0.0.3:9001", 40.25, 80.0}}) {
    nodes.push_back(make_online_view(address, kPublished - 10, 3600, v1, "0.8.0"));
    analysis::ScoreV2 score;
    score.score = v2;
    nodes.back().score_v2 = std::make_shared<const analysis::ScoreV2>(score);
  }
  nodes.push_back(make_offline_view("10.0.0.4:9001", kPublished - 4000));
  hub.publish(make_snapshot(kPublished, {"seed-a:6000"}, make_views(std::move(nodes))));
  EXPECT_EQ(addresses(body_json(get("/pnodes?sort_by=score_v2"))),
            (std::vector<std::string>{"10.0.0.3:9001", "10.0.0.2:9001", "10.0.0.1:9001"}));
  auto all = body_json(get("/pnodes?status=all&sort_by=score_v2"));
  EXPECT_EQ(addresses(all),
            (std::vector<std::string>{"10.0.0.3:9001", "10.0.0.2:9001", "10.0.0.1:9001", "10.0.0.4:9001"}));
  EXPECT_EQ(all.at("pnodes").at(0).at("score_v2").as_double(), 80.0);
  EXPECT_TRUE(all.at("pnodes").at(3).at("score_v2").is_null());
  EXPECT_EQ(addresses(body_json(get("/pnodes?status=all&sort_by=score_v2&sort_order=asc"))),
            (std::vector<std::string>{"10.0.0.4:9001", "10.0.0.1:9001", "10.0.0.2:9001", "10.0.0.3:9001"}));
  EXPECT_EQ(get("/pnodes?sort_by=score_v3").status, 422);
}

TEST_F(ApiTest, PnodesPaginatesAfterTheStatusFilter) {
  publish_network();
  auto body = body_json(get("/pnodes?status=all&sort_by=score&limit=2&skip=1"));
  EXPECT_EQ(addresses(body), (std::vector<std::string>{"10.0.0.2:9001", "10.0.0.3:9001"}));
  EXPECT_EQ(json::serialize(body.at("pagination")), R"({"total":5,"limit":2,"skip":1,"returned":2})");

  auto offline_page = body_json(get("/pnodes?status=offline&sort_by=score&limit=5&skip=1"));
  EXPECT_EQ(addresses(offline_page), (std::vector<std::string>{"10.0.0.5:9001"}));
  EXPECT_EQ(offline_page.at("pagination").at("returned"), 1);

  auto past_end = body_json(get("/pnodes?skip=3"));
  EXPECT_TRUE(past_end.at("pnodes").as_array().empty());
  EXPECT_EQ(json::serialize(past_end.at("pagination")), R"({"total":3,"limit":100,"skip":3,"returned":0})");
}

struct InvalidQuery {
  const char* query;
  const char* type;
  const char* param;
  const char* input;
};

TEST_F(ApiTest, PnodesRejectsEachInvalidParameterWith422) {
  publish_network();
  for (const InvalidQuery& c : std::vector<InvalidQuery>{
           {"status=bogus", "string_pattern_mismatch", "status", "bogus"},
           {"status=Online", "string_pattern_mismatch", "status", "Online"},
           {"limit=0", "greater_than_equal", "limit", "0"},
           {"limit=1001", "less_than_equal", "limit", "1001"},
           {"limit=abc", "int_parsing", "limit", "abc"},
           {"limit=", "int_parsing", "limit", ""},
           {"skip=-1", "greater_than_equal", "skip", "-1"},
           {"skip=x", "int_parsing", "skip", "x"},
           {"sort_by=bogus", "string_pattern_mismatch", "sort_by", "bogus"},
           {"sort_order=up", "string_pattern_mismatch", "sort_order", "up"},
       }) {
    auto r = get(std::string("/pnodes?") + c.query);
    ASSERT_EQ(r.status, 422) << c.query;
    auto detail = body_json(r).at("detail").as_array();
    ASSERT_EQ(detail.size(), 1u) << c.query;
    EXPECT_EQ(detail[0].at("type"), c.type) << c.query;
    EXPECT_EQ(detail[0].at("loc"), (json::array{"query", c.param})) << c.query;
    EXPECT_EQ(detail[0].at("input"), c.input) << c.query;
  }
}

TEST_F(ApiTest, Pnodes422BodyMatchesPydanticV2Exactly) {
  publish_network();
  auto r = get("/pnodes?status=bogus");
  EXPECT_EQ(body_text(r),
            R"({"detail":[{"type":"string_pattern_mismatch","loc":["query","status"],"msg":"String should match pattern '^(all|online|offline)$'","input":"bogus","ctx":{"pattern":"^(all|online|offline)$"}}]})");
  auto skip = get("/pnodes?skip=-1");
  EXPECT_EQ(body_text(skip),
            R"({"detail":[{"type":"greater_than_equal","loc":["query","skip"],"msg":"Input should be greater than or equal to 0","input":"-1","ctx":{"ge":0}}]})");
  auto high = get("/pnodes?limit=1001");
  EXPECT_EQ(body_json(high).at("detail").at(0).at("msg"), "Input should be less than or equal to 1000");
  EXPECT_EQ(body_json(high).at("detail").at(0).at("ctx"), (json::object{{"le", 1000}}));
}

TEST_F(ApiTest, PnodesReportsSeveralInvalidParametersAtOnce) {
  publish_network();
  auto r = get("/pnodes?sort_order=x&limit=0&status=bad&sort_by=y&skip=-5&unknown=1");
  ASSERT_EQ(r.status, 422);
  auto detail = body_json(r).at("detail").as_array();
  std::vector<std::string> params;
  for (const auto& d : detail) params.emplace_back(d.at("loc").at(1).as_string());
  EXPECT_EQ(params, (std::vector<std::string>{"status", "limit", "skip", "sort_by", "sort_order"}));
}

TEST_F(ApiTest, PnodesValidatesBeforeCheckingTheSnapshot) {
  // FastAPI validates parameters before the handler runs, so a bad query is 422 even
  // before the first snapshot.
  EXPECT_EQ(get("/pnodes?limit=0").status, 422);
  EXPECT_EQ(get("/pnodes?limit=1").status, 503);
}

TEST_F(ApiTest, PnodesRepeatedParameterTakesTheLastValue) {
  publish_network();
  auto body = body_json(get("/pnodes?limit=1&limit=2&status=offline&status=all"));
  EXPECT_EQ(body.at("pagination").at("limit"), 2);
  EXPECT_EQ(body.at("filters").at("status"), "all");
}

// ---- framework behaviour through Api ----

TEST_F(ApiTest, UnknownPathWrongMethodAndTrailingSlash) {
  EXPECT_EQ(body_text(get("/nonexistent")), R"({"detail":"Not Found"})");
  auto post = get("/pnodes", "POST");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(header(post, "allow"), "GET, HEAD");
  auto slash = get("/pnodes/?status=all");
  EXPECT_EQ(slash.status, 307);
  EXPECT_EQ(header(slash, "location"), "/pnodes?status=all");
  auto health = get("/health/");
  EXPECT_EQ(health.status, 307);
  EXPECT_EQ(header(health, "location"), "/health");
}

TEST_F(ApiTest, CorsHeadersOnAllowedOriginsIncludingErrors) {
  publish_network();
  for (const char* target : {"/pnodes", "/nonexistent", "/pnodes?limit=0"}) {
    auto r = get(target, "GET", {{"Origin", "http://localhost:3000"}});
    EXPECT_EQ(header(r, "access-control-allow-origin"), "http://localhost:3000") << target;
    EXPECT_EQ(header(r, "access-control-allow-credentials"), "true") << target;
    EXPECT_EQ(header(r, "vary"), "Origin") << target;
  }
  auto none = get("/pnodes");
  EXPECT_EQ(header(none, "access-control-allow-origin"), "");
  EXPECT_EQ(header(none, "access-control-allow-credentials"), "");
  auto evil = get("/pnodes", "GET", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(header(evil, "access-control-allow-origin"), "");
}

// Issue 10: 97k requests from one client in 5 s met no limit.
TEST_F(ApiTest, ClientsOverTheirRateGet429WithRetryAfter) {
  publish_network();
  ApiConfig c = config();
  c.rate_limit.per_client = rest::RateLimit{1.0 / 30, 5};
  c.rate_limit.api_keys.push_back(rest::ApiKey{rest::sha256_hex("partner"), rest::RateLimit{1, 50}});
  Api limited(c, hub);
  auto from = [](const char* remote, http::Headers headers = {}) {
    http::Request r = make_request("/health", "GET", std::move(headers));
    r.remote_address = remote;
    return r;
  };
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limited.handle(from("203.0.113.9")).status, 200) << i;
  auto refused = limited.handle(from("203.0.113.9"));
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(body_text(refused), R"({"detail":"Too Many Requests"})");
  EXPECT_EQ(header(refused, "retry-after"), "30");
  EXPECT_EQ(header(refused, "x-content-type-options"), "nosniff");
  // The same client with a valid key has the key's own allowance.
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(limited.handle(from("203.0.113.9", {{"X-API-Key", "partner"}})).status, 200) << i;
  // Loopback clients are not limited by default.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(limited.handle(from("127.0.0.1")).status, 200) << i;
}

TEST_F(ApiTest, CorsPreflightIsAnsweredBeforeRouting) {
  auto ok = get("/pnodes", "OPTIONS",
                {{"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(body_text(ok), "OK");
  EXPECT_EQ(header(ok, "access-control-allow-origin"), "http://localhost:3000");
  auto bad = get("/pnodes", "OPTIONS", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(body_text(bad), "Disallowed CORS origin");
  // OPTIONS that is not a preflight is routed like any method: 405.
  EXPECT_EQ(get("/pnodes", "OPTIONS").status, 405);
}

TEST_F(ApiTest, ConfiguredCorsOriginsReplaceTheDefaults) {
  ApiConfig c = config();
  c.cors_origins = {"https://*.example.org"};
  Api custom(c, hub);
  auto r = custom.handle(make_request("/health", "GET", {{"Origin", "https://dash.example.org"}}));
  EXPECT_EQ(header(r, "access-control-allow-origin"), "https://dash.example.org");
  auto old = custom.handle(make_request("/health", "GET", {{"Origin", "http://localhost:3000"}}));
  EXPECT_EQ(header(old, "access-control-allow-origin"), "");
}

TEST_F(ApiTest, ANewSnapshotIsServedAsSoonAsItIsPublished) {
  publish_network();
  auto before = body_json(get("/pnodes?status=all"));
  EXPECT_EQ(before.at("pagination").at("total"), 5);
  EXPECT_EQ(before.at("network_stats").at("total_storage_committed"), 13000);
  hub.publish(make_snapshot(kPublished + 60, {"seed-a:6000"}, make_views({make_online_view("10.9.9.9:9001", kPublished, 1, 1)})));
  auto body = body_json(get("/pnodes?status=all"));
  EXPECT_EQ(addresses(body), (std::vector<std::string>{"10.9.9.9:9001"}));
  EXPECT_EQ(body.at("network_stats").at("total_storage_committed"), 1000);  // not the old snapshot's memo
  EXPECT_EQ(body.at("summary").at("snapshot_age_seconds"), -15);
}

}  // namespace
}  // namespace pnode::api
