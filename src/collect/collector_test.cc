#include "collect/collector.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "analysis/monitor_state_codec.h"
#include "analysis/node_view.h"
#include "http/server.h"
#include "collect/test_fake_node.h"
#include "collect/test_lease_store.h"
#include "collect/test_pods.h"
#include "store/snapshot_codec.h"
#include "store/store_test_support.h"
#include "util/json_writer.h"

namespace pnode::collect {
namespace {

using testing::FakeNode;  // collect/test_fake_node.h

struct Harness {
  FakeNode node;
  http::Client http{1};
  prpc::Client rpc{http, prpc::ClientOptions{std::chrono::milliseconds(500), std::chrono::milliseconds(1000)}};
  std::vector<std::shared_ptr<const Snapshot>> published;
  std::atomic<size_t> cycles{0};  // read while run() publishes on another thread
  int64_t now = 1000;
  Collector collector{CollectorConfig{{{"seed", HostPort{"127.0.0.1", node.port()}}}, std::chrono::milliseconds(10), {}},
                      rpc, nullptr, [this](std::shared_ptr<const Snapshot> s) {
                        published.push_back(s);
                        ++cycles;
                      },
                      [this] { return now; }};
};

TEST(Collector, PublishesOneSnapshotPerCycle) {
  Harness h;
  h.node.set_pods({{"127.1.0.1:9001", 990}, {"127.1.0.2:9001", 995}});
  auto report = h.collector.run_cycle();
  ASSERT_TRUE(report.ok) << report.error;
  ASSERT_EQ(h.published.size(), 1u);
  EXPECT_EQ(h.published[0]->nodes.size(), 2u);
  EXPECT_EQ(h.published[0]->seeds[0].outcome(), "ok");
  EXPECT_EQ(h.published[0]->views->online_count, 2u);
  ASSERT_TRUE(h.published[0]->insights);
}

TEST(Collector, WithItsOnlySeedFailingACycleIsInconclusiveAndPublishesNothing) {
  Harness h;
  h.node.set_pods({{"127.1.0.1:9001", 990}});
  ASSERT_TRUE(h.collector.run_cycle().ok);
  h.node.set_broken(true);
  h.now += 60;
  auto report = h.collector.run_cycle();
  EXPECT_FALSE(report.ok);
  EXPECT_TRUE(report.inconclusive);
  EXPECT_FALSE(report.snapshot);
  EXPECT_NE(report.error.find("inconclusive: 0 of 1 seeds answered (quorum 1)"), std::string::npos) << report.error;
  ASSERT_EQ(h.published.size(), 1u) << "the last conclusive snapshot stays published";
  auto status = h.collector.status();
  EXPECT_EQ(status.seeds_answered, 0);
  EXPECT_EQ(status.inconclusive_cycles, 1);
  h.collector.run_cycle();
  EXPECT_EQ(h.collector.status().inconclusive_cycles, 2);
  // The seed answers again: a conclusive cycle, and the node was never counted as dropped.
  h.node.set_broken(false);
  h.now += 60;
  ASSERT_TRUE(h.collector.run_cycle().ok);
  ASSERT_EQ(h.published.size(), 2u);
  EXPECT_EQ(h.collector.status().inconclusive_cycles, 0);
  EXPECT_EQ(h.published[1]->registry->entries.size(), 1u);
  EXPECT_EQ(h.published[1]->registry->entries[0].gossip_disappearances, 0);
}

// Three seeds, quorum two by default.
struct ThreeSeeds {
  FakeNode nodes[3];
  http::Client http{1};
  prpc::Client rpc{http, prpc::ClientOptions{std::chrono::milliseconds(500), std::chrono::milliseconds(1000)}};
  std::vector<std::shared_ptr<const Snapshot>> published;
  Collector collector{CollectorConfig{{{"s0", HostPort{"127.0.0.1", nodes[0].port()}},
                                       {"s1", HostPort{"127.0.0.1", nodes[1].port()}},
                                       {"s2", HostPort{"127.0.0.1", nodes[2].port()}}},
                                      std::chrono::milliseconds(10),
                                      {}},
                      rpc, nullptr, [this](std::shared_ptr<const Snapshot> s) { published.push_back(s); },
                      [] { return int64_t{1000}; }};
};

TEST(Collector, AFailingSeedBelowTheQuorumStillPublishesAndKeepsTheRegistry) {
  ThreeSeeds t;
  for (auto& n : t.nodes) n.set_pods({{"127.1.0.1:9001", 990}});
  ASSERT_TRUE(t.collector.run_cycle().ok);
  t.nodes[2].set_broken(true);
  auto report = t.collector.run_cycle();
  ASSERT_TRUE(report.ok) << report.error;
  ASSERT_EQ(t.published.size(), 2u);
  EXPECT_EQ(t.published[1]->seeds[2].outcome(), "http_status");
  EXPECT_EQ(t.published[1]->registry->entries.size(), 1u);
  EXPECT_EQ(t.collector.status().seeds_answered, 2);
  EXPECT_EQ(t.collector.status().quorum, 2);
  // A second seed down: 1 of 3 is below the quorum.
  t.nodes[1].set_broken(true);
  report = t.collector.run_cycle();
  EXPECT_FALSE(report.snapshot);
  EXPECT_EQ(t.published.size(), 2u);
  EXPECT_EQ(t.collector.status().inconclusive_cycles, 1);
}

TEST(Collector, RetriesAnInconclusiveCycleWithBackoffNotAWholeIntervalLater) {
  FakeNode node;
  node.set_broken(true);
  http::Client http{1};
  prpc::Client rpc{http, prpc::ClientOptions{std::chrono::milliseconds(500), std::chrono::milliseconds(1000)}};
  CollectorConfig config{{{"seed", HostPort{"127.0.0.1", node.port()}}}, std::chrono::hours(1), {}};
  config.retry_initial = std::chrono::milliseconds(20);
  std::atomic<int> attempts{0};
  Collector collector(config, rpc, nullptr, [](std::shared_ptr<const Snapshot>) {});
  collector.set_observer([&attempts](const CycleReport&) { ++attempts; });
  std::thread t([&] { collector.run(); });
  // 20 + 40 + 80 ms of backoff: the fourth attempt comes long before the hour-long interval.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (attempts < 4 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  collector.request_stop();
  t.join();
  EXPECT_GE(attempts.load(), 4);
  EXPECT_GE(collector.status().inconclusive_cycles, 4);
}

TEST(Collector, ScheduledPruneDropsOldEntriesAtTheNextCycle) {
  Harness h;
  constexpr int64_t t = 1765000000;  // gossip times before 2020 read as missing (prpc/bounds.h)
  h.now = t + 1000;
  // 127.1.0.3 stays listed with an old gossip time (its own clock lags): in gossip, never pruned.
  h.node.set_pods({{"127.1.0.1:9001", t + 500}, {"127.1.0.2:9001", t + 990}, {"127.1.0.3:9001", t + 100}});
  h.collector.run_cycle();
  h.node.set_pods({{"127.1.0.2:9001", t + 1050}, {"127.1.0.3:9001", t + 100}});
  h.now = t + 1060;
  h.collector.run_cycle();
  ASSERT_EQ(h.published.back()->registry->entries.size(), 3u);
  h.collector.schedule_prune(t + 900);  // 127.1.0.1 was last seen at t + 500
  h.now = t + 1120;
  h.collector.run_cycle();
  const auto& reg = *h.published.back()->registry;
  ASSERT_EQ(reg.entries.size(), 2u);
  EXPECT_EQ(reg.entries[0].address, "127.1.0.2:9001");
  EXPECT_EQ(reg.entries[1].address, "127.1.0.3:9001");
  EXPECT_EQ(reg.entries[1].created_at, t + 1000) << "kept, not re-added as new";
  EXPECT_EQ(h.published.back()->views->nodes.size(), 2u);
}

TEST(Collector, RunStopsPromptlyWhenAsked) {
  Harness h;
  h.node.set_pods({{"127.1.0.1:9001", 990}});
  std::thread t([&] { h.collector.run(); });
  while (h.cycles < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  h.collector.request_stop();
  t.join();
  EXPECT_GE(h.cycles.load(), 2u);
}

// A seed that accepts the connection and never answers.
class HangingSeed {
 public:
  HangingSeed() : server_(http::ServerOptions{}, [](const http::Request&) {
    http::Response r = http::Response::text(200, "late");
    r.delay = std::chrono::hours(1);
    return r;
  }) {
    port_ = server_.start().value()[0];
  }
  uint16_t port() const { return port_; }

 private:
  http::Server server_;
  uint16_t port_ = 0;
};

TEST(Collector, ASlowSeedCannotStretchTheCycleBeyondItsDeadline) {
  HangingSeed slow;
  FakeNode fast;
  fast.set_pods({{"127.1.0.1:9001", 990}});
  http::Client http{1};
  prpc::Client rpc{http, prpc::ClientOptions{std::chrono::milliseconds(500), std::chrono::seconds(30)}};
  CollectorConfig config{{{"fast", HostPort{"127.0.0.1", fast.port()}}, {"slow", HostPort{"127.0.0.1", slow.port()}}},
                         std::chrono::hours(1), {}};
  config.seed_deadline = std::chrono::milliseconds(300);
  config.seed_quorum = 1;
  std::vector<std::shared_ptr<const Snapshot>> published;
  Collector collector(config, rpc, nullptr, [&](std::shared_ptr<const Snapshot> s) { published.push_back(s); });
  auto report = collector.run_cycle();
  ASSERT_TRUE(report.ok) << report.error;
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0]->seeds[1].outcome(), "timeout");
  EXPECT_EQ(published[0]->nodes.size(), 1u);
  EXPECT_LT(report.duration_ms, 5000) << "bounded by the 300 ms deadline, not the 30 s call timeout";
}

TEST(Collector, StopCancelsACycleWaitingOnAHangingSeedAndPublishesNothing) {
  HangingSeed slow;
  http::Client http{1};
  prpc::Client rpc{http, prpc::ClientOptions{std::chrono::milliseconds(500), std::chrono::seconds(60)}};
  CollectorConfig config{{{"slow", HostPort{"127.0.0.1", slow.port()}}}, std::chrono::hours(1), {}};
  config.seed_deadline = std::chrono::seconds(60);
  std::atomic<int> published{0};
  std::atomic<int> reports{0};
  Collector collector(config, rpc, nullptr, [&](std::shared_ptr<const Snapshot>) { ++published; });
  collector.set_observer([&](const CycleReport&) { ++reports; });
  std::thread t([&] { collector.run(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the cycle is waiting on the seed
  const auto asked = std::chrono::steady_clock::now();
  collector.request_stop();
  t.join();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds(10)) << "not the 60 s deadline";
  EXPECT_EQ(published.load(), 0);
  EXPECT_EQ(reports.load(), 1);
  EXPECT_EQ(collector.status().inconclusive_cycles, 0) << "a cancelled cycle is not counted as inconclusive";
}

// ---- store faults ----------------------------------------------------------------------

// A SQLite store whose next writes can be made to fail as a full disk would (the real
// store then rolls back, so the failed writes leave nothing).
class FlakyStore final : public store::Store {
 public:
  explicit FlakyStore(std::unique_ptr<store::Store> inner) : inner_(std::move(inner)) {}
  void fail_next(int writes, ErrorCode code) {
    failures_left_ = writes;
    code_ = code;
  }
  int writes = 0;

  Status write_cycle(const store::CycleWrite& write) override {
    ++writes;
    if (failures_left_ > 0) {
      --failures_left_;
      return make_error(code_, "writing the cycle: database or disk is full");
    }
    return inner_->write_cycle(write);
  }
  Result<store::LoadedState> load() override { return inner_->load(); }
  Result<std::vector<store::NetworkHistoryRow>> network_history(int64_t since, int64_t until) override {
    return inner_->network_history(since, until);
  }
  Result<std::optional<store::NetworkHistoryRow>> network_sample_at_or_before(int64_t at) override {
    return inner_->network_sample_at_or_before(at);
  }
  Result<store::NodeHistory> node_history(const std::string& address, int64_t since,
                                                          int64_t until) override {
    return inner_->node_history(address, since, until);
  }
  Result<std::vector<store::HistoryStatusRow>> history_status(size_t limit) override {
    return inner_->history_status(limit);
  }
  Result<int64_t> prune_registry(int64_t cutoff) override { return inner_->prune_registry(cutoff); }
  Status write_events(const std::vector<store::EventRecord>& events) override {
    if (failures_left_ > 0) {
      --failures_left_;
      return make_error(code_, "writing events: database or disk is full");
    }
    return inner_->write_events(events);
  }
  Result<std::vector<store::StoredEvent>> read_events(const store::EventQuery& query) override {
    return inner_->read_events(query);
  }
  Status write_attempt_events(const std::vector<store::EventRecord>& events, const std::string& monitor_state) override {
    if (failures_left_ > 0) return write_events(events);  // fails the same way
    return inner_->write_attempt_events(events, monitor_state);
  }
  Result<std::string> monitor_state() override { return inner_->monitor_state(); }
  Result<store::SilenceRecord> add_silence(const store::SilenceRecord& s, int64_t now, size_t max_active) override {
    return inner_->add_silence(s, now, max_active);
  }
  Result<std::vector<store::SilenceRecord>> silences(int64_t ended_after) override {
    return inner_->silences(ended_after);
  }
  Status record_ack(const store::AckRecord& ack, size_t max_kept) override { return inner_->record_ack(ack, max_kept); }
  Result<std::vector<store::AckRecord>> acks() override { return inner_->acks(); }

 private:
  std::unique_ptr<store::Store> inner_;
  int failures_left_ = 0;
  ErrorCode code_ = ErrorCode::kDiskFull;
};

struct StoreHarness {
  store::testing_support::TempDir dir;
  FlakyStore store{store::testing_support::open_ok(dir.file("collector.db"))};
  FakeNode node;
  http::Client http{1};
  prpc::Client rpc{http, prpc::ClientOptions{std::chrono::milliseconds(500), std::chrono::milliseconds(1000)}};
  std::vector<std::shared_ptr<const Snapshot>> published;
  int64_t now = 1000;
  Collector collector{CollectorConfig{{{"seed", HostPort{"127.0.0.1", node.port()}}}, std::chrono::milliseconds(10), {}},
                      rpc, &store, [this](std::shared_ptr<const Snapshot> s) { published.push_back(s); },
                      [this] { return now; }};

  CycleReport cycle(std::vector<std::pair<std::string, int64_t>> pods) {
    node.set_pods(std::move(pods));
    now += 60;
    return collector.run_cycle();
  }
};

TEST(Collector, AfterFailedWritesTheNextWriteStoresEverythingTheyMissed) {
  StoreHarness h;
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1000}, {"127.1.0.2:9001", 1000}}).error.empty());
  h.store.fail_next(3, ErrorCode::kDiskFull);
  // While the disk is full: a node appears, one drops out of gossip, another appears.
  for (auto pods : std::vector<std::vector<std::pair<std::string, int64_t>>>{
           {{"127.1.0.1:9001", 1100}, {"127.1.0.2:9001", 1100}, {"127.1.0.3:9001", 1100}},
           {{"127.1.0.1:9001", 1160}, {"127.1.0.3:9001", 1160}},
           {{"127.1.0.1:9001", 1220}, {"127.1.0.3:9001", 1220}, {"127.1.0.4:9001", 1220}}}) {
    auto report = h.cycle(pods);
    EXPECT_TRUE(report.ok) << "the cycle is still published";
    EXPECT_NE(report.error.find("store write failed"), std::string::npos) << report.error;
  }
  auto failing = h.collector.status().store;
  EXPECT_EQ(failing.failed_writes, 3);
  EXPECT_EQ(failing.failing_since, 1120) << "the time of the first failed write";
  EXPECT_EQ(failing.error_kind, "disk_full");
  EXPECT_EQ(failing.pending_cycles, 3);

  // Space returns: 127.1.0.2's drop (it is not in this cycle's changes) is written too.
  auto report = h.cycle({{"127.1.0.1:9001", 1280}, {"127.1.0.3:9001", 1280}, {"127.1.0.4:9001", 1280}});
  ASSERT_TRUE(report.error.empty()) << report.error;
  EXPECT_EQ(h.collector.status().store.failed_writes, 0);
  EXPECT_EQ(h.collector.status().store.failing_since, 0);
  EXPECT_EQ(h.collector.status().store.pending_cycles, 0);

  auto stored = h.store.load();
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored->registry.entries, h.published.back()->registry->entries) << "nothing lost";
  EXPECT_EQ(stored->registry.find("127.1.0.2:9001")->gossip_disappearances, 1);
  EXPECT_EQ(stored->snapshot->cycle, h.published.back()->cycle);
  EXPECT_EQ(h.store.network_history(0, 9999)->size(), 5u) << "every cycle's network sample";
  EXPECT_EQ(h.store.node_history("127.1.0.3:9001", 0, 9999)->samples.size(), 4u) << "every cycle's node sample";
  EXPECT_EQ(h.store.node_history("127.1.0.2:9001", 0, 9999)->samples.size(), 5u) << "online, then recorded offline";

  // Back on the fast path: one write per cycle.
  int writes = h.store.writes;
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1340}}).error.empty());
  EXPECT_EQ(h.store.writes, writes + 1);
}

