// Scores (docs/reference-compat.md §4) served for the test network, worked out by hand,
// and the network-wide snapshot routes: /network/topology, /network/health,
// /network/analytics, /all-nodes.
#include <gtest/gtest.h>

#include <map>

#include "api/route_test_support.h"
#include "api/routes.h"
#include "collect/restore.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

class NetworkRoutes : public RoutesTest {
 protected:
  json::object node(const json::value& pnodes_body, const char* address) {
    for (const auto& n : pnodes_body.at("pnodes").as_array())
      if (n.at("address") == address) return n.as_object();
    ADD_FAILURE() << "no node " << address;
    return {};
  }
};

// Every score below follows §4 with latest version 0.8.0 (3 of the 5 online nodes run
// it), consistency 1.0 (no node ever dropped while online) and growth 0.5 (no history).
TEST_F(NetworkRoutes, ScoresOfFiveNodesFollowTheFormulas) {
  auto body = get_json("/pnodes?status=all&limit=10");

  // A: uptime min(40/30,1)*40 = 40; presence min(3/3,1)*30 = 30; version 20; consistency
  // 1.0*10 = 10 -> trust 100.0. Capacity: min(200/100,1)*30 = 30; usage 50 in [20,80] -> 40
  // (int); growth 0.5*30 = 15 -> 85.0. Composite 100*0.6 + 85*0.4 = 94.0 -> low_risk.
  auto a = node(body, kA);
  const auto& at = a.at("scores").at("trust");
  EXPECT_JSON_FLOAT(at.at("score"), 100.0);
  EXPECT_JSON_FLOAT(at.at("breakdown").at("uptime"), 40.0);
  EXPECT_JSON_FLOAT(at.at("breakdown").at("gossip_presence"), 30.0);
  EXPECT_JSON_INT(at.at("breakdown").at("version_compliance"), 20);
  EXPECT_JSON_FLOAT(at.at("breakdown").at("gossip_consistency"), 10.0);
  const auto& ac = a.at("scores").at("capacity");
  EXPECT_JSON_FLOAT(ac.at("score"), 85.0);
  EXPECT_JSON_FLOAT(ac.at("breakdown").at("storage_committed"), 30.0);
  EXPECT_JSON_INT(ac.at("breakdown").at("usage_balance"), 40);
  EXPECT_JSON_FLOAT(ac.at("breakdown").at("growth_trend"), 15.0);
  EXPECT_JSON_FLOAT(a.at("score"), 94.0);
  EXPECT_EQ(a.at("tier"), "low_risk");
  EXPECT_EQ(a.at("scores").at("stake_confidence").at("color"), "#10b981");

  // B: uptime 15/30*40 = 20; presence 2/3*30 = 20; version 20; consistency 10 -> 70.0.
  // Capacity: 50/100*30 = 15; usage 10 < 20 -> 10/20*40 = 20.0; growth 15 -> 50.0.
  // Composite 70*0.6 + 50*0.4 = 42 + 20 = 62.0 -> medium_risk.
  auto b = node(body, kB);
  EXPECT_JSON_FLOAT(b.at("scores").at("trust").at("score"), 70.0);
  EXPECT_JSON_FLOAT(b.at("scores").at("capacity").at("breakdown").at("usage_balance"), 20.0);
  EXPECT_JSON_FLOAT(b.at("scores").at("capacity").at("score"), 50.0);
  EXPECT_JSON_FLOAT(b.at("score"), 62.0);
  EXPECT_EQ(b.at("tier"), "medium_risk");
  EXPECT_EQ(b.at("scores").at("stake_confidence").at("emoji"), "\xF0\x9F\x9F\xA1");

  // C: uptime 1800/86400/30*40 = 0.02778 -> 0.03; presence 1/3*30 = 10; version 0.7.2 is one
  // line behind -> 10; consistency 10 -> round(30.02778, 2) = 30.03. Capacity: 10/100*30 =
  // 3; usage 96 > 80 -> (100-96)/20*40 = 8; growth 15 -> 26.0. Composite 30.03*0.6 + 26*0.4
  // = 18.018 + 10.4 = 28.418 -> 28.42 -> high_risk.
  auto c = node(body, kC);
  EXPECT_JSON_FLOAT(c.at("scores").at("trust").at("breakdown").at("uptime"), 0.03);
  EXPECT_JSON_INT(c.at("scores").at("trust").at("breakdown").at("version_compliance"), 10);
  EXPECT_JSON_FLOAT(c.at("scores").at("trust").at("score"), 30.03);
  EXPECT_JSON_FLOAT(c.at("scores").at("capacity").at("breakdown").at("usage_balance"), 8.0);
  EXPECT_JSON_FLOAT(c.at("scores").at("capacity").at("score"), 26.0);
  EXPECT_JSON_FLOAT(c.at("score"), 28.42);
  EXPECT_EQ(c.at("tier"), "high_risk");

  // D: uptime 2/30*40 = 2.6667 -> 2.67; presence 20; version 0.6.0 is two lines behind ->
  // 0; consistency 10 -> round(32.6667, 2) = 32.67. Capacity: 100/100*30 = 30; usage 2 ->
  // 2/20*40 = 4; growth 15 -> 49.0. Composite 32.67*0.6 + 49*0.4 = 19.602 + 19.6 = 39.2.
  auto d = node(body, kD);
  EXPECT_JSON_FLOAT(d.at("scores").at("trust").at("breakdown").at("uptime"), 2.67);
  EXPECT_JSON_INT(d.at("scores").at("trust").at("breakdown").at("version_compliance"), 0);
  EXPECT_JSON_FLOAT(d.at("scores").at("trust").at("score"), 32.67);
  EXPECT_JSON_FLOAT(d.at("scores").at("capacity").at("score"), 49.0);
  EXPECT_JSON_FLOAT(d.at("score"), 39.2);

  // E: uptime 36000/86400/30*40 = 0.5556 -> 0.56; presence 30; version 20; consistency 10
  // -> 60.56. Capacity: 1/100*30 = 0.3; usage 88 -> (100-88)/20*40 = 24; growth 15 ->
  // 39.3. Composite 60.56*0.6 + 39.3*0.4 = 36.336 + 15.72 = 52.056 -> 52.06.
  auto e = node(body, kE);
  EXPECT_JSON_FLOAT(e.at("scores").at("trust").at("score"), 60.56);
  EXPECT_JSON_FLOAT(e.at("scores").at("capacity").at("breakdown").at("storage_committed"), 0.3);
  EXPECT_JSON_FLOAT(e.at("scores").at("capacity").at("score"), 39.3);
  EXPECT_JSON_FLOAT(e.at("score"), 52.06);

  // F is offline: the reference's zero form.
  auto f = node(body, kF);
  EXPECT_EQ(to_text(f.at("scores")),
            R"({"trust":{"score":0,"breakdown":{}},"capacity":{"score":0,"breakdown":{}},)"
            R"("stake_confidence":{"composite_score":0,"rating":"offline"}})");
  EXPECT_JSON_INT(f.at("score"), 0);
  EXPECT_JSON_INT(f.at("offline_duration"), kT2 - (kT1 - 5));
}

