// The prober end to end: the simulator's synthetic network with every public pod serving
// pRPC on its own loopback address (--serve-pods), the server probing them beside its
// cycles. A pod the simulator makes unreachable shows unreachable within one round (and
// down in its availability after two) while it stays online in gossip, and the pods never
// see more requests at once than the cap.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <thread>

#include "e2e_support.h"
#include "process.h"

namespace pnode::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

constexpr int kCap = 6;

class ProbeE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_test_dir("pnode-probe-e2e");
    Simulator sim = start_simulator({"--mode", "synthetic", "--pods", "600", "--seed", "7", "--serve-pods"}, 3,
                                    (dir_ / "sim.log").string());
    ASSERT_TRUE(sim.process);
    sim_ = std::move(sim.process);
    seed_ports_ = sim.seed_ports;
    server_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{PNODE_BINARY, "serve"},
        std::map<std::string, std::string>{{"IP_NODES", sim.ip_nodes},
                                           {"CACHE_TTL", "1"},
                                           {"PORT", "0"},
                                           {"PROBE_CONCURRENCY", std::to_string(kCap)},
                                           {"PROBE_TIMEOUT_MS", "3000"},
                                           {"DATABASE_URL", "sqlite://" + (dir_ / "probe.db").string()}},
        (dir_ / "server.log").string());
    auto port = wait_serving_port(*server_, 10s);
    ASSERT_TRUE(port) << "server did not start";
    port_ = *port;
  }

  void TearDown() override {
    server_.reset();
    sim_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  int64_t round() {
    auto probe = http_call(port_, "GET", "/network/probe");
    return probe.status == 200 && probe.json.at("round").is_int64() ? probe.json.at("round").as_int64() : 0;
  }

  // The node's JSON from the node list, null when it is not there.
  json::value node(const std::string& address) {
    auto list = http_call(port_, "GET", "/pnodes?status=all&limit=1000");
    if (list.status != 200) return nullptr;
    for (const auto& n : list.json.at("pnodes").as_array())
      if (n.at("address").as_string() == address) return n;
    return nullptr;
  }

  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> sim_, server_;
  std::vector<uint16_t> seed_ports_;
  uint16_t port_ = 0;
};

TEST_F(ProbeE2E, AnUnreachablePodShowsUnreachableWithinOneRoundWhileOnlineInGossip) {
  ASSERT_TRUE(wait_for([&] { return round() >= 1; }, 60s)) << "no probe round finished";
  // A public pod that answered.
  std::string address;
  auto list = http_call(port_, "GET", "/pnodes?status=all&limit=1000");
  ASSERT_EQ(list.status, 200);
  for (const auto& n : list.json.at("pnodes").as_array()) {
    const auto& o = n.as_object();
    if (o.contains("probe") && o.at("probe").is_object() && o.at("probe").at("reachable").as_bool()) {
      address = std::string(o.at("address").as_string());
      break;
    }
  }
  ASSERT_FALSE(address.empty()) << "no pod answered its probe";
  auto coverage = http_call(port_, "GET", "/network/probe");
  EXPECT_GT(coverage.json.at("answered").as_int64(), 100) << coverage.body;

  const std::string host = address.substr(0, address.rfind(':'));
  auto set = http_call(seed_ports_[0], "POST", "/sim/pods", R"({"address":")" + host + R"(","reachable":false})");
  ASSERT_EQ(set.status, 200) << set.body;
  // A round already under way may have probed it before; the next one starts after the change.
  const int64_t changed_in = round();
  ASSERT_TRUE(wait_for([&] { return round() >= changed_in + 2; }, 60s));
  json::value n = node(address);
  ASSERT_TRUE(n.is_object());
  EXPECT_TRUE(n.at("is_online").as_bool()) << "gossip still lists it";
  EXPECT_FALSE(n.at("probe").at("reachable").as_bool()) << json::serialize(n);
  EXPECT_EQ(n.at("probe").at("failure").as_string(), "protocol") << "the connection closed without an answer";
  // Two failed rounds in a row (AVAILABILITY_DOWN_AFTER): down, beside gossip's online.
  const json::value& availability = n.at("availability");
  EXPECT_EQ(availability.at("state").as_string(), "down") << json::serialize(n);
  EXPECT_TRUE(availability.at("down_since").is_int64()) << json::serialize(n);
  if (availability.at("uptime_24h").is_double()) EXPECT_LT(availability.at("uptime_24h").as_double(), 1.0);
  auto history = http_call(port_, "GET", "/pnodes/" + address + "/availability?hours=1");
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_GE(history.json.at("window").at("failures").at("protocol").as_int64(), 2) << history.body;
  EXPECT_GE(history.json.at("window").at("answered").as_int64(), 1) << history.body;
  auto bulk = http_call(port_, "GET", "/network/availability");
  ASSERT_EQ(bulk.status, 200);
  bool listed = false;
  for (const auto& row : bulk.json.at("nodes").as_array()) {
    if (row.at("address").as_string() != address) continue;
    listed = true;
    EXPECT_TRUE(row.at("in_gossip").as_bool());
    EXPECT_FALSE(row.at("reachable").as_bool());
    EXPECT_EQ(row.at("state").as_string(), "down");
  }
  EXPECT_TRUE(listed) << "the bulk route lists every probed pod";

  // Reachable again: answered again a round later.
  ASSERT_EQ(http_call(seed_ports_[0], "POST", "/sim/pods", R"({"address":")" + host + R"(","reachable":true})").status,
            200);
  const int64_t restored_in = round();
  ASSERT_TRUE(wait_for([&] { return round() >= restored_in + 2; }, 60s));
  json::value again = node(address);
  EXPECT_TRUE(again.at("probe").at("reachable").as_bool());
  EXPECT_EQ(again.at("availability").at("state").as_string(), "up") << "one answer opens an up session";

  // The cap, measured where it matters: at the pods.
  auto counters = http_call(seed_ports_[0], "GET", "/sim/pods");
  ASSERT_EQ(counters.status, 200);
  EXPECT_GT(counters.json.at("requests").as_int64(), 500) << counters.body;
  EXPECT_LE(counters.json.at("max_in_flight").as_int64(), kCap) << counters.body;
  EXPECT_GE(counters.json.at("max_in_flight").as_int64(), 2) << "probes run concurrently";
  EXPECT_EQ(counters.json.at("max_in_flight_per_pod").as_int64(), 1) << counters.body;
}

}  // namespace
}  // namespace pnode::testing