// The ids of the stored node and seed events (the alert events these fake nodes cause -
// low uptime, isolated - are the lifecycle's, tested in analysis/).
std::vector<std::string> stored_event_ids(store::Store& store) {
  store::EventQuery all;
  all.limit = 1000;
  auto events = store.read_events(all);
  EXPECT_TRUE(events.ok()) << events.error().message;
  std::vector<std::string> ids;
  if (events.ok())
    for (const auto& e : *events)
      if (e.event.type.rfind("alert_", 0) != 0) ids.push_back(e.event.id);
  return ids;
}

TEST(Collector, EveryAttemptsEventsReachTheOutboxOnceEvenAfterFailedWrites) {
  StoreHarness h;
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1000}, {"127.1.0.2:9001", 1000}}).error.empty());
  h.store.fail_next(1, ErrorCode::kDiskFull);
  EXPECT_FALSE(h.cycle({{"127.1.0.1:9001", 1100}}).error.empty()) << "this cycle's write fails";
  h.node.set_broken(true);  // inconclusive: only the seed event, written with the next write
  h.now += 60;
  EXPECT_TRUE(h.collector.run_cycle().inconclusive);
  h.node.set_broken(false);
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1220}, {"127.1.0.2:9001", 1220}}).error.empty());
  h.node.set_broken(true);  // inconclusive with nothing pending: written on its own
  h.now += 60;
  EXPECT_TRUE(h.collector.run_cycle().inconclusive);

  EXPECT_EQ(stored_event_ids(h.store), (std::vector<std::string>{
                                           "1.0:node_discovered:127.1.0.1:9001",
                                           "1.0:node_discovered:127.1.0.2:9001",
                                           "2.0:node_offline:127.1.0.2:9001",
                                           "2.1:seed_unreachable:",
                                           "3.0:seed_recovered:",
                                           "3.0:node_online:127.1.0.2:9001",
                                           "3.1:seed_unreachable:",
                                       }));
  store::EventQuery firing;
  firing.type = "alert_firing";
  auto alerts = h.store.read_events(firing);
  ASSERT_TRUE(alerts.ok());
  EXPECT_FALSE(alerts->empty()) << "the alert rules run with the cycle (isolated: one seed lists the nodes)";
  store::EventQuery one;
  one.limit = 1;
  auto first = h.store.read_events(one);
  ASSERT_TRUE(first.ok() && !first->empty());
  EXPECT_NE(first->front().event.body.find("\"type\":\"node_discovered\""), std::string::npos)
      << first->front().event.body;
}