// ---- /network/topology ----

TEST_F(NetworkRoutes, TopologyListsSeedsThenPnodesWithEdgesAndStats) {
  auto body = get_json("/network/topology");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"nodes", "edges", "stats"}));
  const auto& nodes = body.at("nodes").as_array();
  ASSERT_EQ(nodes.size(), 8u);  // 3 seeds + 5 online pNodes
  const auto& s0 = nodes[0].as_object();
  EXPECT_EQ(keys_of(s0), (std::vector<std::string>{"id", "type", "label", "group", "properties"}));
  EXPECT_EQ(s0.at("id"), kS0);
  EXPECT_EQ(s0.at("type"), "ip_node");
  EXPECT_EQ(s0.at("group"), "ip");
  const auto& p0 = s0.at("properties");
  EXPECT_JSON_INT(p0.at("active_streams"), 4);
  EXPECT_JSON_INT(p0.at("uptime"), 1000);
  EXPECT_JSON_FLOAT(p0.at("cpu_percent"), 12.5);
  EXPECT_JSON_FLOAT(p0.at("ram_used_percent"), 25.0);  // 2 GiB of 8 GiB
  EXPECT_JSON_INT(p0.at("total_pods_reported"), 4);
  // A seed without get-stats: the reference's integer zeros.
  EXPECT_JSON_INT(nodes[1].at("properties").at("cpu_percent"), 0);
  EXPECT_JSON_INT(nodes[1].at("properties").at("ram_used_percent"), 0);

  const auto& a = nodes[3].as_object();
  EXPECT_EQ(a.at("id"), kA);
  EXPECT_EQ(a.at("type"), "pnode");
  EXPECT_EQ(a.at("label"), "10.0.0.1");
  EXPECT_EQ(a.at("group"), "public");
  EXPECT_EQ(keys_of(a.at("properties")),
            (std::vector<std::string>{"pubkey", "version", "uptime", "storage_committed", "storage_used",
                                      "storage_usage_percent", "is_public", "peer_count", "last_seen"}));
  EXPECT_JSON_INT(a.at("properties").at("peer_count"), 3);
  EXPECT_EQ(nodes[4].at("group"), "private");  // B

  const auto& edges = body.at("edges").as_array();
  ASSERT_EQ(edges.size(), 11u);  // 3 + 2 + 1 + 3 + 2 collector reports
  EXPECT_EQ(to_text(edges[0]), R"({"source":"127.0.0.1:6001","target":"10.0.0.1:9001","type":"gossip_connection"})");
  const auto& stats = body.at("stats");
  EXPECT_EQ(keys_of(stats), (std::vector<std::string>{"total_nodes", "ip_nodes", "pnodes", "total_connections",
                                                      "avg_connections_per_pnode", "timestamp"}));
  EXPECT_JSON_INT(stats.at("total_nodes"), 8);
  EXPECT_JSON_INT(stats.at("total_connections"), 11);
  EXPECT_JSON_FLOAT(stats.at("avg_connections_per_pnode"), 2.2);  // 11 / 5
  EXPECT_JSON_INT(stats.at("timestamp"), now);
}

