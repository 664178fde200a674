// End to end, as a user runs it: the simulator replaying a recorded capture on loopback,
// the server polling it, and HTTP requests against the server. Every test runs on SQLite
// and on PostgreSQL (a database per test on the binary's throwaway cluster); the tests of
// several instances sharing a database run on PostgreSQL only (SQLite has no lease).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <thread>

#include "e2e_support.h"
#include "process.h"

namespace pnode::testing {
namespace {

using namespace std::chrono_literals;

const char* kCapture = "get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json";

// The instance's role as /health says it ("leader", "follower"), empty when it says none.
std::string role(uint16_t port) {
  auto h = http_call(port, "GET", "/health");
  return h.status == 200 && h.json.as_object().contains("role") ? std::string(h.json.at("role").as_string())
                                                                 : std::string();
}

class PipelineE2E : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = fresh_test_dir("pnode-e2e");
    Simulator sim = start_simulator({"--capture", fixture(kCapture), "--seed", "7"}, 9, (dir_ / "sim.log").string());
    ASSERT_TRUE(sim.process);
    sim_ = std::move(sim.process);
    seed_ports_ = std::move(sim.seed_ports);
    ip_nodes_ = std::move(sim.ip_nodes);
    if (auto url = fresh_database_url(GetParam(), dir_)) database_url_ = *url;
  }

  void TearDown() override {
    server_.reset();
    first_.reset();
    sim_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  void start_server(int rpc_timeout_ms = 1500) {
    server_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{PNODE_BINARY, "serve"},
        std::map<std::string, std::string>{{"IP_NODES", ip_nodes_},
                                           {"CACHE_TTL", "1"},
                                           {"PORT", "0"},
                                           {"RPC_TIMEOUT_MS", std::to_string(rpc_timeout_ms)},
                                           {"RPC_CONNECT_TIMEOUT_MS", "1000"},
                                           {"DATABASE_URL", database_url_}},
        (dir_ / ("server-" + std::to_string(++server_starts_) + ".log")).string());
    auto m = server_->wait_for_line(std::regex("serving http://127\\.0\\.0\\.1:(\\d+)"), 10s);
    ASSERT_TRUE(m) << "server did not start";
    port_ = static_cast<uint16_t>(std::stoi((*m)[1]));
  }

  // A second instance on the same database once the first has written a cycle: the
  // first one's process and port are moved to `first_` and `first_port_`.
  void start_second_server() {
    ASSERT_FALSE(wait_next_cycle().empty()) << "the first instance wrote no cycle";
    first_ = std::move(server_);
    first_port_ = port_;
    start_server();
  }

  // Waits for the next cycle line logged after the current end of the server log.
  std::string wait_next_cycle() {
    size_t seen = server_->lines().size();
    auto m = server_->wait_for_line(std::regex("cycle \\d+: .*"), 15s, seen);
    return m ? m->str() : "";
  }