TEST(Collector, ARestartedCollectorDoesNotDiscoverTheRestoredNodesAgain) {
  StoreHarness h;
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1000}}).error.empty());
  auto stored = h.store.load();
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  Collector restarted{CollectorConfig{{{"seed", HostPort{"127.0.0.1", h.node.port()}}}, std::chrono::milliseconds(10), {}},
                      h.rpc, &h.store, [](std::shared_ptr<const Snapshot>) {}, [&h] { return h.now; }};
  restarted.restore(*stored);
  h.node.set_pods({{"127.1.0.1:9001", 1100}, {"127.1.0.2:9001", 1100}});
  h.now += 60;
  ASSERT_TRUE(restarted.run_cycle().error.empty());
  EXPECT_EQ(stored_event_ids(h.store), (std::vector<std::string>{"1.0:node_discovered:127.1.0.1:9001",
                                                                 "2.0:node_discovered:127.1.0.2:9001"}));
}

// The ids of the stored alert_firing events of one (rule, node).
std::vector<std::string> firing_ids(store::Store& store, const std::string& subject) {
  store::EventQuery firing;
  firing.type = "alert_firing";
  firing.limit = 1000;
  std::vector<std::string> ids;
  const auto events = store.read_events(firing).value();
  for (const auto& e : events)
    if (e.event.id.ends_with(":" + subject)) ids.push_back(e.event.id);
  return ids;
}