TEST_F(NetworkRoutes, CachedBodiesAreSharedWithinASecondAndRestampedAfter) {
  auto first = get("/network/topology");
  auto second = get("/network/topology");
  EXPECT_EQ(first.body, second.body);  // the same shared string, not a copy
  now += 1;
  auto later = get("/network/topology");
  EXPECT_NE(later.body, first.body);
  EXPECT_JSON_INT(body_json(later).at("stats").at("timestamp"), now);
  // Everything but the time is unchanged.
  auto a = body_json(first), b = body_json(later);
  a.as_object().at("stats").as_object().erase("timestamp");
  b.as_object().at("stats").as_object().erase("timestamp");
  EXPECT_EQ(a, b);

  // A new snapshot is never answered from the old one's cache.
  hub.publish(network.cycle1.snapshot);
  EXPECT_JSON_INT(body_json(get("/network/topology")).at("stats").at("pnodes"), 3);
}

TEST_F(NetworkRoutes, SnapshotRoutesAnswer503WithoutASnapshot) {
  for (const char* target : {"/network/topology", "/network/health", "/network/analytics"}) {
    auto r = get_without_snapshot(target);
    EXPECT_EQ(r.status, 503) << target;
    EXPECT_EQ(body_text(r), kSnapshotUnavailable) << target;
  }
  auto all = get_without_snapshot("/all-nodes");
  EXPECT_EQ(all.status, 503);
  EXPECT_EQ(body_json(all).at("error").at("message"), "Snapshot not yet available");
}

// ---- /network/health ----

