// Registry routes over the test network: GET /registry/{address}, DELETE /prune, GET
// /graveyard and the legacy GET /registry list.
#include <gtest/gtest.h>

#include "api/route_test_support.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

class RegistryRoutes : public RoutesTest {
 protected:
  http::Response prune(const std::string& query, std::string authorization = "Bearer s3cret") {
    http::Headers headers;
    if (!authorization.empty()) headers.emplace_back("Authorization", std::move(authorization));
    return get("/prune" + query, "DELETE", std::move(headers));
  }

  static std::vector<std::string> item_addresses(const json::value& body) {
    std::vector<std::string> out;
    for (const auto& item : body.at("items").as_array()) out.emplace_back(item.at("address").as_string());
    return out;
  }
};

const std::vector<std::string> kRegistryDocKeys = {
    "_id", "address", "pubkey", "last_seen", "last_ip", "rpc_port", "is_public", "storage_committed", "storage_used",
    "storage_usage_percent", "uptime", "version", "last_checked", "first_seen", "source_ips", "created_at",
    "gossip_appearances", "gossip_disappearances", "last_gossip_appearance", "last_gossip_drop", "consistency_score",
    "previous_addresses"};

// ---- GET /registry/{address} ----

TEST_F(RegistryRoutes, EntryHasTheRegistryDocStatusAndUnifiedFields) {
  auto body = get_json(std::string("/registry/") + kA);
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"entry", "status", "last_updated"}));
  const auto& entry = body.at("entry");
  std::vector<std::string> keys = kRegistryDocKeys;
  for (const char* k : {"is_online", "scores", "score", "tier", "peer_sources", "peer_count"}) keys.emplace_back(k);
  for (const char* k : {"score_v2", "score_v2_breakdown"}) keys.emplace_back(k);  // ours, after the reference's
  EXPECT_EQ(keys_of(entry), keys);
  // Without probe round, credits or availability only the gossip factors are known.
  EXPECT_EQ(entry.at("score_v2"), entry.at("score_v2_breakdown").at("score"));
  EXPECT_EQ(entry.at("score_v2_breakdown").at("known_weight").as_double(), 50.0);
  EXPECT_EQ(entry.at("score_v2_breakdown").at("unknown").as_array().size(), 5u);
  EXPECT_EQ(entry.at("_id"), kA);
  EXPECT_EQ(entry.at("pubkey"), "pk-A");
  EXPECT_JSON_INT(entry.at("last_seen"), kT2 - 10);
  EXPECT_EQ(entry.at("last_ip"), kS0);
  EXPECT_JSON_INT(entry.at("rpc_port"), 6000);
  EXPECT_EQ(entry.at("is_public"), true);
  EXPECT_JSON_INT(entry.at("storage_committed"), 200 * kGiB);
  EXPECT_JSON_INT(entry.at("storage_used"), 100 * kGiB);
  EXPECT_JSON_FLOAT(entry.at("storage_usage_percent"), 50.0);
  EXPECT_JSON_INT(entry.at("uptime"), 40 * 86400);
  EXPECT_EQ(entry.at("version"), "0.8.0");
  EXPECT_JSON_INT(entry.at("last_checked"), kT2);
  EXPECT_JSON_INT(entry.at("first_seen"), kT1 - 5);  // the smallest gossip last_seen
  EXPECT_EQ(entry.at("source_ips"), (json::array{kS0, kS1, kS2}));
  EXPECT_JSON_INT(entry.at("created_at"), kT1);
  EXPECT_JSON_INT(entry.at("gossip_appearances"), 1);
  EXPECT_JSON_INT(entry.at("gossip_disappearances"), 0);
  EXPECT_JSON_INT(entry.at("last_gossip_appearance"), kT1);
  EXPECT_TRUE(entry.at("last_gossip_drop").is_null());
  EXPECT_JSON_FLOAT(entry.at("consistency_score"), 1.0);
  EXPECT_EQ(entry.at("is_online"), true);
  // The unified fields are /pnodes' own.
  auto listed = get_json("/pnodes?sort_by=score&limit=1").at("pnodes").at(0);
  EXPECT_EQ(entry.at("scores"), listed.at("scores"));
  EXPECT_JSON_FLOAT(entry.at("score"), 94.0);
  EXPECT_EQ(entry.at("tier"), "low_risk");
  EXPECT_EQ(entry.at("peer_sources"), (json::array{kS0, kS1, kS2}));
  EXPECT_JSON_INT(entry.at("peer_count"), 3);

  EXPECT_EQ(to_text(body.at("status")),
            R"({"_id":"10.0.0.1:9001","address":"10.0.0.1:9001","status":"public","updated_at":)" +
                std::to_string(kT2) + R"(,"last_ip":"127.0.0.1:6001","last_seen":)" + std::to_string(kT2 - 10) + "}");
  EXPECT_JSON_INT(body.at("last_updated"), kT2);
}