analysis::MonitorState decode_state(store::Store& store) {
  auto decoded = analysis::decode_monitor_state(store.monitor_state().value());
  EXPECT_TRUE(decoded.ok()) << decoded.error().message;
  return decoded.ok() ? *decoded : analysis::MonitorState{};
}

// A collector restarted from h's store (as serve does after a restart).
std::unique_ptr<Collector> restart(StoreHarness& h) {
  auto stored = h.store.load();
  EXPECT_TRUE(stored.ok()) << stored.error().message;
  auto restarted = std::make_unique<Collector>(
      CollectorConfig{{{"seed", HostPort{"127.0.0.1", h.node.port()}}}, std::chrono::milliseconds(10), {}}, h.rpc,
      &h.store, [](std::shared_ptr<const Snapshot>) {}, [&h] { return h.now; });
  if (stored.ok()) restarted->restore(*stored);
  return restarted;
}

TEST(Collector, AnAlertFiringBeforeARestartDoesNotFireAgainAfterIt) {
  StoreHarness h;
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1000}, {"127.1.0.2:9001", 1000}}).error.empty());
  // 127.1.0.2 leaves gossip: offline pending, then firing (`for` 2 cycles).
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1100}}).error.empty());
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1160}}).error.empty());
  ASSERT_EQ(firing_ids(h.store, "offline@127.1.0.2:9001"), std::vector<std::string>{"3.0:alert_firing:offline@127.1.0.2:9001"});

  auto restarted = restart(h);
  for (int64_t seen : {1220, 1280}) {
    h.node.set_pods({{"127.1.0.1:9001", seen}});
    h.now += 60;
    ASSERT_TRUE(restarted->run_cycle().error.empty());
  }
  EXPECT_EQ(firing_ids(h.store, "offline@127.1.0.2:9001"), std::vector<std::string>{"3.0:alert_firing:offline@127.1.0.2:9001"})
      << "the restarted collector continues the firing alert";
}

