#include "collect/collector.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "analysis/node_view.h"
#include "http/server.h"
#include "collect/test_lease_store.h"
#include "collect/test_pods.h"
#include "store/snapshot_codec.h"
#include "store/store_test_support.h"
#include "util/json_writer.h"

namespace pnode::collect {
namespace {

// A pNode on loopback whose gossip list the test edits between cycles.
class FakeNode {
 public:
  FakeNode() : server_(http::ServerOptions{}, [this](const http::Request& r) { return answer(r); }) {
    port_ = server_.start().value()[0];
  }
  uint16_t port() const { return port_; }
  void set_pods(std::vector<std::pair<std::string, int64_t>> pods) {
    std::lock_guard lock(mutex_);
    pods_ = std::move(pods);
  }
  void set_broken(bool broken) { broken_ = broken; }

 private:
  http::Response answer(const http::Request& r) {
    if (broken_) return http::Response::text(500, "boom");
    JsonWriter w;
    w.begin_object().key("error").null().key("id").value(1).key("jsonrpc").value("2.0").key("result").begin_object();
    if (r.body.find("get-pods") != std::string::npos) {
      std::lock_guard lock(mutex_);
      w.key("pods").begin_array();
      for (const auto& [address, seen] : pods_)
        w.begin_object().field("address", address).field("last_seen_timestamp", seen).field("version", "0.8.0").end_object();
      w.end_array().field("total_count", pods_.size());
    } else if (r.body.find("get-version") != std::string::npos) {
      w.field("version", "0.8.0");
    } else {
      w.field("uptime", 100).field("cpu_percent", 1.5);
    }
    w.end_object().end_object();
    return http::Response::json(200, w.take());
  }

  std::mutex mutex_;
  std::vector<std::pair<std::string, int64_t>> pods_;
  std::atomic<bool> broken_{false};
  http::Server server_;
  uint16_t port_ = 0;
};

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
  Result<std::vector<store::NodeHistoryRow>> node_history(const std::string& address, int64_t since,
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
  EXPECT_EQ(h.store.node_history("127.1.0.3:9001", 0, 9999)->size(), 4u) << "every cycle's node sample";
  EXPECT_EQ(h.store.node_history("127.1.0.2:9001", 0, 9999)->size(), 5u) << "online, then recorded offline";

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

// The growth trends the collector's memory gave are kept with the snapshot, so the same
// snapshot stored and completed elsewhere (a follower, a restart) scores its nodes alike,
// and every instance serves the same /pnodes body and ETag.
TEST(Collector, AStoredSnapshotScoresWithTheGrowthTrendsItWasMadeWith) {
  const analysis::GrowthTrends trends{{"a:1", 0.9}};
  CycleContext context;
  context.growth_trends = &trends;
  model::Registry empty;
  auto made = assemble_cycle({testing::make_seed_answer("s0", {testing::make_gossip_pod("a:1", 100),
                                                              testing::make_gossip_pod("b:1", 100)})},
                             empty, 1, 100, 100, {}, context);
  auto decoded = store::decode_snapshot(store::encode_snapshot(*made.snapshot));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  store::LoadedState state;
  state.registry = *made.snapshot->registry;
  state.snapshot = std::make_shared<const model::Snapshot>(std::move(*decoded));
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

}  // namespace
}  // namespace pnode::collect