TEST_F(RegistryRoutes, OfflineEntryIsOfflineWithItsGossipCounters) {
  auto body = get_json("/registry/10.0.0.9%3A9001");  // percent-encoded ':'
  const auto& entry = body.at("entry");
  EXPECT_EQ(entry.at("address"), kF);
  EXPECT_EQ(entry.at("is_online"), false);
  // Dropped once after one appearance: 1 / (1 + 1).
  EXPECT_JSON_INT(entry.at("gossip_disappearances"), 1);
  EXPECT_JSON_INT(entry.at("last_gossip_drop"), kT2);
  EXPECT_JSON_FLOAT(entry.at("consistency_score"), 0.5);
  EXPECT_JSON_INT(entry.at("last_checked"), kT1);
  EXPECT_EQ(entry.at("tier"), "offline");
  EXPECT_JSON_INT(entry.at("score"), 0);
  EXPECT_EQ(entry.at("peer_sources"), json::array{});
  EXPECT_JSON_INT(entry.at("peer_count"), 0);
  EXPECT_EQ(body.at("status").at("status"), "public");
  EXPECT_EQ(get_json(std::string("/registry/") + kB).at("status").at("status"), "private");
}

TEST_F(RegistryRoutes, EntryNotFoundIsTheJsonRpc404) {
  auto r = get("/registry/10.9.9.9:9001");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(body_text(r),
            R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"Registry entry not found for address: 10.9.9.9:9001"},"id":1})");
  auto empty = get("/registry/");  // the empty address
  EXPECT_EQ(empty.status, 404);
  EXPECT_EQ(body_json(empty).at("error").at("message"), "Registry entry not found for address: ");
  auto r503 = get_without_snapshot(std::string("/registry/") + kA);
  EXPECT_EQ(r503.status, 503);
  EXPECT_EQ(body_text(r503), kSnapshotUnavailable);
}

// ---- DELETE /prune ----

TEST_F(RegistryRoutes, PruneIsDisabledWithoutAToken) {
  auto r = prune("");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(body_text(r), R"json({"detail":"DELETE /prune is disabled: no admin token is configured (ADMIN_TOKEN)"})json");
  EXPECT_EQ(get("/prune").status, 405);  // DELETE only
}

TEST_F(RegistryRoutes, PruneNeedsTheBearerToken) {
  ApiConfig c;
  c.admin_token = "s3cret";
  c.prune = [](int64_t) -> Result<int64_t> { return int64_t{0}; };
  c.admin_failure_limit = rest::RateLimit{1, 100};  // six wrong tokens here, no lockout
  make_api(c);
  for (const char* bad : {"", "Bearer wrong", "Bearer s3cre", "Bearer s3cretX", "Basic s3cret", "s3cret"}) {
    auto r = prune("", bad);
    EXPECT_EQ(r.status, 401) << bad;
    EXPECT_EQ(body_text(r), R"({"detail":"Invalid or missing admin token"})") << bad;
    EXPECT_EQ(header(r, "www-authenticate"), "Bearer") << bad;
  }
  EXPECT_EQ(prune("", "bearer s3cret").status, 200);  // the scheme is case-insensitive
}

