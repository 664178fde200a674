// Pod credits end to end (issue 13, item 3): the simulator serves its pods' credits lists
// (frozen, `--credits-heartbeat 0`, so two reads agree), the server reads them as its
// credits sources, and every figure it serves must match what this test computes from the
// simulator's own lists: each network's 95th percentile (nearest rank), the 80 % threshold,
// how many qualify, and every node's credits, network and eligibility by its pubkey.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <thread>

#include "e2e_support.h"
#include "process.h"

namespace pnode::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

struct Expected {
  std::map<std::string, double> credits;  // by pubkey
  double percentile_value = 0, threshold = 0;
  size_t eligible = 0;
  size_t unusable = 0;  // rows whose pod_id is no pubkey (docs/limits.md): skipped
};

// A pubkey as docs/limits.md bounds it: 32 to 44 base58 characters.
bool is_pubkey(const std::string& s) {
  static const std::string kBase58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  return s.size() >= 32 && s.size() <= 44 && s.find_first_not_of(kBase58) == std::string::npos;
}

// The rule computed here from the raw list, independently of analysis/credits.cc.
Expected expected_of(const json::value& list) {
  Expected e;
  std::vector<double> values;
  for (const auto& row : list.at("pods_credits").as_array()) {
    const double c = row.at("credits").to_number<double>();
    const std::string id(row.at("pod_id").as_string());
    if (!is_pubkey(id)) {
      ++e.unusable;
      continue;
    }
    e.credits[id] = c;
    values.push_back(c);
  }
  if (values.empty()) return e;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<size_t>(std::ceil(0.95 * static_cast<double>(values.size())));
  e.percentile_value = values[std::max<size_t>(rank, 1) - 1];
  e.threshold = 0.8 * e.percentile_value;
  for (double c : values) e.eligible += c > 0 && c >= e.threshold;
  return e;
}

TEST(CreditsE2E, ServedCreditsAndEligibilityMatchTheSimulatorsOwnLists) {
  const auto dir = fresh_test_dir("pnode-credits-e2e");
  Simulator sim = start_simulator(
      {"--mode", "synthetic", "--pods", "120", "--seed", "11", "--credits-heartbeat", "0"}, 3,
      (dir / "sim.log").string());
  ASSERT_TRUE(sim.process);
  const std::string source = "http://127.0.0.1:" + std::to_string(sim.seed_ports.at(0)) + "/credits/";
  ChildProcess server({PNODE_BINARY, "serve"},
                      {{"IP_NODES", sim.ip_nodes},
                       {"CACHE_TTL", "1"},
                       {"PORT", "0"},
                       {"CREDITS_MAINNET_URL", source + "mainnet"},
                       {"CREDITS_DEVNET_URL", source + "devnet"},
                       {"DATABASE_URL", "sqlite://" + (dir / "server.db").string()}},
                      (dir / "server.log").string());
  const auto serving = wait_serving_port(server, 15s);
  ASSERT_TRUE(serving);
  const uint16_t port = *serving;
  ASSERT_TRUE(server.wait_for_line(std::regex(" cycle \\d+: .*store ok"), 15s));

  HttpAnswer network;
  for (int i = 0; i < 100; ++i) {
    network = http_call(port, "GET", "/network/credits");
    if (network.status == 200 && !network.json.at("devnet").at("fetched_at").is_null()) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(network.status, 200) << network.body;

  const Expected mainnet = expected_of(http_call(sim.seed_ports[1], "GET", "/credits/mainnet").json);
  const Expected devnet = expected_of(http_call(sim.seed_ports[1], "GET", "/credits/devnet").json);
  ASSERT_GT(mainnet.credits.size(), 50u);
  ASSERT_GT(devnet.credits.size(), 10u);
  for (const auto& [name, e] : {std::pair{"mainnet", &mainnet}, std::pair{"devnet", &devnet}}) {
    const auto& served = network.json.at(name);
    EXPECT_EQ(served.at("pods").as_int64(), static_cast<int64_t>(e->credits.size())) << name;
    EXPECT_DOUBLE_EQ(served.at("percentile_value").to_number<double>(), e->percentile_value) << name;
    EXPECT_DOUBLE_EQ(served.at("threshold").to_number<double>(), e->threshold) << name;
    EXPECT_EQ(served.at("eligible").as_int64(), static_cast<int64_t>(e->eligible)) << name;
    EXPECT_EQ(served.at("skipped_rows").as_int64(), static_cast<int64_t>(e->unusable)) << name;
    EXPECT_TRUE(served.at("error").is_null()) << name;
  }

  auto pnodes = http_call(port, "GET", "/pnodes?limit=1000");
  ASSERT_EQ(pnodes.status, 200);
  size_t checked = 0, eligible = 0;
  for (const auto& node : pnodes.json.at("pnodes").as_array()) {
    const std::string address(node.at("address").as_string());
    auto served = http_call(port, "GET", "/pnodes/" + address + "/credits");
    ASSERT_EQ(served.status, 200) << address;
    const std::string pubkey(served.json.at("pubkey").as_string());
    const bool on_mainnet = mainnet.credits.contains(pubkey), on_devnet = devnet.credits.contains(pubkey);
    EXPECT_EQ(served.json.at("listed").as_bool(), on_mainnet || on_devnet) << address;
    if (!on_mainnet && !on_devnet) continue;
    const Expected& e = on_mainnet ? mainnet : devnet;
    EXPECT_EQ(served.json.at("network"), on_mainnet ? "mainnet" : "devnet") << address;
    EXPECT_DOUBLE_EQ(served.json.at("credits").to_number<double>(), e.credits.at(pubkey)) << address;
    const bool should = e.credits.at(pubkey) > 0 && e.credits.at(pubkey) >= e.threshold;
    EXPECT_EQ(served.json.at("eligible").as_bool(), should) << address;
    ++checked;
    eligible += should;
    if (checked == 1) {  // the credits history holds what was served (the first poll writes every pubkey)
      HttpAnswer history;
      ASSERT_TRUE(wait_for([&] {
        history = http_call(port, "GET", "/pnodes/" + address + "/credits/history");
        return history.status == 200 && history.json.at("count").as_int64() >= 1;
      }, 10s)) << history.body;
      const auto& last = history.json.at("history").as_array().back();
      EXPECT_DOUBLE_EQ(last.at("credits").to_number<double>(), e.credits.at(pubkey)) << history.body;
      EXPECT_EQ(last.at("network"), on_mainnet ? "mainnet" : "devnet") << history.body;
    }
  }
  EXPECT_GT(checked, 100u) << "most simulated nodes are on a list";
  EXPECT_GT(eligible, 0u);
  EXPECT_LT(eligible, checked) << "the rule separates";
  server.kill();
  sim.process.reset();
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pnode::testing