TEST(Collector, AnAlertPendingBeforeARestartFiresOnTimeAfterIt) {
  StoreHarness h;
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1000}, {"127.1.0.2:9001", 1000}}).error.empty());
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1100}}).error.empty());  // pending
  ASSERT_TRUE(firing_ids(h.store, "offline@127.1.0.2:9001").empty());

  auto restarted = restart(h);
  h.node.set_pods({{"127.1.0.1:9001", 1160}});
  h.now += 60;
  ASSERT_TRUE(restarted->run_cycle().error.empty());
  EXPECT_EQ(firing_ids(h.store, "offline@127.1.0.2:9001"), std::vector<std::string>{"3.0:alert_firing:offline@127.1.0.2:9001"})
      << "its second cycle, as without the restart";
}

TEST(Collector, SilencesAndAcknowledgementsInTheStoreApplyToTheNextCycle) {
  StoreHarness h;
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1000}, {"127.1.0.2:9001", 1000}}).error.empty());
  store::SilenceRecord silence;
  silence.address = "127.1.0.2:9001";
  silence.rule = "offline";
  silence.starts_at = h.now;
  silence.ends_at = h.now + 3600;
  silence.comment = "planned maintenance";
  silence.author = "ops";
  auto added = h.store.add_silence(silence, h.now, 10);  // as the API of any instance would
  ASSERT_TRUE(added.ok()) << added.error().message;
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1100}}).error.empty());
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1160}}).error.empty());
  store::EventQuery firing;
  firing.type = "alert_firing";
  firing.address = "127.1.0.2:9001";
  auto events = h.store.read_events(firing).value();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].event.body.find("\"silenced\":true,\"silence_id\":\"" + added->id + "\""), std::string::npos)
      << events[0].event.body;

  // An acknowledgement of that firing reaches the state the collector keeps (and writes).
  int64_t firing_since = h.now;
  ASSERT_TRUE(h.store.record_ack({"offline", "127.1.0.2:9001", firing_since, "ops", "on it", h.now}, 10).ok());
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1220}}).error.empty());
  auto stored = decode_state(h.store);
  const auto* state = stored.alerts.find(analysis::AlertType::kOffline, "127.1.0.2:9001");
  ASSERT_TRUE(state);
  ASSERT_TRUE(state->acknowledgement);
  EXPECT_EQ(state->acknowledgement->comment, "on it");
}

