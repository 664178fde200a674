// The server against a hostile seed, end to end: each attack the adversarial run of issue
// 10 found, reproduced against the real binary, with the bound that now holds. The seed is
// a loopback HTTP server in this process whose answers the test chooses per attack; the
// server polls it every second. Each test states its ceiling; each runs on SQLite and on
// PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <limits>
#include <mutex>
#include <thread>

#include "e2e_support.h"
#include "fault_e2e_support.h"
#include "http/server.h"
#include "process.h"

namespace pnode::testing {
namespace {

using namespace std::chrono_literals;

// What the hostile seed serves as its get-pods-with-stats result (the inside of "pods").
constexpr std::chrono::milliseconds kHealthCeiling{400};

using PodsWriter = std::function<std::string(int call)>;

class HostileSeed {
 public:
  explicit HostileSeed(PodsWriter pods)
      : pods_(std::move(pods)), server_(http::ServerOptions{}, [this](const http::Request& r) { return answer(r); }) {
    port_ = server_.start().value()[0];
  }
  uint16_t port() const { return port_; }

 private:
  http::Response answer(const http::Request& r) {
    std::string result;
    if (r.body.find("get-pods") != std::string::npos) {
      result = R"({"pods":[)" + pods_(calls_++) + "]}";
    } else if (r.body.find("get-version") != std::string::npos) {
      result = R"({"version":"0.8.0"})";
    } else {
      result = R"({"cpu_percent":1.5,"uptime":100,"ram_total":100,"ram_used":50})";
    }
    return http::Response::json(200, R"({"jsonrpc":"2.0","id":1,"error":null,"result":)" + result + "}");
  }

  PodsWriter pods_;
  std::atomic<int> calls_{0};
  http::Server server_;
  uint16_t port_ = 0;
};

std::string pod_json(const std::string& address, const std::string& pubkey, const std::string& extra = "") {
  return R"({"address":")" + address + R"(","pubkey":")" + pubkey +
         R"(","is_public":true,"rpc_port":6000,"last_seen_timestamp":1900000000,"storage_committed":1000000000,)"
         R"("storage_used":1000,"storage_usage_percent":0.0001,"uptime":3600,"version":"0.8.0")" +
         extra + "}";
}

class HostileSeedE2E : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = fresh_test_dir("pnode-hostile");
    if (auto url = fresh_database_url(GetParam(), dir_)) database_url_ = *url;
  }
  void TearDown() override {
    server_.reset();
    seed_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  void start(PodsWriter pods, std::map<std::string, std::string> extra_env = {}) {
    seed_ = std::make_unique<HostileSeed>(std::move(pods));
    std::map<std::string, std::string> env{{"IP_NODES", "127.0.0.1:" + std::to_string(seed_->port())},
                                           {"CACHE_TTL", "1"},
                                           {"PORT", "0"},
                                           {"DATABASE_URL", database_url_}};
    for (auto& [k, v] : extra_env) env[k] = v;
    server_ = std::make_unique<ChildProcess>(std::vector<std::string>{PNODE_BINARY, "serve"}, env,
                                             (dir_ / "server.log").string());
    auto m = server_->wait_for_line(std::regex("serving http://127\\.0\\.0\\.1:(\\d+)"), 10s);
    ASSERT_TRUE(m) << "server did not start";
    port_ = static_cast<uint16_t>(std::stoi((*m)[1]));
  }

  // What the database holds on disk: the SQLite file, or every table of ours on
  // PostgreSQL with its indexes and TOAST (an empty database's catalog not counted).
  int64_t database_bytes() const {
    if (GetParam() == Backend::kSqlite)
      return static_cast<int64_t>(std::filesystem::file_size(database_url_.substr(std::string("sqlite://").size())));
    return db_int(database_url_,
                  "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n "
                  "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'");
  }

  // Waits for `n` more cycle lines, probing /health every 20 ms meanwhile; returns the
  // slowest /health answer seen. /health answers 503 only until the first snapshot.
  // The slowest /health answer while `n` cycles run. A /health that waited for the cycle
  // would take the cycle's seconds; one merely scheduled late on two busy cores takes a
  // little over 100 ms (measured: 120 ms beside two CPU hogs), hence kHealthCeiling.
  std::chrono::milliseconds run_cycles(int n) {
    std::chrono::milliseconds slowest{0};
    bool served = false;
    size_t seen = server_->lines().size();
    for (int i = 0; i < n; ++i) {
      auto deadline = std::chrono::steady_clock::now() + 30s;
      while (std::chrono::steady_clock::now() < deadline) {
        auto asked = std::chrono::steady_clock::now();
        auto health = http_call(port_, "GET", "/health");
        auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - asked);
        if (served || health.status != 503) EXPECT_EQ(health.status, 200) << health.body;
        served |= health.status == 200;
        slowest = std::max(slowest, took);
        if (server_->wait_for_line(std::regex("cycle \\d+: .*"), 20ms, seen)) break;
      }
      seen = server_->lines().size();
    }
    return slowest;
  }

  std::filesystem::path dir_;
  std::string database_url_;
  std::unique_ptr<HostileSeed> seed_;
  std::unique_ptr<ChildProcess> server_;
  uint16_t port_ = 0;
};