  void set_fault(int seed, const std::string& fault) {
    auto r = http_call(seed_ports_[0], "POST", "/sim/faults",
                       "{\"seed\":" + std::to_string(seed) + ",\"fault\":\"" + fault + "\"}");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  std::set<std::string> listed_addresses(const std::string& status) {
    auto r = http_call(port_, "GET", "/pnodes?status=" + status + "&limit=1000");
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> out;
    if (r.status != 200) return out;
    for (const auto& n : r.json.at("pnodes").as_array()) out.insert(std::string(n.at("address").as_string()));
    EXPECT_EQ(out.size(), r.json.at("pnodes").as_array().size()) << "an address is listed twice";
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> sim_, server_, first_;
  std::vector<uint16_t> seed_ports_;
  std::string ip_nodes_;
  std::string database_url_;
  uint16_t port_ = 0, first_port_ = 0;
  int server_starts_ = 0;
};

TEST_P(PipelineE2E, ReplayedCaptureIsServedExactlyAndHealthyWithinTwoCycles) {
  start_server();
  auto before = http_call(port_, "GET", "/health");
  EXPECT_TRUE(before.status == 503 || before.status == 200);
  wait_next_cycle();
  wait_next_cycle();
  auto health = http_call(port_, "GET", "/health");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.json.at("status").as_string(), "healthy");
  EXPECT_EQ(health.json.at("total_ip_nodes").as_int64(), 9);

  std::set<std::string> expected = expected_loopback_addresses(fixture(kCapture));
  ASSERT_EQ(expected.size(), 204u);
  EXPECT_EQ(listed_addresses("all"), expected);
  EXPECT_EQ(listed_addresses("online"), expected);
  for (const auto& a : expected) EXPECT_EQ(a.rfind("127.", 0), 0u) << a;
}

TEST_P(PipelineE2E, AFaultySeedChangesOnlyThatSeedsOutcome) {
  start_server();
  wait_next_cycle();
  std::set<std::string> expected = expected_loopback_addresses(fixture(kCapture));
  ASSERT_EQ(listed_addresses("online"), expected);
  std::string faulty = "127.0.0.1:" + std::to_string(seed_ports_[3]);
  for (const std::string fault : {"hang", "http500", "garbage"}) {
    set_fault(3, fault);
    wait_next_cycle();  // may have started before the fault
    std::string line = wait_next_cycle();
    ASSERT_FALSE(line.empty()) << "no cycle finished with seed 3 " << fault;
    EXPECT_NE(line.find("seeds 8/9 ok"), std::string::npos) << fault << ": " << line;
    EXPECT_EQ(line.find(faulty + " ok"), std::string::npos) << fault << ": " << line;
    for (size_t i = 0; i < seed_ports_.size(); ++i) {
      if (i == 3) continue;
      EXPECT_NE(line.find("127.0.0.1:" + std::to_string(seed_ports_[i]) + " ok"), std::string::npos)
          << fault << ": seed " << i << " in " << line;
    }
    EXPECT_EQ(listed_addresses("online"), expected) << fault;
    auto health = http_call(port_, "GET", "/health");
    EXPECT_EQ(health.status, 200);
    set_fault(3, "none");
  }
}

// A server killed without warning comes back serving what the store holds before any
// seed answers: the snapshot, and the history of the cycles written.
TEST_P(PipelineE2E, RestartServesTheStoredSnapshotAndHistoryBeforeTheNextCycle) {
  start_server();
  wait_next_cycle();
  wait_next_cycle();
  std::set<std::string> online = listed_addresses("online");
  ASSERT_EQ(online.size(), 204u);
  // Make every seed hang, then kill the server without warning and start it again with a
  // long RPC timeout: whatever it serves in the next seconds comes from the store.
  for (int i = 0; i < 9; ++i) set_fault(i, "hang");
  server_->kill();
  start_server(/*rpc_timeout_ms=*/8000);
  EXPECT_EQ(listed_addresses("online"), online);
  EXPECT_EQ(listed_addresses("all"), online);
  auto health = http_call(port_, "GET", "/health");
  EXPECT_EQ(health.status, 200) << health.body;
  auto history = http_call(port_, "GET", "/node/" + *online.begin() + "/history");
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_GE(history.json.at("availability").at("online_snapshots").as_int64(), 2) << history.body;
}

// The tests of several instances sharing one database: PostgreSQL only (a database
// server stopped mid-run: disk_full_test.cc).
class PostgresPipelineE2E : public PipelineE2E {};

// Two instances on one PostgreSQL database: one collects, the other follows and serves the
// same cycles; when the leader is killed without warning, the follower takes the lease over
// within the lease (15 s) plus one renewal period (5 s) and collects.
TEST_P(PostgresPipelineE2E, OneInstanceCollectsAndAnotherTakesOverWhenItDies) {
  start_server();
  start_second_server();
  const uint16_t first_port = first_port_, second_port = port_;
  EXPECT_EQ(role(first_port), "leader");
  EXPECT_EQ(role(second_port), "follower");
  // The follower serves the leader's cycles without polling a seed.
  auto cycle_of = [](uint16_t port) {
    auto h = http_call(port, "GET", "/health");
    return h.status == 200 ? h.json.at("last_updated").as_int64() : int64_t{0};
  };
  EXPECT_TRUE(wait_for([&] { return cycle_of(second_port) >= cycle_of(first_port) && cycle_of(first_port) > 0; }, 5s));
  const auto follower_log = server_->lines();
  EXPECT_TRUE(std::none_of(follower_log.begin(), follower_log.end(),
                           [](const std::string& line) { return line.find("seeds 9/9 ok") != std::string::npos; }))
      << "the follower polled the seeds";

  first_->kill();
  const auto killed = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_for([&] { return role(second_port) == "leader"; }, 30s)) << "no takeover";
  EXPECT_LT(std::chrono::steady_clock::now() - killed, 21s) << "takeover within lease + one renewal";
  EXPECT_FALSE(wait_next_cycle().empty()) << "the new leader collects";
}