// Issue 10: 66k wrong admin tokens in 3 s met no lockout.
TEST_F(RegistryRoutes, RepeatedWrongAdminTokensAreLockedOutWith429) {
  ApiConfig c;
  c.admin_token = "s3cret";
  int prunes = 0;
  c.prune = [&prunes](int64_t) -> Result<int64_t> { return ++prunes, int64_t{0}; };
  c.admin_failure_limit = rest::RateLimit{1.0 / 60, 3};
  make_api(c);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(prune("", "Bearer guess" + std::to_string(i)).status, 401) << i;
  for (const char* attempt : {"Bearer guess9", "Bearer s3cret"}) {
    auto locked = prune("", attempt);
    EXPECT_EQ(locked.status, 429) << attempt;  // even the right token, until the bucket refills
    EXPECT_EQ(header(locked, "retry-after"), "60") << attempt;
  }
  EXPECT_EQ(prunes, 0);
  // Another client is not locked out by this one's failures.
  http::Request other = make_request("/prune", "DELETE", {{"Authorization", "Bearer s3cret"}});
  other.remote_address = "127.0.0.2";
  EXPECT_EQ(api->handle(other).status, 200);
  EXPECT_EQ(prunes, 1);
}

TEST_F(RegistryRoutes, ARightTokenDoesNotCountAsAFailure) {
  ApiConfig c;
  c.admin_token = "s3cret";
  c.prune = [](int64_t) -> Result<int64_t> { return int64_t{0}; };
  c.admin_failure_limit = rest::RateLimit{1.0 / 60, 1};
  make_api(c);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(prune("").status, 200) << i;
}

TEST_F(RegistryRoutes, PruneCallsTheHookWithTheCutoff) {
  std::vector<int64_t> cutoffs;
  ApiConfig c;
  c.admin_token = "s3cret";
  c.prune = [&cutoffs](int64_t cutoff) -> Result<int64_t> {
    cutoffs.push_back(cutoff);
    return int64_t{3};
  };
  make_api(c);
  auto r = prune("");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(body_text(r), R"({"status":"ok","threshold_days":90,"deleted_count":3})");
  EXPECT_EQ(body_json(prune("?days=7")).at("threshold_days"), 7);
  EXPECT_EQ(cutoffs, (std::vector<int64_t>{now - 90 * 86400, now - 7 * 86400}));
  // A huge number of days reaches back to the beginning of time instead of overflowing.
  EXPECT_EQ(prune("?days=9223372036854775807").status, 200);
  EXPECT_EQ(cutoffs.back(), std::numeric_limits<int64_t>::min());
}

TEST_F(RegistryRoutes, PruneValidatesDays) {
  ApiConfig c;
  c.admin_token = "s3cret";
  c.prune = [](int64_t) -> Result<int64_t> { return int64_t{0}; };
  make_api(c);
  for (const auto& [query, type, input] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"?days=0", "greater_than_equal", "0"},
           {"?days=-5", "greater_than_equal", "-5"},
           {"?days=abc", "int_parsing", "abc"},
           {"?days=", "int_parsing", ""},
       }) {
    auto r = prune(query);
    ASSERT_EQ(r.status, 422) << query;
    auto detail = body_json(r).at("detail").at(0);
    EXPECT_EQ(detail.at("type"), type.c_str()) << query;
    EXPECT_EQ(detail.at("loc"), (json::array{"query", "days"})) << query;
    EXPECT_EQ(detail.at("input"), input.c_str()) << query;
  }
}

TEST_F(RegistryRoutes, PruneFailuresAreFixedJsonRpcErrors) {
  ApiConfig c;
  c.admin_token = "s3cret";
  c.prune = [](int64_t) -> Result<int64_t> {
    return make_error(ErrorCode::kIoError, "disk I/O error at /secret/path");
  };
  make_api(c);
  auto r = prune("");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(body_text(r),
            R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"Failed to prune registry: the registry could not be updated"},"id":1})");
  c.prune = [](int64_t) -> Result<int64_t> { throw std::runtime_error("boom /secret"); };
  make_api(c);
  EXPECT_EQ(body_text(prune("")).find("secret"), std::string::npos);
  EXPECT_EQ(prune("").status, 500);
  c.prune = nullptr;  // and no store
  make_api(c);
  EXPECT_EQ(prune("").status, 500);
}