TEST_F(NetworkRoutes, HealthScoresTheFourFactorsAndAddsTotalStorage) {
  auto body = get_json("/network/health");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"health", "network_stats", "summary", "alerts", "timestamp"}));
  // availability 5/6*30 = 25; version consistency 3/5*25 = 15; node quality mean composite
  // (94 + 62 + 28.42 + 39.2 + 52.06)/5 = 55.136 -> /100*25 = 13.784; connectivity mean peers
  // (3+2+1+2+3)/5 = 2.2 -> min(2.2/3, 1)*20 = 14.6667. Sum 68.4507 -> 68.45 "fair".
  const auto& health = body.at("health");
  EXPECT_JSON_FLOAT(health.at("health_score"), 68.45);
  EXPECT_EQ(health.at("status"), "fair");
  EXPECT_JSON_FLOAT(health.at("factors").at("availability"), 25.0);
  EXPECT_JSON_FLOAT(health.at("factors").at("version_consistency"), 15.0);
  EXPECT_JSON_FLOAT(health.at("factors").at("node_quality"), 13.78);
  EXPECT_JSON_FLOAT(health.at("factors").at("connectivity"), 14.67);

  const auto& summary = body.at("summary");
  EXPECT_EQ(keys_of(summary), (std::vector<std::string>{"total_pnodes", "online_pnodes", "offline_pnodes",
                                                        "snapshot_age_seconds", "last_updated", "total_storage"}));
  EXPECT_JSON_INT(summary.at("online_pnodes"), 5);
  EXPECT_JSON_INT(summary.at("offline_pnodes"), 1);
  EXPECT_JSON_INT(summary.at("snapshot_age_seconds"), 60);
  // total_storage = network_stats.total_storage_committed: 200+50+10+100+1 GiB online plus
  // F's last known 500 GiB.
  EXPECT_JSON_INT(summary.at("total_storage"), 861 * kGiB);
  EXPECT_EQ(summary.at("total_storage"), body.at("network_stats").at("total_storage_committed"));
  EXPECT_EQ(body.at("network_stats"), get_json("/pnodes").at("network_stats"));

  // 5 online nodes < 30: one high low_node_count alert; 3 versions is not > 3; 68.45 >= 60.
  EXPECT_EQ(to_text(body.at("alerts")),
            R"([{"severity":"high","type":"low_node_count","message":"Network has only 5 active nodes",)"
            R"("recommendation":"Monitor node availability closely"}])");
  now += 30;
  EXPECT_JSON_INT(get_json("/network/health").at("summary").at("snapshot_age_seconds"), 90);
}

TEST_F(NetworkRoutes, HealthWithoutNodesIsUnknownWithIntegerZero) {
  auto empty = std::make_shared<model::Snapshot>();
  empty->last_updated = kT2;
  empty->summary.last_updated = kT2;
  empty->registry = std::make_shared<model::Registry>();
  // An empty stored snapshot, completed as after a restart (views and insights).
  hub.publish(collect::complete_restored_snapshot({empty, {}}, {}, {}));
  auto text = body_text(get("/network/health"));
  EXPECT_NE(text.find(R"("health":{"health_score":0,"status":"unknown","factors":{}})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("alerts":[{"severity":"high","type":"low_node_count","message":"Network has only 0 active nodes")"),
            std::string::npos);
}

// ---- /network/analytics ----

TEST_F(NetworkRoutes, AnalyticsDistributionsAndRecommendations) {
  auto body = get_json("/network/analytics");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"current_state", "growth", "version_analysis", "storage_analysis",
                                                     "connectivity_analysis", "recommendations", "timestamp"}));
  // Public: A, C, E of 5 online.
  EXPECT_EQ(to_text(body.at("current_state")),
            R"({"total_pnodes":5,"public_nodes":3,"private_nodes":2,"public_ratio_percent":60.0})");
  // Without a store there is no history to compare with.
  EXPECT_EQ(to_text(body.at("growth")),
            R"({"24_hours":{"available":false,"message":"Insufficient historical data for growth calculation"},)"
            R"("7_days":{"available":false,"message":"Insufficient historical data for growth calculation"}})");
  const auto& version = body.at("version_analysis");
  EXPECT_EQ(to_text(version.at("distribution")), R"({"0.8.0":3,"0.7.2":1,"0.6.0":1})");
  EXPECT_EQ(version.at("latest_version"), "0.8.0");
  EXPECT_JSON_INT(version.at("latest_version_count"), 3);
  EXPECT_JSON_INT(version.at("outdated_count"), 2);  // C and D
  EXPECT_JSON_FLOAT(version.at("compliance_percent"), 60.0);
  EXPECT_JSON_INT(version.at("fragmentation_index"), 3);
  EXPECT_EQ(version.at("health"), "fair");  // 60 > 50
  // Usage 50 optimal, 10 low, 96 critical, 88 high, 2 empty.
  const auto& storage = body.at("storage_analysis");
  EXPECT_EQ(to_text(storage.at("distribution")), R"({"empty":1,"low":1,"optimal":1,"high":1,"critical":1})");
  EXPECT_JSON_FLOAT(storage.at("optimal_percent"), 20.0);
  EXPECT_EQ(storage.at("health"), "fair");  // optimal 1 is not > critical 1
  // Peers 3 good, 2 weak, 1 isolated, 3 good, 2 weak.
  const auto& connectivity = body.at("connectivity_analysis");
  EXPECT_EQ(to_text(connectivity.at("distribution")), R"({"isolated":1,"weak":2,"good":2,"excellent":0})");
  EXPECT_JSON_INT(connectivity.at("well_connected"), 2);
  EXPECT_JSON_FLOAT(connectivity.at("well_connected_percent"), 40.0);
  EXPECT_EQ(connectivity.at("health"), "fair");  // isolated 1 is not < 0.5
  // Compliance 60 < 70 (medium, not < 50); critical 1 > 0.5; empty 1 is not > 1.5;
  // isolated 1 > 0.5.
  const auto& recs = body.at("recommendations").as_array();
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(to_text(recs[0]),
            R"({"category":"version","severity":"medium","message":"Only 60.0% of nodes are on the latest version",)"
            R"("action":"Encourage operators to upgrade to v0.8.0"})");
  EXPECT_EQ(recs[1].at("message"), "1 nodes at critical storage capacity (>90%)");
  EXPECT_EQ(recs[2].at("category"), "connectivity");
  EXPECT_JSON_INT(body.at("timestamp"), now);
}

