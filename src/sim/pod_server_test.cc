// The simulated pods over real sockets: each public pod on its own loopback address,
// private ones refused, runtime reachability, and the in-flight counters.
#include "sim/pod_server.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "http/client.h"
#include "sim/simulator.h"
#include "util/loopback.h"

namespace pnode::sim {
namespace {

namespace json = boost::json;

SimOptions pod_network(size_t pods, bool behaviours) {
  SimOptions o;
  o.mode = SimMode::kSynthetic;
  o.pods = pods;
  o.seeds = 2;
  o.base_port = 0;
  o.serve_pods = true;
  o.pod_behaviours = behaviours;
  o.rng_seed = 7;
  return o;
}

http::ClientRequest rpc_to(const std::string& host, int64_t port, std::string_view method) {
  http::ClientRequest r;
  r.host = host;
  r.port = static_cast<uint16_t>(port);
  r.target = "/rpc";
  r.body = std::string(R"({"jsonrpc":"2.0","method":")") + std::string(method) + R"(","id":1})";
  r.connect_timeout = std::chrono::milliseconds(2000);
  r.total_timeout = std::chrono::milliseconds(4000);
  return r;
}

std::string host_of(const prpc::Pod& pod) { return pod.address.substr(0, pod.address.rfind(':')); }

TEST(PodBehaviour, IsDeterministicAndMostlyFast) {
  size_t slow = 0, flapping = 0;
  for (uint32_t node = 0; node < 10000; ++node) {
    PodBehaviour b = pod_behaviour(3, node);
    EXPECT_EQ(b.latency, pod_behaviour(3, node).latency);
    EXPECT_LE(b.failure_rate, 0.02);
    if (b.slow) {
      ++slow;
      EXPECT_GE(b.latency.count(), 200);
    } else {
      EXPECT_LE(b.latency.count(), 20);
    }
    flapping += b.flapping;
  }
  EXPECT_GT(slow, 100u);
  EXPECT_LT(slow, 300u);
  EXPECT_GT(flapping, 200u);
  EXPECT_LT(flapping, 400u);
}

TEST(PodBehaviour, FlappingPodsAreDownAQuarterOfTheTime) {
  int down = 0;
  for (int64_t t = 0; t < kFlapPeriodSeconds; ++t) down += flap_down(1, 42, t);
  EXPECT_EQ(down, kFlapDownSeconds);
}

TEST(PodServer, EveryPublicPodAnswersOnItsOwnAddressAndPrivateOnesRefuse) {
  auto sim = Simulator::create(pod_network(300, false));
  ASSERT_TRUE(sim) << sim.error().message;
  ASSERT_TRUE((*sim)->start());
  http::Client client;
  size_t public_pods = 0, private_pods = 0;
  for (const prpc::Pod& pod : (*sim)->network_pods()) {
    ASSERT_TRUE(is_loopback_host(host_of(pod)));
    auto version = client.send(rpc_to(host_of(pod), *pod.rpc_port, "get-version")).get();
    if (pod.is_public == true) {
      ++public_pods;
      ASSERT_TRUE(version) << pod.address << ": " << version.error().message;
      EXPECT_EQ(json::parse(version->body).at("result").at("version").as_string(), *pod.version);
    } else if (private_pods++ < 20) {
      ASSERT_FALSE(version);
      EXPECT_TRUE(version.error().is(ErrorCode::kRefused)) << version.error().message;
    }
  }
  EXPECT_GT(public_pods, 50u);
  auto probes = (*sim)->pod_probes();
  ASSERT_TRUE(probes);
  EXPECT_EQ(probes->requests, public_pods);
}

TEST(PodServer, AnswersStatsAndASampleOfPeers) {
  auto sim = Simulator::create(pod_network(300, false));
  ASSERT_TRUE(sim && (*sim)->start());
  http::Client client;
  prpc::Pod pod = (*sim)->network_pods().front();
  for (const auto& p : (*sim)->network_pods())
    if (p.is_public == true) pod = p;
  auto stats = client.send(rpc_to(host_of(pod), *pod.rpc_port, "get-stats")).get();
  ASSERT_TRUE(stats);
  EXPECT_TRUE(json::parse(stats->body).at("result").as_object().contains("cpu_percent"));
  auto pods = client.send(rpc_to(host_of(pod), *pod.rpc_port, "get-pods-with-stats")).get();
  ASSERT_TRUE(pods);
  const json::value answer = json::parse(pods->body);
  const auto& rows = answer.at("result").at("pods").as_array();
  EXPECT_GT(rows.size(), 5u);
  EXPECT_LE(rows.size(), 16u);
  for (const auto& row : rows) EXPECT_NE(row.at("address").as_string(), pod.address);  // never itself
}

TEST(PodServer, APodMadeUnreachableDropsConnectionsUntilMadeReachable) {
  auto sim = Simulator::create(pod_network(300, false));
  ASSERT_TRUE(sim && (*sim)->start());
  http::Client client;
  prpc::Pod pod;
  for (const auto& p : (*sim)->network_pods())
    if (p.is_public == true) pod = p;
  ASSERT_TRUE((*sim)->set_pod_reachable(pod.address, false));
  EXPECT_FALSE(client.send(rpc_to(host_of(pod), *pod.rpc_port, "get-version")).get());
  ASSERT_TRUE((*sim)->set_pod_reachable(host_of(pod), true));
  EXPECT_TRUE(client.send(rpc_to(host_of(pod), *pod.rpc_port, "get-version")).get());
  EXPECT_FALSE((*sim)->set_pod_reachable("127.0.0.99", false));  // no such pod

  // The same over the control endpoint on a seed port.
  http::ClientRequest control;
  control.host = "127.0.0.1";
  control.port = (*sim)->seeds()[0].port;
  control.target = "/sim/pods";
  control.body = R"({"address":")" + host_of(pod) + R"(","reachable":false})";
  auto set = client.send(control).get();
  ASSERT_TRUE(set);
  EXPECT_EQ(set->status, 200);
  EXPECT_FALSE(client.send(rpc_to(host_of(pod), *pod.rpc_port, "get-version")).get());
}

TEST(PodServer, CountsRequestsInFlightIncludingTheirDelays) {
  auto sim = Simulator::create(pod_network(1000, true));
  ASSERT_TRUE(sim && (*sim)->start());
  http::Client client(2);
  std::vector<prpc::Pod> slow;
  for (const auto& p : (*sim)->network_pods()) {
    if (p.is_public != true) continue;
    auto node = static_cast<uint32_t>(*parse_ipv4(host_of(p)) - 0x7F010001u);
    PodBehaviour b = pod_behaviour(7, node);
    if (!b.flapping && b.failure_rate < 0.005 && b.latency.count() >= 3) slow.push_back(p);
  }
  ASSERT_GE(slow.size(), 6u);
  slow.resize(6);
  std::vector<std::future<Result<http::ClientResponse>>> pending;
  for (const auto& p : slow) pending.push_back(client.send(rpc_to(host_of(p), *p.rpc_port, "get-version")));
  for (const auto& p : slow) pending.push_back(client.send(rpc_to(host_of(p), *p.rpc_port, "get-version")));
  for (auto& f : pending) f.get();
  auto probes = (*sim)->pod_probes();
  ASSERT_TRUE(probes);
  EXPECT_EQ(probes->requests, 12u);
  EXPECT_GE(probes->max_in_flight, 6u);  // all sent at once, each delayed >= 3 ms
  EXPECT_LE(probes->max_in_flight, 12u);
  EXPECT_EQ(probes->max_in_flight_per_pod, 2u);
  // The server lets go of an answer just after the client has it.
  for (int i = 0; i < 100 && (*sim)->pod_probes()->in_flight > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ((*sim)->pod_probes()->in_flight, 0u);
}

}  // namespace
}  // namespace pnode::sim