TEST_F(RegistryRoutes, PruneWithoutAHookPrunesTheStore) {
  ApiConfig c;
  c.admin_token = "s3cret";
  with_store(c);
  // now - 8 days = kT1 + 160: only F (last seen kT1 - 5) is older.
  auto r = prune("?days=8");
  ASSERT_EQ(r.status, 200) << body_text(r);
  EXPECT_EQ(body_json(r).at("deleted_count"), 1);
  auto loaded = store->load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->registry.find(kF), nullptr);
  EXPECT_NE(loaded->registry.find(kA), nullptr);
  EXPECT_EQ(body_json(prune("?days=8")).at("deleted_count"), 0);
}

// ---- GET /graveyard ----

TEST_F(RegistryRoutes, GraveyardListsEntriesNotSeenForDays) {
  // now - 8 days = kT1 + 160 > F's last_seen (kT1 - 5); the others were seen at kT2 - 10.
  auto body = get_json("/graveyard?days=8");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"count", "threshold_days", "items"}));
  EXPECT_EQ(item_addresses(body), (std::vector<std::string>{kF}));
  EXPECT_JSON_INT(body.at("count"), 1);
  EXPECT_JSON_INT(body.at("threshold_days"), 8);
  EXPECT_EQ(keys_of(body.at("items").at(0)), kRegistryDocKeys);  // no is_online here
  // 9 days back is before F's last sighting.
  EXPECT_JSON_INT(get_json("/graveyard?days=9").at("count"), 0);
  EXPECT_JSON_INT(get_json("/graveyard").at("count"), 0);  // default 90 days
  // Two days later the online nodes are "older than 1 day" too, but still online.
  now = kT2 + 2 * 86400;
  EXPECT_EQ(item_addresses(get_json("/graveyard?days=1")), (std::vector<std::string>{kF}));
  EXPECT_EQ(get("/graveyard?days=9223372036854775807").status, 200);
}

// Cycle 3, two days after cycle 2: every seed lists only A, with the old gossip time of
// cycle 1 (a seed may report any time for a live node). B, C, D and E drop out.
collect::CycleResult only_a_online_with_an_old_time(const TestNetwork& network, int64_t at) {
  auto a = make_pod(kA, "pk-A", 42 * 86400, 200 * kGiB, 50.0, "0.8.0", true, kT1 - 5);
  return collect::assemble_cycle({make_seed_answer(kS0, {a}), make_seed_answer(kS1, {a}), make_seed_answer(kS2, {a})},
                                 *network.cycle2.snapshot->registry, 3, at - 2, at, {});
}

TEST_F(RegistryRoutes, GraveyardNeverListsAnOnlineNodeWhateverItsLastSeen) {
  const int64_t t3 = kT2 + 2 * 86400;
  auto cycle3 = only_a_online_with_an_old_time(network, t3);
  hub.publish(cycle3.snapshot);
  now = t3 + 60;
  ASSERT_LT(cycle3.snapshot->registry->find(kA)->last_seen, now - 86400);  // A looks long gone
  // Newest first (ties by address), A left out.
  EXPECT_EQ(item_addresses(get_json("/graveyard?days=1")), (std::vector<std::string>{kB, kC, kD, kE, kF}));
  EXPECT_JSON_INT(get_json("/graveyard?days=1").at("count"), 5);
  EXPECT_EQ(item_addresses(get_json("/graveyard?days=1&skip=3&limit=1")), (std::vector<std::string>{kE}));
  EXPECT_EQ(item_addresses(get_json("/graveyard?days=1&skip=4&limit=10")), (std::vector<std::string>{kF}));
  EXPECT_JSON_INT(get_json("/graveyard?days=1&skip=5").at("count"), 0);
}

TEST_F(RegistryRoutes, PruneNeverRemovesANodeThatIsInGossip) {
  ApiConfig c;
  c.admin_token = "s3cret";
  with_store(c);
  const int64_t t3 = kT2 + 2 * 86400;
  auto cycle3 = only_a_online_with_an_old_time(network, t3);
  ASSERT_TRUE(store->write_cycle(cycle3.write).ok());
  hub.publish(cycle3.snapshot);
  now = t3 + 60;
  auto r = prune("?days=1");
  ASSERT_EQ(r.status, 200) << body_text(r);
  EXPECT_EQ(body_json(r).at("deleted_count"), 5);  // B, C, D, E, F
  auto loaded = store->load();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->registry.entries.size(), 1u);
  EXPECT_EQ(loaded->registry.entries[0].address, kA);
}