TEST_F(NetworkRoutes, AnalyticsGrowthComesFromTheStoreForARestoredSnapshot) {
  with_store();
  // The stored snapshot completed as after a restart, growth measured from the store.
  auto loaded = store->load();
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  auto baseline = collect::read_growth_baseline(store.get(), (*loaded).snapshot->last_updated);
  EXPECT_TRUE(baseline.errors.empty());
  hub.publish(collect::complete_restored_snapshot(*loaded, {}, baseline));
  auto growth = get_json("/network/analytics").at("growth");
  // 24 h before cycle 2 the newest sample is cycle 1's (8 days older): 3 -> 5 nodes.
  EXPECT_EQ(growth.at("24_hours").at("available"), true);
  EXPECT_JSON_INT(growth.at("24_hours").at("nodes").at("start_count"), 3);
  EXPECT_JSON_INT(growth.at("24_hours").at("nodes").at("end_count"), 5);
  // 7 days before cycle 2 is still after cycle 1 (8 days before): the same comparison.
  EXPECT_EQ(growth.at("7_days").at("available"), true);
}

// ---- /all-nodes ----

TEST_F(NetworkRoutes, AllNodesWholeDataHasSummaryPerSeedNodesAndBothLists) {
  auto body = get_json("/all-nodes");
  EXPECT_EQ(keys_of(body),
            (std::vector<std::string>{"summary", "nodes", "merged_pnodes_raw", "merged_pnodes_unique"}));
  EXPECT_JSON_INT(body.at("summary").at("total_nodes"), 3);
  EXPECT_JSON_INT(body.at("summary").at("total_pnodes"), 5);
  EXPECT_JSON_INT(body.at("summary").at("total_pnodes_raw"), 11);
  EXPECT_EQ(keys_of(body.at("nodes")), (std::vector<std::string>{kS0, kS1, kS2}));
  const auto& s0 = body.at("nodes").at(kS0);
  EXPECT_EQ(keys_of(s0), (std::vector<std::string>{"metadata", "stats", "pods_total_count", "pods"}));
  EXPECT_JSON_INT(s0.at("metadata").at("total_bytes"), 123456);
  EXPECT_JSON_FLOAT(s0.at("stats").at("cpu_percent"), 12.5);
  EXPECT_JSON_INT(s0.at("pods_total_count"), 4);
  std::vector<std::string> listed;
  for (const auto& p : s0.at("pods").as_array()) listed.emplace_back(p.at("address").as_string());
  EXPECT_EQ(listed, (std::vector<std::string>{kA, kB, kC, kE}));
  EXPECT_EQ(s0.at("pods").at(0).at("source_ip"), kS0);
  EXPECT_JSON_INT(body.at("nodes").at(kS1).at("stats").at("cpu_percent"), 0);
  EXPECT_EQ(body.at("merged_pnodes_raw").as_array().size(), 11u);
  const auto& unique = body.at("merged_pnodes_unique").as_array();
  ASSERT_EQ(unique.size(), 5u);
  EXPECT_EQ(keys_of(unique[0]),
            (std::vector<std::string>{"address", "pubkey", "is_public", "rpc_port", "storage_committed", "storage_used",
                                      "storage_usage_percent", "uptime", "version", "last_seen", "last_seen_timestamp",
                                      "source_ip", "peer_sources"}));
  EXPECT_EQ(unique[0].at("peer_sources"), (json::array{kS0, kS1, kS2}));
  EXPECT_TRUE(unique[0].at("last_seen").is_null());  // get-pods-with-stats sends no readable time
}

