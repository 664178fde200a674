// The prober's results through the API: each node's `probe` object beside its gossip
// fields, and GET /network/probe's coverage.
#include <gtest/gtest.h>

#include "api/probe_json.h"
#include "api/route_test_support.h"
#include "api/routes.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

class ProbeRoutes : public RoutesTest {
 protected:
  // The test network's snapshot with a probe round: A answered, B timed out.
  void publish_with_probe() {
    auto round = std::make_shared<model::ProbeRound>();
    round->round = 4;
    round->public_pods = 3;
    model::PodProbe a;
    a.address = kA;
    a.endpoint = "10.0.0.1:6000";
    a.reachable = true;
    a.connect_ms = 1.5;
    a.total_ms = 12.25;
    a.version = "0.8.0";
    a.stats = model::NodeStats{};
    a.stats->cpu_percent = 3.5;
    a.stats->active_streams = 2;
    a.pods_listed = 7;
    model::PodProbe b;
    b.address = kB;
    b.endpoint = "10.0.0.2:6000";
    b.failure = "timeout";
    b.detail = "10.0.0.2:6000: timed out";
    model::PodProbe c = b;
    c.address = kC;
    c.failure = "denied";
    round->results = {a, b, c};
    round->probed = 2;
    round->answered = 1;
    round->denied = 1;
    round->reindex();
    auto snapshot = std::make_shared<model::Snapshot>(*network.cycle2.snapshot);
    snapshot->probe = round;
    hub.publish(snapshot);
  }

  json::object node_of(const json::value& body, const char* address) {
    for (const auto& n : body.at("pnodes").as_array())
      if (n.at("address") == address) return n.as_object();
    ADD_FAILURE() << "no node " << address;
    return {};
  }
};

TEST_F(ProbeRoutes, WithoutAProbeRoundNodesHaveNoProbeKey) {
  auto body = get_json("/pnodes?status=all&limit=10");
  for (const auto& n : body.at("pnodes").as_array()) EXPECT_FALSE(n.as_object().contains("probe"));
  auto probe = get_json("/network/probe");
  EXPECT_EQ(probe.at("coverage"), "no probe round has finished yet");
  EXPECT_TRUE(probe.at("round").is_null());
}

TEST_F(ProbeRoutes, EachNodeCarriesItsProbeBesideItsGossipStatus) {
  publish_with_probe();
  auto body = get_json("/pnodes?status=all&limit=10");
  auto a = node_of(body, kA);
  EXPECT_EQ(a.at("is_online"), true);  // gossip, unchanged
  const auto& pa = a.at("probe");
  EXPECT_EQ(pa.at("reachable"), true);
  EXPECT_TRUE(pa.at("failure").is_null());
  EXPECT_EQ(pa.at("endpoint"), "10.0.0.1:6000");
  EXPECT_JSON_FLOAT(pa.at("connect_ms"), 1.5);
  EXPECT_JSON_FLOAT(pa.at("total_ms"), 12.25);
  EXPECT_JSON_FLOAT(pa.at("stats").at("cpu_percent"), 3.5);
  EXPECT_EQ(pa.at("stats").at("active_streams"), 2);
  EXPECT_TRUE(pa.at("stats").at("ram_used").is_null());
  EXPECT_EQ(pa.at("pods_listed"), 7);
  EXPECT_EQ(pa.at("round"), 4);

  auto b = node_of(body, kB);
  EXPECT_EQ(b.at("is_online"), true);  // online in gossip, yet it did not answer
  EXPECT_EQ(b.at("probe").at("reachable"), false);
  EXPECT_EQ(b.at("probe").at("failure"), "timeout");
  EXPECT_TRUE(b.at("probe").at("stats").is_null());
  EXPECT_TRUE(node_of(body, kD).at("probe").is_null());  // not probed this round
}

TEST_F(ProbeRoutes, NetworkProbeSaysTheCoverageAndTheFailuresByKind) {
  publish_with_probe();
  auto body = get_json("/network/probe");
  EXPECT_EQ(body.at("coverage"), "probed 2 of 3 public pods, 1 answered");
  EXPECT_EQ(body.at("round"), 4);
  EXPECT_EQ(body.at("public_pods"), 3);
  EXPECT_EQ(body.at("probed"), 2);
  EXPECT_EQ(body.at("answered"), 1);
  EXPECT_EQ(body.at("unreachable"), 1);
  EXPECT_EQ(body.at("denied"), 1);
  EXPECT_EQ(body.at("failures").at("timeout"), 1);
  EXPECT_EQ(body.at("failures").at("denied"), 1);
  EXPECT_EQ(body.at("timestamp"), now);
}

}  // namespace
}  // namespace pnode::api
