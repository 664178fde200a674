// Availability and credits history through the API: the node JSON's `availability` beside
// `probe`, GET /pnodes/{address}/availability, /probes (latency over time) and
// /credits/history over a SQLite store,
// GET /network/availability with gossip presence and credits side by side, and the
// bounds of every query parameter.
#include <gtest/gtest.h>

#include "api/route_test_support.h"
#include "api/routes.h"
#include "collect/credits_poller.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

class AvailabilityRoutes : public RoutesTest {
 protected:
  // A (up for the last 2 h after 1 h down) and B (down since an hour) in the snapshot;
  // B answered gossip as online all along.
  void publish_with_availability() {
    auto table = std::make_shared<model::AvailabilityTable>();
    table->computed_at = now;
    model::PodAvailability a;
    a.uptime_24h = 2.0 / 3;
    a.up = true;
    a.up_since = now - 7200;
    a.latency_mean_ms = 11;
    a.latency_p95_ms = 20.5;
    model::PodAvailability b;
    b.uptime_24h = 0;
    b.down_since = now - 3600;
    table->by_address = {{kA, a}, {kB, b}};
    auto round = std::make_shared<model::ProbeRound>();
    model::PodProbe pb;
    pb.address = kB;
    pb.failure = "refused";
    round->results = {pb};
    round->reindex();
    auto snapshot = std::make_shared<model::Snapshot>(*network.cycle2.snapshot);
    snapshot->availability = table;
    snapshot->probe = round;
    hub.publish(snapshot);
  }

  // A's sessions and probes in the store: down [now-3h, now-2h), up since now-2h.
  void store_history() {
    with_store();
    model::AvailabilitySession down{kA, false, now - 3 * 3600, now - 2 * 3600, now - 2 * 3600 - 60, 2, now - 3 * 3600};
    model::AvailabilitySession up{kA, true, now - 2 * 3600, std::nullopt, now, 0, 0};
    store::ProbeRoundWrite write;
    write.sessions = {down, up};
    write.probes = {{kA, now - 2 * 3600 - 60, false, "refused", 0, 1},
                    {kA, now - 60, true, "", 1, 10},
                    {kA, now, true, "", 1, 30}};
    ASSERT_TRUE(store->write_probe_round(write).ok());
    ASSERT_TRUE(store->write_credits({{"pk-A", now - 7200, 900, "mainnet"}, {"pk-A", now - 60, 1000, "mainnet"}}, 0,
                                     std::nullopt)
                    .ok());
  }

  json::object node_of(const json::value& body, const char* address) {
    for (const auto& n : body.at("pnodes").as_array())
      if (n.at("address") == address) return n.as_object();
    ADD_FAILURE() << "no node " << address;
    return {};
  }
};

TEST_F(AvailabilityRoutes, WithoutATableNodesHaveNoAvailabilityKey) {
  auto body = get_json("/pnodes?status=all&limit=10");
  for (const auto& n : body.at("pnodes").as_array()) EXPECT_FALSE(n.as_object().contains("availability"));
  EXPECT_EQ(get_json("/network/availability").at("pods"), 0);
}

TEST_F(AvailabilityRoutes, EachNodeCarriesItsAvailabilityBesideGossipAndProbe) {
  publish_with_availability();
  auto body = get_json("/pnodes?status=all&limit=10");
  auto b = node_of(body, kB);
  EXPECT_EQ(b.at("is_online"), true);  // gossip says online...
  EXPECT_EQ(b.at("probe").at("reachable"), false);  // ...the probe says it does not answer
  EXPECT_EQ(b.at("availability").at("state"), "down");
  EXPECT_EQ(b.at("availability").at("down_since"), now - 3600);
  EXPECT_TRUE(b.at("availability").at("up_since").is_null());
  auto a = node_of(body, kA);
  EXPECT_EQ(a.at("availability").at("state"), "up");
  EXPECT_JSON_FLOAT(a.at("availability").at("latency_p95_ms"), 20.5);
  EXPECT_JSON_FLOAT(a.at("availability").at("uptime_24h"), 2.0 / 3);
  EXPECT_TRUE(a.at("availability").at("uptime_7d").is_null());
  EXPECT_TRUE(node_of(body, kC).at("availability").is_null());  // never probed
}

