// The simulator's pod-credits sources: every pubkey on exactly one list, credits that move
// with heartbeats, and the routes on a seed's port.
#include "sim/credits_feed.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>

#include "sim/sim_test_util.h"
#include "sim/simulator.h"

namespace pnode::sim {
namespace {

namespace json = boost::json;

std::vector<prpc::Pod> pods_with_keys(int count) {
  std::vector<prpc::Pod> pods;
  for (int i = 0; i < count; ++i) {
    prpc::Pod p;
    p.address = "127.1.0." + std::to_string(i % 250 + 1) + ":9001";
    p.pubkey = "Key" + std::to_string(i) + std::string(40, 'x');
    pods.push_back(p);
  }
  return pods;
}

std::map<std::string, double> rows(const std::string& body) {
  json::value v = json::parse(body);
  EXPECT_EQ(v.at("status"), "success");
  std::map<std::string, double> out;
  for (const auto& r : v.at("pods_credits").as_array())
    out.emplace(std::string(r.at("pod_id").as_string()), r.at("credits").to_number<double>());
  return out;
}

TEST(CreditsFeed, EveryPubkeyIsOnExactlyOneListOnceAndPodsWithoutOneOnNone) {
  auto pods = pods_with_keys(400);
  pods.push_back(pods[0]);  // listed twice by the network
  prpc::Pod anonymous;
  anonymous.address = "127.1.0.9:9001";
  pods.push_back(anonymous);
  auto mainnet = rows(credits_body(pods, CreditsList::kMainnet, 7, 0));
  auto devnet = rows(credits_body(pods, CreditsList::kDevnet, 7, 0));
  EXPECT_EQ(mainnet.size() + devnet.size(), 400u);
  for (const auto& [key, credits] : devnet) EXPECT_FALSE(mainnet.count(key)) << key;
  EXPECT_GT(mainnet.size(), devnet.size()) << "about three in four on mainnet";
  EXPECT_GT(devnet.size(), 50u);
}

TEST(CreditsFeed, CreditsGrowOnePerHeartbeatWithSomeAtZeroAndSomeBelow) {
  size_t zero = 0, negative = 0;
  for (const auto& pod : pods_with_keys(2000)) {
    const double now = credits_of(*pod.pubkey, 7, 0);
    const double later = credits_of(*pod.pubkey, 7, 10);
    if (now == 0) {
      ++zero;
      EXPECT_EQ(later, 0) << "no heartbeat counted yet stays at zero";
    } else {
      EXPECT_EQ(later, now + 10) << "ten 30 s heartbeats";
    }
    negative += now < 0;
  }
  EXPECT_GT(zero, 100u);
  EXPECT_GT(negative, 10u);
  EXPECT_NE(credits_of("KeyA", 7, 0), credits_of("KeyA", 8, 0)) << "the run's seed draws another network";
}

TEST(CreditsFeed, ASeedPortServesBothListsOfTheSimulatedNetwork) {
  SimOptions o;
  o.seeds = 3;
  o.captures = {testing::kCompactCapture};
  o.clock = [] { return int64_t{1900000000}; };
  auto sim = Simulator::create(std::move(o));
  ASSERT_TRUE(sim) << sim.error().message;
  size_t listed = 0;
  for (const char* path : {"/credits/mainnet", "/credits/devnet"}) {
    http::Response r = (*sim)->handle(1, testing::request("GET", path));
    ASSERT_EQ(r.status, 200);
    listed += rows(testing::body_of(r)).size();
  }
  size_t with_key = 0;
  std::set<std::string> keys;
  for (const auto& pod : (*sim)->network_pods())
    if (pod.pubkey) keys.insert(*pod.pubkey);
  with_key = keys.size();
  EXPECT_EQ(listed, with_key);
  EXPECT_EQ((*sim)->handle(1, testing::request("POST", "/credits/devnet")).status, 405);
  EXPECT_EQ((*sim)->handle(1, testing::request("GET", "/credits/testnet")).status, 404);
}

}  // namespace
}  // namespace pnode::sim
