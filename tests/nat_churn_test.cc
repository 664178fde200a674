// Node identity under NAT port churn, end to end through the real pieces: the simulator's
// churning network (NAT rows rotate their ports every 5 minutes, nodes leave, come back,
// restart and upgrade) seen by three seeds whose views lag one another by 20 s, fed
// cycle after cycle through the real collection cycle for 20 simulated minutes.
// What must hold at every cycle: no (pubkey, IP) is both online and offline. When the
// seeds agree (polled at one instant, as the simulator serves them), every node is also
// counted once at every cycle, so storage sums are the sums over distinct nodes. While
// lagging seeds list a node at its old and its new port at once, both are listed and
// both count (two listed addresses are two pods: an operator may run two on one IP);
// once the old port leaves every view, one entry remains. At the end the registry holds
// one entry per distinct node ever seen.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "analysis/node_view.h"
#include "collect/cycle.h"
#include "collect/registry_update.h"
#include "sim/simulator.h"

namespace pnode {
namespace {

constexpr int64_t kStart = 1900000000;
constexpr int kSeeds = 3;
constexpr int64_t kCycleSeconds = 30;
constexpr int64_t kRunSeconds = 20 * 60;

struct ChurningNetwork {
  std::shared_ptr<std::atomic<int64_t>> clock = std::make_shared<std::atomic<int64_t>>(kStart);
  std::unique_ptr<sim::Simulator> sim;

  ChurningNetwork() {
    sim::SimOptions o;
    o.seeds = kSeeds;
    o.captures = {std::string(PNODE_FIXTURES_DIR) + "/get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json"};
    o.churn.enabled = true;
    o.churn.rate_per_minute = 0.02;
    auto c = clock;
    o.clock = [c] { return c->load(); };
    auto created = sim::Simulator::create(std::move(o));
    EXPECT_TRUE(created) << (created ? "" : created.error().message);
    if (created) sim = std::move(*created);
  }

  // Seed i answers with its view of lag * i seconds ago.
  std::vector<collect::SeedAnswer> poll(int64_t now, int64_t lag) {
    std::vector<collect::SeedAnswer> answers;
    for (int i = 0; i < kSeeds; ++i) {
      clock->store(now - i * lag);
      collect::SeedAnswer a;
      a.poll.seed = "seed" + std::to_string(i);
      a.pods.pods = sim->view_of(i);
      a.poll.pod_count = a.pods.pods.size();
      answers.push_back(std::move(a));
    }
    clock->store(now);
    return answers;
  }
};

std::string identity_of(const analysis::NodeView& v) {
  return v.pubkey + "@" + std::string(collect::address_host(v.address));
}

struct CycleCheck {
  bool both_online_and_offline = false;
  bool counted_twice = false;
};

CycleCheck check_views(const analysis::NodeViews& views, std::set<std::string>& ever_seen) {
  CycleCheck out;
  std::map<std::string, std::set<bool>> states;
  std::map<std::string, uint64_t> committed_by_node;
  uint64_t committed = 0;
  for (const auto& v : views.nodes) {
    if (v.pubkey.empty() || v.pubkey == v.address) continue;
    states[identity_of(v)].insert(v.is_online);
    committed += v.storage_committed;
    committed_by_node[identity_of(v)] = v.storage_committed;
    ever_seen.insert(identity_of(v));
  }
  uint64_t distinct = 0;
  for (const auto& [node, bytes] : committed_by_node) distinct += bytes;
  for (const auto& [node, seen] : states) out.both_online_and_offline |= seen.size() > 1;
  out.counted_twice = committed != distinct;
  return out;
}

size_t entries_with_pubkey(const collect::Registry& registry) {
  size_t n = 0;
  for (const auto& e : registry.entries) n += !e.pubkey.empty() && e.pubkey != e.address;
  return n;
}

// Runs 20 simulated minutes; the last two cycles with the seeds in agreement.
void run_churn(int64_t lag) {
  ChurningNetwork net;
  ASSERT_TRUE(net.sim);
  collect::Registry registry;
  std::set<std::string> ever_seen;  // distinct (pubkey, IP) over the run
  size_t moves = 0;
  const int64_t end = kStart + kRunSeconds;
  for (int64_t now = kStart + 60; now < end; now += kCycleSeconds) {
    const bool settled = lag == 0 || now + 2 * kCycleSeconds >= end;
    auto result = collect::assemble_cycle(net.poll(now, settled ? 0 : lag), registry, static_cast<uint64_t>(now), now,
                                          now, {});
    registry = *result.snapshot->registry;
    moves += result.snapshot->changes.moved.size();
    CycleCheck check = check_views(*result.snapshot->views, ever_seen);
    EXPECT_FALSE(check.both_online_and_offline) << "t=" << now - kStart;
    if (settled) EXPECT_FALSE(check.counted_twice) << "a node counted twice at t=" << now - kStart;
  }
  EXPECT_GT(moves, 10u) << "the run must exercise port changes";
  EXPECT_EQ(entries_with_pubkey(registry), ever_seen.size()) << "one registry entry per distinct node";
}

TEST(NatChurn, WithSeedsInAgreementEachNodeIsCountedOnceAtEveryCycle) { run_churn(0); }

TEST(NatChurn, WithLaggingSeedsNoNodeIsEverBothOnlineAndOfflineAndOneEntryRemains) { run_churn(20); }

}  // namespace
}  // namespace pnode
