// The collector among several instances: only the lease holder collects, followers load
// what it committed, a new leader continues the numbering, lost leases write nothing.
#include "collect/collector.h"

#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <thread>

#include "analysis/node_view.h"
#include "collect/test_fake_node.h"
#include "collect/test_lease_store.h"
#include "collect/test_pods.h"
#include "store/snapshot_codec.h"

namespace pnode::collect {
namespace {

using testing::FakeNode;

TEST(Collector, OnlyTheLeaseHolderCollectsAndItsWritesAreFenced) {
  FakeNode node;
  node.set_pods({{"127.1.0.1:9001", 1765000000}});
  auto clock = std::chrono::steady_clock::now();
  testing::LeaseStore store(clock);
  http::Client http{1};
  prpc::Client rpc{http, prpc::ClientOptions{std::chrono::milliseconds(500), std::chrono::milliseconds(1000)}};
  auto make = [&](Leadership& leadership, std::vector<std::shared_ptr<const Snapshot>>& published) {
    auto c = std::make_unique<Collector>(
        CollectorConfig{{{"seed", HostPort{"127.0.0.1", node.port()}}}, std::chrono::milliseconds(10), {}}, rpc, &store,
        [&published](std::shared_ptr<const Snapshot> s) { published.push_back(s); },
        [] { return int64_t{1765000060}; });
    c->set_leadership(&leadership);
    return c;
  };
  Leadership lead_a(store, {"a", std::chrono::seconds(15)}, [&] { return clock; });
  Leadership lead_b(store, {"b", std::chrono::seconds(15)}, [&] { return clock; });
  std::vector<std::shared_ptr<const Snapshot>> published_a, published_b;
  auto a = make(lead_a, published_a);
  auto b = make(lead_b, published_b);
  lead_a.tick();
  lead_b.tick();

  EXPECT_TRUE(a->run_cycle().ok);
  EXPECT_EQ(a->status().role, "leader");
  EXPECT_EQ(a->status().lease_epoch, 1);
  EXPECT_EQ(b->status().role, "follower");
  auto follower = b->run_cycle();
  EXPECT_TRUE(follower.follower);
  EXPECT_FALSE(follower.snapshot);
  EXPECT_EQ(published_a.size(), 1u);
  EXPECT_EQ(store.writes, 1);
  // The follower polled nothing but serves what the leader committed, completed.
  ASSERT_EQ(published_b.size(), 1u);
  EXPECT_EQ(published_b[0]->cycle, published_a[0]->cycle);
  ASSERT_TRUE(published_b[0]->views);
  EXPECT_EQ(published_b[0]->views->nodes.size(), 1u);
  EXPECT_TRUE(b->run_cycle().follower);
  EXPECT_EQ(published_b.size(), 1u) << "nothing new committed: nothing published again";

  clock += std::chrono::seconds(16);  // a stops renewing (paused); b takes over
  lead_b.tick();
  EXPECT_TRUE(a->run_cycle().follower) << "a knows from its own clock that it no longer leads";
  EXPECT_TRUE(b->run_cycle().ok);
  EXPECT_EQ(published_b.size(), 2u);
  EXPECT_EQ(published_b[1]->cycle, published_a[0]->cycle + 1) << "the new leader carries on the numbering";
  EXPECT_EQ(store.writes, 2);
}

// A follower running on its own with a poll far away: it loads the leader's new cycle as
// soon as its watch tells of it, not before, and stops promptly while waiting.
TEST(Collector, AFollowerLoadsACycleWhenItsWatchTellsOfIt) {
  FakeNode node;
  node.set_pods({{"127.1.0.1:9001", 1765000000}});
  auto clock = std::chrono::steady_clock::now();
  testing::LeaseStore store(clock);
  auto owned_watch = std::make_unique<testing::ScriptedWatch>();
  testing::ScriptedWatch* watch = owned_watch.get();
  store.watch = std::move(owned_watch);
  http::Client http{1};
  prpc::Client rpc{http, prpc::ClientOptions{std::chrono::milliseconds(500), std::chrono::milliseconds(1000)}};
  CollectorConfig config{{{"seed", HostPort{"127.0.0.1", node.port()}}}, std::chrono::milliseconds(10), {}};
  config.follower_poll = std::chrono::minutes(10);
  std::mutex published_mutex;
  std::vector<uint64_t> published_b;
  Collector a(config, rpc, &store, [](std::shared_ptr<const Snapshot>) {}, [] { return int64_t{1765000060}; });
  Collector b(config, rpc, &store, [&](std::shared_ptr<const Snapshot> s) {
    std::lock_guard lock(published_mutex);
    published_b.push_back(s->cycle);
  }, [] { return int64_t{1765000060}; });
  Leadership lead_a(store, {"a", std::chrono::seconds(15)}, [&] { return clock; });
  Leadership lead_b(store, {"b", std::chrono::seconds(15)}, [&] { return clock; });
  a.set_leadership(&lead_a);
  b.set_leadership(&lead_b);
  lead_a.tick();
  lead_b.tick();
  auto published = [&] {
    std::lock_guard lock(published_mutex);
    return published_b;
  };
  auto wait_for_published = [&](size_t n) {
    for (int i = 0; i < 1000 && published().size() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return published().size() >= n;
  };

  ASSERT_TRUE(a.run_cycle().ok);
  std::thread runner([&] { b.run(); });
  ASSERT_TRUE(wait_for_published(1)) << "a follower loads what is committed when it starts";
  ASSERT_TRUE(a.run_cycle().ok);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(published().size(), 1u) << "unheard of, the new cycle waits for the poll";
  watch->push({store::CycleWatch::Wake::kCycle, {2, 1}});
  ASSERT_TRUE(wait_for_published(2));
  EXPECT_EQ(published().back(), 2u);
  b.request_stop();
  runner.join();
}

// Two collectors on one lease store, for the takeover tests below.
struct TwoInstances {
  explicit TwoInstances(uint16_t seed_port)
      : store(clock),
        rpc(http, prpc::ClientOptions{std::chrono::milliseconds(500), std::chrono::milliseconds(1000)}),
        lead_a(store, {"a", std::chrono::seconds(15)}, [this] { return clock; }),
        lead_b(store, {"b", std::chrono::seconds(15)}, [this] { return clock; }),
        a(make(seed_port, lead_a, published_a)),
        b(make(seed_port, lead_b, published_b)) {}

  std::unique_ptr<Collector> make(uint16_t port, Leadership& leadership,
                                  std::vector<std::shared_ptr<const Snapshot>>& published) {
    auto c = std::make_unique<Collector>(
        CollectorConfig{{{"seed", HostPort{"127.0.0.1", port}}}, std::chrono::milliseconds(10), {}}, rpc, &store,
        [this, &published](std::shared_ptr<const Snapshot> s) {
          published.push_back(s);
          if (on_publish) on_publish();
        },
        [this] {
          if (on_clock_read) on_clock_read();
          return int64_t{1765000060};
        });
    c->set_leadership(&leadership);
    return c;
  }

  std::function<void()> on_publish;  // runs between a cycle's publish and its write
  std::function<void()> on_clock_read;  // runs when a collector reads the time
  std::chrono::steady_clock::time_point clock = std::chrono::steady_clock::now();
  testing::LeaseStore store;
  http::Client http{1};
  prpc::Client rpc;
  Leadership lead_a, lead_b;
  std::vector<std::shared_ptr<const Snapshot>> published_a, published_b;
  std::unique_ptr<Collector> a, b;
};

// The old leader committed a cycle the follower never loaded before it took over: the new
// leader's first cycle continues after it, so no cycle number is written twice.
TEST(Collector, ANewLeaderContinuesFromTheLatestStoredCycle) {
  FakeNode node;
  node.set_pods({{"127.1.0.1:9001", 1765000000}});
  TwoInstances two(node.port());
  two.lead_a.tick();
  two.lead_b.tick();
  ASSERT_TRUE(two.a->run_cycle().ok);
  EXPECT_TRUE(two.b->run_cycle().follower);  // loads cycle 1
  ASSERT_TRUE(two.a->run_cycle().ok);        // cycle 2, which b has not seen
  two.clock += std::chrono::seconds(16);
  two.lead_b.tick();
  auto report = two.b->run_cycle();
  ASSERT_TRUE(report.ok) << report.error;
  EXPECT_EQ(report.cycle, two.published_a.back()->cycle + 1);
  EXPECT_EQ(two.store.writes, 3);
}

// A leader whose lease passed on while its own deadline had not yet come (its clock ran
// slow, say): the store refuses the write, the refusal is reported as fenced, and the
// cycle is not kept to be written later over the new leader's.
TEST(Collector, AFencedWriteIsReportedAndNotKeptForLater) {
  FakeNode node;
  node.set_pods({{"127.1.0.1:9001", 1765000000}});
  TwoInstances two(node.port());
  two.lead_a.tick();
  ASSERT_TRUE(two.a->run_cycle().ok);
  ASSERT_TRUE(two.store.resign_lease(*two.lead_a.token()).ok());  // behind a's back
  two.lead_b.tick();
  ASSERT_EQ(two.lead_b.role(), Role::kLeader);
  ASSERT_EQ(two.lead_a.role(), Role::kLeader) << "a still believes it leads";
  auto report = two.a->run_cycle();
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.lease_refusal, model::LeaseRefusal::kFenced) << report.error;
  EXPECT_EQ(two.store.writes, 1);
  EXPECT_EQ(two.a->status().store.pending_cycles, 0);
}

// The local deadline passes while a cycle polls (a pause): the cycle is neither published
// nor written, the refusal is reported as local, and its number is left for the leader.
TEST(Collector, ALeaseLostWhilePollingPublishesAndWritesNothing) {
  FakeNode node;
  node.set_pods({{"127.1.0.1:9001", 1765000000}});
  TwoInstances two(node.port());
  two.lead_a.tick();
  ASSERT_TRUE(two.a->run_cycle().ok);
  int reads = 0;  // the first read starts the cycle, the second comes after the poll
  two.on_clock_read = [&] {
    if (++reads == 2) two.clock += std::chrono::seconds(16);
  };
  auto report = two.a->run_cycle();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.lease_refusal, model::LeaseRefusal::kLocal) << report.error;
  EXPECT_EQ(report.cycle, 1u);
  EXPECT_EQ(two.published_a.size(), 1u);
  EXPECT_EQ(two.store.writes, 1);
}

// The local deadline passes between the publish and the write: the cycle is not written
// and the refusal is reported as local.
TEST(Collector, ACycleThatOutlivesTheLeaseIsNotWrittenAndSaysWhy) {
  FakeNode node;
  node.set_pods({{"127.1.0.1:9001", 1765000000}});
  TwoInstances two(node.port());
  two.lead_a.tick();
  ASSERT_TRUE(two.a->run_cycle().ok);
  // By the time the next cycle writes, the lease has run out locally.
  two.on_publish = [&two] { two.clock += std::chrono::seconds(16); };
  auto report = two.a->run_cycle();
  EXPECT_EQ(report.lease_refusal, model::LeaseRefusal::kLocal) << report.error;
  EXPECT_EQ(two.store.writes, 1);
}

// The first cycle of a seed gossiping a:1 and b:1, assembled with `context`.
CycleResult two_pod_cycle(const CycleContext& context) {
  model::Registry empty;
  return assemble_cycle({testing::make_seed_answer("s0", {testing::make_gossip_pod("a:1", 100),
                                                         testing::make_gossip_pod("b:1", 100)})},
                        empty, 1, 100, 100, {}, context);
}

// What another instance loads of `made`: its snapshot through the store's codec, and its
// registry (no snapshot when the codec fails).
store::LoadedState stored_and_loaded(const CycleResult& made) {
  store::LoadedState state;
  state.registry = *made.snapshot->registry;
  auto decoded = store::decode_snapshot(store::encode_snapshot(*made.snapshot));
  EXPECT_TRUE(decoded.ok()) << decoded.error().message;
  if (decoded.ok()) state.snapshot = std::make_shared<const model::Snapshot>(std::move(*decoded));
  return state;
}

// The growth trends the collector's memory gave are kept with the snapshot, so the same
// snapshot stored and completed elsewhere (a follower, a restart) scores its nodes alike,
// and every instance serves the same /pnodes body and ETag.
TEST(Collector, AStoredSnapshotScoresWithTheGrowthTrendsItWasMadeWith) {
  const analysis::GrowthTrends trends{{"a:1", 0.9}};
  CycleContext context;
  context.growth_trends = &trends;
  auto made = two_pod_cycle(context);
  store::LoadedState state = stored_and_loaded(made);
  ASSERT_TRUE(state.snapshot);
  auto restored = complete_restored_snapshot(state, {}, {});
  ASSERT_TRUE(restored && restored->views && made.snapshot->views);
  const auto& original = made.snapshot->views->nodes;
  const auto& again = restored->views->nodes;
  ASSERT_EQ(again.size(), original.size());
  for (size_t i = 0; i < original.size(); ++i) {
    EXPECT_EQ(again[i].address, original[i].address);
    EXPECT_EQ(again[i].scores.capacity.growth_trend, original[i].scores.capacity.growth_trend) << original[i].address;
    EXPECT_EQ(again[i].scores.capacity.score, original[i].scores.capacity.score) << original[i].address;
  }
  EXPECT_NE(original[0].scores.capacity.growth_trend, original[1].scores.capacity.growth_trend)
      << "a:1's trend was not flat";
}

// Credits are not stored with a snapshot: a follower or a restart scores v2 with the
// credits view it holds itself, so the same lists give the same scores.
TEST(Collector, AStoredSnapshotScoresV2WithTheCreditsViewGivenWhenCompleted) {
  auto credits = std::make_shared<const analysis::CreditsView>(
      analysis::assess_credits({{"pk-a:1", 1000}, {"pk-b:1", 100}}, {}));
  CycleContext context;
  context.credits = credits;
  auto made = two_pod_cycle(context);
  store::LoadedState state = stored_and_loaded(made);
  ASSERT_TRUE(state.snapshot);
  auto with_credits = complete_restored_snapshot(state, {}, {}, credits);
  auto without = complete_restored_snapshot(state, {}, {});
  for (const char* address : {"a:1", "b:1"}) {
    const auto& original = *made.snapshot->views->find(address)->score_v2;
    EXPECT_EQ(with_credits->views->find(address)->score_v2->score, original.score) << address;
    EXPECT_FALSE(without->views->find(address)->score_v2->factor(analysis::FactorV2::kCreditsEligibility).value);
  }
  EXPECT_EQ(made.snapshot->views->find("a:1")->score_v2->factor(analysis::FactorV2::kCreditsEligibility).value, 1.0);
}

}  // namespace
}  // namespace pnode::collect