TEST_F(AvailabilityRoutes, NetworkAvailabilityListsSharesPresenceAndCredits) {
  publish_with_availability();
  auto credits = std::make_shared<collect::CreditsState>();
  credits->mainnet.configured = true;
  credits->mainnet.pods = {{"pk-A", 1000}, {"pk-shared", 10}};
  credits->view = analysis::assess_credits(credits->mainnet.pods, {}, credits->rules);
  ApiConfig c;
  c.credits = [credits] { return credits; };
  make_api(c);
  auto body = get_json("/network/availability");
  EXPECT_EQ(body.at("pods"), 2);
  const auto& nodes = body.at("nodes").as_array();
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0].at("address"), kA);
  EXPECT_EQ(nodes[0].at("state"), "up");
  EXPECT_JSON_FLOAT(nodes[0].at("credits"), 1000.0);
  EXPECT_EQ(nodes[0].at("eligible"), true);
  EXPECT_TRUE(nodes[0].at("reachable").is_null());  // not in the latest round
  EXPECT_EQ(nodes[1].at("address"), kB);
  EXPECT_EQ(nodes[1].at("in_gossip"), true);
  EXPECT_EQ(nodes[1].at("reachable"), false);
  EXPECT_EQ(nodes[1].at("eligible"), false);
  EXPECT_EQ(nodes[1].at("credits_network"), "mainnet");
}

TEST_F(AvailabilityRoutes, NodeAvailabilityReadsSessionsAndProbesFromTheStore) {
  publish_with_availability();
  store_history();
  auto body = get_json(std::string("/pnodes/") + kA + "/availability?hours=24");
  EXPECT_EQ(body.at("state"), "up");
  EXPECT_EQ(body.at("up_since"), now - 7200);
  // 3 h known in the last 24 h, 2 of them up.
  EXPECT_JSON_FLOAT(body.at("uptime").at("24h"), 2.0 / 3);
  EXPECT_JSON_FLOAT(body.at("coverage").at("24h"), 3.0 / 24);
  const auto& window = body.at("window");
  EXPECT_EQ(window.at("probes"), 3);
  EXPECT_EQ(window.at("answered"), 2);
  EXPECT_EQ(window.at("failures").at("refused"), 1);
  EXPECT_JSON_FLOAT(window.at("latency_mean_ms"), 20.0);
  EXPECT_JSON_FLOAT(window.at("latency_p95_ms"), 30.0);
  EXPECT_EQ(window.at("unknown_seconds"), 21 * 3600);
  const auto& sessions = body.at("sessions").as_array();
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].at("state"), "down");
  EXPECT_EQ(sessions[1].at("state"), "up");
  EXPECT_TRUE(sessions[1].at("ended_at").is_null());
  // limit keeps the newest sessions.
  auto limited = get_json(std::string("/pnodes/") + kA + "/availability?limit=1");
  ASSERT_EQ(limited.at("sessions").as_array().size(), 1u);
  EXPECT_EQ(limited.at("sessions").as_array()[0].at("state"), "up");
  EXPECT_EQ(limited.at("sessions_total"), 2);
  EXPECT_EQ(get("/pnodes/127.9.9.9:1/availability").status, 404);
}

TEST_F(AvailabilityRoutes, NodeAvailabilityWithoutAStoreIs503) {
  publish_with_availability();
  EXPECT_EQ(get(std::string("/pnodes/") + kA + "/availability").status, 503);
  EXPECT_EQ(get(std::string("/pnodes/") + kA + "/credits/history").status, 503);
}

TEST_F(AvailabilityRoutes, NodeProbesBucketsTheStoredProbesLatency) {
  store_history();  // A: refused at now-2h-60 s, answered in 10 ms at now-60 s and in 30 ms at now
  auto body = get_json(std::string("/pnodes/") + kA + "/probes?hours=3&bucket_minutes=60");
  EXPECT_EQ(body.at("bucket_minutes"), 60);
  EXPECT_EQ(body.at("from"), now - 3 * 3600);
  EXPECT_EQ(body.at("to"), now);
  const auto& buckets = body.at("buckets").as_array();
  ASSERT_EQ(buckets.size(), 3u);
  EXPECT_EQ(buckets[0].at("start"), now - 3 * 3600);
  EXPECT_EQ(buckets[2].at("start"), now - 3600);
  // The refused probe counts as a probe, never as a latency: its bucket has none.
  EXPECT_EQ(buckets[0].at("probes"), 1);
  EXPECT_EQ(buckets[0].at("answered"), 0);
  for (const char* key : {"latency_mean_ms", "latency_p95_ms", "latency_max_ms", "connect_mean_ms"})
    EXPECT_TRUE(buckets[0].at(key).is_null()) << key;
  EXPECT_EQ(buckets[1].at("probes"), 0);
  EXPECT_TRUE(buckets[1].at("latency_mean_ms").is_null());
  EXPECT_EQ(buckets[2].at("probes"), 2);
  EXPECT_EQ(buckets[2].at("answered"), 2);
  EXPECT_JSON_FLOAT(buckets[2].at("latency_mean_ms"), 20.0);
  EXPECT_JSON_FLOAT(buckets[2].at("latency_p95_ms"), 30.0);
  EXPECT_JSON_FLOAT(buckets[2].at("latency_max_ms"), 30.0);
  EXPECT_JSON_FLOAT(buckets[2].at("connect_mean_ms"), 1.0);
  const auto& overall = body.at("overall");
  EXPECT_EQ(overall.at("probes"), 3);
  EXPECT_EQ(overall.at("answered"), 2);
  EXPECT_JSON_FLOAT(overall.at("latency_mean_ms"), 20.0);
  // The window reaches back `hours` only.
  EXPECT_EQ(get_json(std::string("/pnodes/") + kA + "/probes?hours=1").at("overall").at("probes"), 2);
}