TEST(Collector, ARunOfFailuresIsTimedFromItsFirstAndEndsWithTheFirstSuccess) {
  StoreHarness h;
  h.store.fail_next(1, ErrorCode::kReadOnly);
  h.cycle({{"127.1.0.1:9001", 1000}});
  EXPECT_EQ(h.collector.status().store.error_kind, "read_only");
  EXPECT_EQ(h.collector.status().store.failing_since, 1060);
  ASSERT_TRUE(h.cycle({{"127.1.0.1:9001", 1100}}).error.empty());
  h.store.fail_next(2, ErrorCode::kIoError);
  h.cycle({{"127.1.0.1:9001", 1160}});
  h.cycle({{"127.1.0.1:9001", 1220}});
  auto st = h.collector.status().store;
  EXPECT_EQ(st.failing_since, 1180) << "a new run starts at its own first failure";
  EXPECT_EQ(st.error_kind, "io_error");
  EXPECT_EQ(st.failed_writes, 2);
}

TEST(Collector, DoesNotWriteToAReadOnlyStoreAndSaysWhy) {
  store::testing_support::TempDir dir;
  std::string path = dir.file("damaged.db");
  { store::testing_support::open_ok(path); }
  store::testing_support::damage_an_index(path);
  auto opened = store::open_store("sqlite://" + path, {.on_corrupt = store::OnCorrupt::kReadOnly});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  ASSERT_FALSE((*opened)->read_only_reason().empty());
  FakeNode node;
  node.set_pods({{"127.1.0.1:9001", 990}});
  http::Client http{1};
  prpc::Client rpc{http, prpc::ClientOptions{std::chrono::milliseconds(500), std::chrono::milliseconds(1000)}};
  Collector collector(CollectorConfig{{{"seed", HostPort{"127.0.0.1", node.port()}}}, std::chrono::milliseconds(10), {}},
                      rpc, opened->get(), [](std::shared_ptr<const Snapshot>) {});
  auto report = collector.run_cycle();
  EXPECT_TRUE(report.ok);
  EXPECT_TRUE(report.error.empty()) << "not a failed write: no write at all";
  EXPECT_EQ(collector.status().store.read_only_reason, (*opened)->read_only_reason());
}

// ---- several instances on one store ------------------------------------------------------

// Two collectors on one lease store: only the leader polls and writes, its writes carry
// its token; when it stops renewing, the other takes over and the old one stops at once.
}  // namespace
}  // namespace pnode::collect