// 60 pods with a 1 MiB version each: the version is refused (charset and length), so
// neither memory nor the database nor /network/history grows with it.
TEST_P(HostileSeedE2E, HugeVersionStringsAreRefusedAndCostNothing) {
  const std::string huge(1 << 20, 'v');
  // By value: the seed answers polls until TearDown, after this body's locals are gone (a
  // poll in flight then read a destroyed `huge`: the test process crashed under load).
  start([huge](int) {
    std::string pods;
    for (int i = 0; i < 60; ++i)
      pods += (i ? "," : "") + pod_json("127.3.0." + std::to_string(i + 1) + ":9001", "Pk" + std::to_string(i),
                                        R"(,"version":")" + huge + R"(")");
    return pods;
  });
  auto slowest = run_cycles(4);
  EXPECT_LT(slowest, kHealthCeiling) << "/health must not wait for the cycle";
  EXPECT_LT(server_->resident_bytes(), 200ll << 20) << "ceiling 200 MB (was 1.46 GB)";
  const int64_t stored = database_bytes();
  EXPECT_GT(stored, 0) << "nothing measured";
  EXPECT_LT(stored, 8 << 20) << "ceiling 8 MB after 4 cycles (was +500 MB)";
  auto history = http_call(port_, "GET", "/network/history?hours=1");
  ASSERT_EQ(history.status, 200);
  EXPECT_LT(history.body.size(), 64u << 10) << "ceiling 64 KB (was 252 MB)";
  auto pnodes = http_call(port_, "GET", "/pnodes?limit=100");
  ASSERT_EQ(pnodes.status, 200);
  EXPECT_EQ(pnodes.body.find(huge.substr(0, 1000)), std::string::npos);
}

// A seed announcing 20,000 fresh pods every cycle: the registry stops at its cap and the
// process stays below its ceiling.
TEST_P(HostileSeedE2E, AFloodOfFreshPodsStopsAtTheRegistryCap) {
  start(
      [](int call) {
        std::string pods;
        pods.reserve(20000 * 260);
        for (int i = 0; i < 20000; ++i) {
          const int n = call * 20000 + i;
          pods += (i ? "," : "") + pod_json("127." + std::to_string(10 + n / 65536) + "." + std::to_string(n / 256 % 256) +
                                                "." + std::to_string(n % 256) + ":9001",
                                            "Flood" + std::to_string(n));
        }
        return pods;
      },
      {{"REGISTRY_MAX_NODES", "3000"}, {"NEW_NODES_PER_SEED", "800"}});
  EXPECT_LT(run_cycles(6), kHealthCeiling) << "/health must not wait for the cycle";
  auto metrics = http_call(port_, "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  auto at = metrics.body.find("\npnode_registry_nodes ");
  ASSERT_NE(at, std::string::npos) << metrics.body.substr(0, 2000);
  const long registry = std::stol(metrics.body.substr(at + 22));
  EXPECT_LE(registry, 3000) << "the registry cap";
  EXPECT_GE(registry, 2400) << "admission still lets nodes in";
  // Measured on 2026-12-06: 320-490 MB while every listed public pod was probed, 188-261
  // MB once only admitted ones are (two runs per backend each).
  EXPECT_LT(server_->resident_bytes(), 400ll << 20) << "ceiling 400 MB (was 3.1 GB at 100k pods a cycle)";
}

// Numbers a node cannot have: negative, NaN-like, overflowing, absurd. None is served as
// such: usage stays within 0-100, storage sums do not wrap, first_seen is never negative.
TEST_P(HostileSeedE2E, ImpossibleNumbersAreNeverServed) {
  start([](int) {
    const std::string max = std::to_string(std::numeric_limits<uint64_t>::max());
    return pod_json("127.4.0.1:9001", "Num1", R"(,"storage_committed":)" + max + R"(,"storage_usage_percent":-50)") +
           "," + pod_json("127.4.0.2:9001", "Num2", R"(,"storage_committed":)" + max + R"(,"storage_usage_percent":1.8e308)") +
           "," + pod_json("127.4.0.3:9001", "Num3", R"(,"uptime":18000000000000000000,"last_seen_timestamp":-1)");
  });
  run_cycles(2);
  auto pnodes = http_call(port_, "GET", "/pnodes?limit=10");
  ASSERT_EQ(pnodes.status, 200) << pnodes.body;
  for (const auto& node : pnodes.json.at("pnodes").as_array()) {
    const double usage = node.at("storage_usage_percent").to_number<double>();
    EXPECT_GE(usage, 0.0) << node;
    EXPECT_LE(usage, 100.0) << node;
    if (node.as_object().contains("first_seen") && node.at("first_seen").is_int64())
      EXPECT_GE(node.at("first_seen").as_int64(), 0) << node;
  }
  // A wrapped sum would be smaller than one of its terms.
  uint64_t largest = 0;
  for (const auto& node : pnodes.json.at("pnodes").as_array())
    largest = std::max(largest, node.at("storage_committed").to_number<uint64_t>());
  const auto& stats = pnodes.json.at("network_stats");
  EXPECT_GE(stats.at("total_storage_committed").to_number<uint64_t>(), largest) << stats;
  auto graveyard = http_call(port_, "GET", "/graveyard?days=1");
  ASSERT_EQ(graveyard.status, 200);
  EXPECT_EQ(graveyard.body.find("127.4.0."), std::string::npos) << "online nodes are never in the graveyard";
}

PNODE_STORE_BACKENDS(HostileSeedE2E);

}  // namespace
}  // namespace pnode::testing