TEST_F(AvailabilityRoutes, NodeProbesBucketWidthDefaultsToAtMost200AndIsWidenedTo1440Buckets) {
  store_history();
  auto day = get_json(std::string("/pnodes/") + kA + "/probes");
  EXPECT_EQ(day.at("hours"), 24);
  EXPECT_EQ(day.at("bucket_minutes"), 8);
  EXPECT_EQ(day.at("buckets").as_array().size(), 180u);
  // A month of one-minute buckets would be 43,200: widened to 30 minutes, 1440 buckets.
  auto month = get_json(std::string("/pnodes/") + kA + "/probes?hours=720&bucket_minutes=1");
  EXPECT_EQ(month.at("bucket_minutes"), 30);
  EXPECT_EQ(month.at("buckets").as_array().size(), 1440u);
  auto widest = get_json(std::string("/pnodes/") + kA + "/probes?hours=720&bucket_minutes=1440");
  EXPECT_EQ(widest.at("buckets").as_array().size(), 30u);
}

TEST_F(AvailabilityRoutes, NodeProbesOfAnUnknownPodIs404AndWithoutAStore503) {
  publish_with_availability();
  EXPECT_EQ(get(std::string("/pnodes/") + kA + "/probes").status, 503);
  store_history();
  EXPECT_EQ(get("/pnodes/127.9.9.9:1/probes").status, 404);
  EXPECT_EQ(get_json("/pnodes/127.9.9.9:1/probes", 404).at("error"), "Node not found: 127.9.9.9:1");
}

TEST_F(AvailabilityRoutes, CreditsHistoryOfANodeByItsPubkey) {
  store_history();
  auto body = get_json(std::string("/pnodes/") + kA + "/credits/history");
  EXPECT_EQ(body.at("pubkey"), "pk-A");
  EXPECT_EQ(body.at("count"), 2);
  const auto& rows = body.at("history").as_array();
  EXPECT_JSON_FLOAT(rows[0].at("credits"), 900.0);
  EXPECT_EQ(rows[1].at("at"), now - 60);
  EXPECT_EQ(rows[1].at("network"), "mainnet");
  auto recent = get_json(std::string("/pnodes/") + kA + "/credits/history?hours=1");
  EXPECT_EQ(recent.at("count"), 1);
  EXPECT_EQ(get_json(std::string("/pnodes/") + kA + "/credits/history?limit=1").at("count"), 1);
  EXPECT_EQ(get("/pnodes/127.9.9.9:1/credits/history").status, 404);
}

TEST_F(AvailabilityRoutes, QueryParametersAreBounded) {
  const std::string a = std::string("/pnodes/") + kA;
  expect_422(a + "/availability?hours=0", "greater_than_equal", "hours", "0");
  expect_422(a + "/availability?hours=721", "less_than_equal", "hours", "721");
  expect_422(a + "/availability?limit=0", "greater_than_equal", "limit", "0");
  expect_422(a + "/availability?limit=1001", "less_than_equal", "limit", "1001");
  expect_422(a + "/probes?hours=0", "greater_than_equal", "hours", "0");
  expect_422(a + "/probes?hours=721", "less_than_equal", "hours", "721");
  expect_422(a + "/probes?bucket_minutes=0", "greater_than_equal", "bucket_minutes", "0");
  expect_422(a + "/probes?bucket_minutes=1441", "less_than_equal", "bucket_minutes", "1441");
  expect_422(a + "/credits/history?hours=0", "greater_than_equal", "hours", "0");
  expect_422(a + "/credits/history?hours=2161", "less_than_equal", "hours", "2161");
  expect_422(a + "/credits/history?limit=0", "greater_than_equal", "limit", "0");
  expect_422(a + "/credits/history?limit=5001", "less_than_equal", "limit", "5001");
}

}  // namespace
}  // namespace pnode::api
