// Followers kept current by the leader's notifications (issue 11): two `serve` instances
// on one PostgreSQL database, the follower's poll of the store set far away (60 s), so
// only the leader's pg_notify, heard on the follower's LISTEN connection, can make it
// serve each new cycle. A correctness test: the 2 s allowance is generous (the measured
// figure is bench/follower_lag_bench.cc's).
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "e2e_support.h"
#include "leader_follower.h"
#include "store/postgres/pg_test_cluster.h"

namespace pnode::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Polls `port` until it serves a snapshot at least as new as `last_updated`.
bool serves_within(uint16_t port, int64_t last_updated, std::chrono::milliseconds limit) {
  const auto until = Clock::now() + limit;
  while (served_state(port).last_updated < last_updated) {
    if (Clock::now() >= until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// The leader's next cycle: the new last_updated it serves (0 if none came).
int64_t next_leader_cycle(uint16_t port, int64_t after) {
  const auto until = Clock::now() + 10s;
  while (Clock::now() < until) {
    int64_t now_served = served_state(port).last_updated;
    if (now_served > after) return now_served;
    std::this_thread::sleep_for(10ms);
  }
  return 0;
}

TEST(FollowerNotifyE2E, AFollowerThatHardlyPollsServesEachNewCycleOfTheLeaderWithinTwoSeconds) {
  auto url = store::testing_support::fresh_postgres_url();
  if (!url) return;  // skipped or failed, saying why
  const auto dir = fresh_test_dir("pnode-follower-notify");
  LeaderFollower pair(PNODE_BINARY, dir, *url, {{"CACHE_TTL", "1"}, {"FOLLOWER_POLL_MS", "60000"}});
  ASSERT_TRUE(pair.error().empty()) << pair.error();
  ASSERT_EQ(served_state(pair.leader_port()).role, "leader");
  ASSERT_EQ(served_state(pair.follower_port()).role, "follower");

  int64_t cycle = served_state(pair.leader_port()).last_updated;
  for (int i = 0; i < 5; ++i) {
    cycle = next_leader_cycle(pair.leader_port(), cycle);
    ASSERT_NE(cycle, 0) << "the leader stopped collecting";
    EXPECT_TRUE(serves_within(pair.follower_port(), cycle, 2s))
        << "the follower did not serve the leader's cycle of " << cycle << " within 2 s";
  }
  const auto log = pair.follower().lines();
  EXPECT_TRUE(std::none_of(log.begin(), log.end(), [](const std::string& l) { return l.find("not hearing") != std::string::npos; }))
      << "the follower's LISTEN connection failed";
  // SIGTERM stops a follower waiting on its LISTEN connection promptly and cleanly.
  ::kill(pair.follower().pid(), SIGTERM);
  EXPECT_EQ(pair.follower().wait_exit_code(5s), 0);
  if (!HasFailure()) std::filesystem::remove_all(dir);
}

// Availability is the leader's (its prober's rounds), written to the store and carried by
// its snapshots: the follower, which probes nothing, serves the same table and reads the
// same sessions and probes from the store.
TEST(FollowerNotifyE2E, AFollowerServesTheLeadersAvailability) {
  auto url = store::testing_support::fresh_postgres_url();
  if (!url) return;  // skipped or failed, saying why
  const auto dir = fresh_test_dir("pnode-follower-availability");
  LeaderFollower pair(PNODE_BINARY, dir, *url, {{"CACHE_TTL", "1"}});
  ASSERT_TRUE(pair.error().empty()) << pair.error();
  auto pods_of = [](uint16_t port) {
    auto body = http_call(port, "GET", "/network/availability");
    return body.status == 200 ? body.json.at("nodes").as_array() : boost::json::array();
  };
  ASSERT_TRUE(wait_for([&] { return !pods_of(pair.leader_port()).empty(); }, 30s)) << "the leader measured no pod";
  ASSERT_TRUE(wait_for([&] { return !pods_of(pair.follower_port()).empty(); }, 10s)) << "the follower serves none";
  const std::string address(pods_of(pair.follower_port()).at(0).at("address").as_string());
  auto leader = http_call(pair.leader_port(), "GET", "/pnodes/" + address + "/availability");
  auto follower = http_call(pair.follower_port(), "GET", "/pnodes/" + address + "/availability");
  ASSERT_EQ(follower.status, 200) << follower.body;
  ASSERT_EQ(leader.status, 200) << leader.body;
  EXPECT_GE(follower.json.at("window").at("probes").as_int64(), 1) << follower.body;
  EXPECT_FALSE(follower.json.at("sessions").as_array().empty()) << follower.body;
  EXPECT_EQ(follower.json.at("sessions").as_array().at(0).at("started_at"),
            leader.json.at("sessions").as_array().at(0).at("started_at"));
  if (!HasFailure()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pnode::testing