TEST_F(RegistryRoutes, GraveyardValidatesEveryParameter) {
  expect_422("/graveyard?days=0", "greater_than_equal", "days", "0");
  expect_422("/graveyard?days=x", "int_parsing", "days", "x");
  expect_422("/graveyard?skip=-1", "greater_than_equal", "skip", "-1");
  expect_422("/graveyard?skip=1.5", "int_parsing", "skip", "1.5");
  expect_422("/graveyard?limit=0", "greater_than_equal", "limit", "0");
  expect_422("/graveyard?limit=1001", "less_than_equal", "limit", "1001");
  expect_422("/graveyard?limit=", "int_parsing", "limit", "");
  EXPECT_EQ(get("/graveyard?limit=1000&skip=0&days=1").status, 200);
  EXPECT_EQ(get_without_snapshot("/graveyard").status, 503);
}

TEST_F(RegistryRoutes, AnAddressTheNodeLeftAnswersWithWhereItWent) {
  auto snapshot = std::make_shared<model::Snapshot>(*network.cycle2.snapshot);
  auto registry = std::make_shared<model::Registry>(*snapshot->registry);
  for (auto& e : registry->entries)
    if (e.address == kF) e.previous_addresses = {"10.0.0.9:7000", "10.0.0.9:7001"};
  registry->reindex();
  snapshot->registry = registry;
  hub.publish(snapshot);
  auto body = get_json("/registry/10.0.0.9:7000");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"moved_from", "moved_to", "entry", "status", "last_updated"}));
  EXPECT_EQ(body.at("moved_from"), "10.0.0.9:7000");
  EXPECT_EQ(body.at("moved_to"), kF);
  EXPECT_EQ(body.at("entry").at("address"), kF);
  EXPECT_EQ(body.at("entry").at("previous_addresses").as_array().size(), 2u);
  auto current = get_json(std::string("/registry/") + kF);
  EXPECT_FALSE(current.as_object().contains("moved_from"));
  EXPECT_EQ(get("/registry/10.0.0.9:7002").status, 404);
}

// ---- legacy GET /registry ----

TEST_F(RegistryRoutes, RegistryListIsNewestFirstWithIsOnline) {
  auto body = get_json("/registry");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"count", "items"}));
  EXPECT_EQ(item_addresses(body), (std::vector<std::string>{kA, kB, kC, kD, kE, kF}));
  EXPECT_JSON_INT(body.at("count"), 6);
  std::vector<std::string> keys = kRegistryDocKeys;
  keys.emplace_back("is_online");
  EXPECT_EQ(keys_of(body.at("items").at(0)), keys);
  EXPECT_EQ(body.at("items").at(0).at("is_online"), true);
  EXPECT_EQ(body.at("items").at(5).at("is_online"), false);
  auto page = get_json("/registry?limit=2&skip=3");
  EXPECT_EQ(item_addresses(page), (std::vector<std::string>{kD, kE}));
  EXPECT_JSON_INT(page.at("count"), 2);
  EXPECT_JSON_INT(get_json("/registry?skip=100").at("count"), 0);
}

TEST_F(RegistryRoutes, RegistryListValidatesEveryParameter) {
  expect_422("/registry?limit=0", "greater_than_equal", "limit", "0");
  expect_422("/registry?limit=1501", "less_than_equal", "limit", "1501");
  expect_422("/registry?limit=many", "int_parsing", "limit", "many");
  expect_422("/registry?skip=-1", "greater_than_equal", "skip", "-1");
  expect_422("/registry?skip=", "int_parsing", "skip", "");
  EXPECT_EQ(get("/registry?limit=1500").status, 200);
  EXPECT_EQ(get_without_snapshot("/registry").status, 503);
}

}  // namespace
}  // namespace pnode::api