// The collector's thread builds the /all-nodes bodies clients asked for before the next
// snapshot is published: the first request on it finds its body ready.
TEST_F(NetworkRoutes, PrepareBuildsTheAllNodesBodiesInDemandBeforeTheSnapshotIsServed) {
  get_json("/all-nodes");  // asked for on cycle 2: the whole form is in demand, the others not
  auto next = std::make_shared<model::Snapshot>(*network.cycle2.snapshot);
  next->cycle += 1;
  auto install = api->prepare(next);
  hub.publish(next);
  install();
  const auto& cache = api->route_state().all_nodes;
  auto prepared = cache[0].get(next, [](const model::Snapshot&) {
    ADD_FAILURE() << "built on request";
    return std::string();
  });
  EXPECT_FALSE(prepared->empty());
  EXPECT_FALSE(cache[1].in_demand());
  EXPECT_FALSE(cache[2].in_demand());
  EXPECT_EQ(get_json("/all-nodes").at("summary").at("total_pnodes"), 5);
}

// Uncached /pnodes pages join the snapshot's node fragments, each serialised the first
// time a page shows it: a page of two builds two, a page of every node builds the rest,
// and a new snapshot's page carries its own nodes' values, not the old snapshot's.
TEST_F(NetworkRoutes, NodeFragmentsAreBuiltForTheNodesPagesShowAndPerSnapshot) {
  auto fragments_of = [&](const std::shared_ptr<const model::Snapshot>& snapshot) {
    return api->route_state().node_fragments.get(snapshot, [](const model::Snapshot&) {
      ADD_FAILURE() << "no page built them";
      return NodeFragments();
    });
  };
  ASSERT_EQ(get_json("/pnodes?status=all&limit=2&skip=1").at("pnodes").as_array().size(), 2u);
  auto first = hub.current();
  EXPECT_EQ(fragments_of(first)->built(), 2u);
  EXPECT_EQ(get_json("/pnodes?status=all&limit=1000").at("pnodes").as_array().size(), first->views->nodes.size());
  EXPECT_EQ(fragments_of(first)->built(), first->views->nodes.size());

  // The next snapshot holds other nodes (cycle 1's three), so old fragments would show.
  auto next = std::make_shared<model::Snapshot>(*network.cycle1.snapshot);
  next->cycle = network.cycle2.snapshot->cycle + 1;
  hub.publish(next);
  const auto& views = *next->views;
  auto page = get_json("/pnodes?status=all&limit=1000");
  std::map<std::string, uint64_t> served, expected;
  for (const auto& item : page.at("pnodes").as_array())
    served[std::string(item.at("address").as_string())] = item.at("storage_used").to_number<uint64_t>();
  for (const auto& node : views.nodes) expected[node.address] = node.storage_used;
  EXPECT_EQ(served, expected);
  EXPECT_EQ(fragments_of(next)->built(), views.nodes.size());
}

TEST_F(NetworkRoutes, AllNodesRawAndUniqueForms) {
  auto raw = get_json("/all-nodes?version=raw");
  EXPECT_EQ(keys_of(raw), (std::vector<std::string>{"version", "nodes"}));
  EXPECT_EQ(raw.at("version"), "raw");
  EXPECT_EQ(raw.at("nodes").as_array().size(), 11u);
  auto unique = get_json("/all-nodes?version=unique");
  EXPECT_EQ(unique.at("version"), "unique");
  EXPECT_EQ(unique.at("nodes").as_array().size(), 5u);
  // Anything else is the whole data, as in the reference.
  EXPECT_EQ(keys_of(get_json("/all-nodes?version=other")).front(), "summary");
  EXPECT_EQ(get("/all-nodes?version=raw").body, get("/all-nodes?version=raw").body);  // cached per snapshot
}

}  // namespace
}  // namespace pnode::api