// Every seed down (the monitoring host lost its network) for three cycles: the last
// online set stays served, /health says degraded and why, and no node is recorded offline;
// when the seeds come back the next retry brings the service back to healthy.
TEST_P(PipelineE2E, AllSeedsDownForThreeCyclesKeepsTheLastOnlineSetAndSaysDegraded) {
  start_server();
  wait_next_cycle();
  const std::set<std::string> online = listed_addresses("online");
  ASSERT_EQ(online.size(), 204u);
  const std::string some_node = *online.begin();
  for (int i = 0; i < 9; ++i) set_fault(i, "http500");
  wait_next_cycle();  // may have started before the faults
  for (int i = 0; i < 3; ++i) {
    std::string line = wait_next_cycle();
    EXPECT_NE(line.find("inconclusive: 0 of 9 seeds answered"), std::string::npos) << line;
  }
  EXPECT_EQ(listed_addresses("online"), online);
  EXPECT_TRUE(listed_addresses("offline").empty());
  auto health = http_call(port_, "GET", "/health");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.json.at("status").as_string(), "degraded");
  EXPECT_NE(std::string(health.json.at("message").as_string()).find("0 of 9 seeds answered"), std::string::npos)
      << health.body;
  auto history = http_call(port_, "GET", "/node/" + some_node + "/history");
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(history.json.at("availability").at("offline_snapshots").as_int64(), 0) << history.body;

  for (int i = 0; i < 9; ++i) set_fault(i, "none");
  std::string recovered;
  for (int i = 0; i < 3 && recovered.find("seeds 9/9 ok") == std::string::npos; ++i) recovered = wait_next_cycle();
  EXPECT_NE(recovered.find("seeds 9/9 ok"), std::string::npos) << recovered;
  EXPECT_EQ(http_call(port_, "GET", "/health").json.at("status").as_string(), "healthy");
}

// SIGTERM while every seed hangs: the pRPC calls in flight are cancelled and the process
// exits at once, not after the calls' timeouts.
TEST_P(PipelineE2E, ShutdownIsPromptWhileEverySeedHangs) {
  start_server(/*rpc_timeout_ms=*/30000);
  wait_next_cycle();
  for (int i = 0; i < 9; ++i) set_fault(i, "hang");
  std::this_thread::sleep_for(2500ms);  // the next cycles start and wait on the seeds
  const auto asked = std::chrono::steady_clock::now();
  server_->terminate();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 5s) << "waited for the 30 s pRPC timeout";
}

PNODE_STORE_BACKENDS(PipelineE2E);
INSTANTIATE_TEST_SUITE_P(Backends, PostgresPipelineE2E, ::testing::Values(Backend::kPostgres),
                         store::testing_support::backend_name);

}  // namespace
}  // namespace pnode::testing
