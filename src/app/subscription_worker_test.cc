// SubscriptionWorker over a SQLite store and a webhook receiver on loopback, on a fake
// clock: grouping, the cursor, restarts (a new worker on the same store), failures.
#include "app/subscription_worker.h"

#include <gtest/gtest.h>

#include "analysis/events.h"
#include "notify/test_receivers.h"
#include "store/store_test_support.h"

namespace pnode::app {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kStart = 1764950400;  // the fake clock's start, and the events' time

store::EventRecord alert_record(analysis::EventType type, const std::string& address, uint64_t cycle) {
  analysis::AlertTransition t;
  t.rule = analysis::AlertType::kOffline;
  t.severity = analysis::Severity::kCritical;
  t.message = "Node " + address + " is offline";
  const analysis::Event e{analysis::event_id(cycle, 0, type, "offline@" + address), type, kStart, cycle, address, "",
                          t};
  return store::EventRecord{e.id, analysis::event_type_name(type), e.time, cycle, address, "",
                            analysis::event_to_json(e)};
}

store::EventRecord restart_record(const std::string& address, uint64_t cycle) {
  const auto type = analysis::EventType::kNodeRestarted;
  const analysis::Event e{analysis::event_id(cycle, 0, type, address), type, kStart, cycle, address, "",
                          analysis::NodeRestarted{10, 1}};
  return store::EventRecord{e.id, "node_restarted", e.time, cycle, address, "", analysis::event_to_json(e)};
}

class SubscriptionWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override { store = store::testing_support::open_ok(dir.file("notify.db")); }

  Subscription subscription() {
    Subscription s;
    s.name = "hook";
    notify::WebhookSettings hook;
    hook.url = receiver.url("/hook");
    s.channel = hook;
    s.grouping.group_by = {"node"};
    s.grouping.group_wait = 10s;
    s.grouping.group_interval = 60s;
    s.grouping.repeat_interval = 24h;
    s.retry.max_attempts = 2;
    s.retry.initial_backoff = 1s;
    return s;
  }

  // A worker as a fresh start of the server makes it.
  std::unique_ptr<SubscriptionWorker> start(Subscription s) {
    SubscriptionWorker::Hooks hooks;
    hooks.now = [this] { return now; };
    hooks.keep_going = [this] { return keep_going && calls_left-- > 0; };
    hooks.sleep = [this](notify::Millis wait) { now += wait; };
    hooks.random01 = [] { return 0.5; };
    auto channel = make_channel(s.channel);
    return std::make_unique<SubscriptionWorker>(*store, std::move(s), std::move(*channel), hooks, /*batch=*/2);
  }

  void commit(std::vector<store::EventRecord> events) { ASSERT_TRUE(store->write_events(events).ok()); }
  void pass(SubscriptionWorker& worker) { ASSERT_TRUE(worker.pass().ok()); }
  int64_t cursor() { return store->event_cursor("notify:hook").value(); }

  // The webhook-id of every request the receiver got.
  std::vector<std::string> ids() {
    std::vector<std::string> out;
    for (const auto& r : receiver.requests()) out.emplace_back(r.header("webhook-id"));
    return out;
  }

  store::testing_support::TempDir dir;
  std::unique_ptr<store::Store> store;
  notify::testing::HttpReceiver receiver;
  notify::TimePoint now = std::chrono::system_clock::from_time_t(kStart);
  bool keep_going = true;
  int calls_left = 1 << 30;  // keep_going() answers true this many times (a process about to die)
};

TEST_F(SubscriptionWorkerTest, AFiringAlertIsToldOnceAfterGroupWaitAndItsEndOnce) {
  auto worker = start(subscription());
  commit({alert_record(analysis::EventType::kAlertFiring, "a:1", 5)});
  pass(*worker);
  EXPECT_TRUE(receiver.requests().empty()) << "group_wait";
  EXPECT_EQ(cursor(), 0) << "the firing alert is not told yet";
  EXPECT_EQ(worker->status().pending, 1u);
  now += 10s;
  pass(*worker);
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_NE(receiver.requests()[0].body.find("\"status\":\"firing\""), std::string::npos);
  EXPECT_EQ(cursor(), 1);
  now += 10min;
  pass(*worker);
  EXPECT_EQ(receiver.requests().size(), 1u) << "nothing new, no repeat before repeat_interval";
  commit({alert_record(analysis::EventType::kAlertResolved, "a:1", 9)});
  pass(*worker);
  EXPECT_EQ(receiver.requests().size(), 1u) << "the group is looked at again group_interval after the last look";
  now += 60s;
  pass(*worker);
  ASSERT_EQ(receiver.requests().size(), 2u);
  EXPECT_NE(receiver.requests()[1].body.find("\"status\":\"resolved\""), std::string::npos);
  EXPECT_EQ(cursor(), 2);
  const auto status = worker->status();
  EXPECT_EQ(status.delivered, 2u);
  EXPECT_EQ(status.pending, 0u);
  EXPECT_EQ(status.channel, "webhook");
  EXPECT_TRUE(status.last_success);
}

TEST_F(SubscriptionWorkerTest, ASubscriptionAddedLaterIsToldOnlyOfLaterEvents) {
  commit({alert_record(analysis::EventType::kAlertFiring, "a:1", 5)});  // seq 1: before it was added
  Subscription s = subscription();
  s.starts_after = 1;
  auto worker = start(s);
  commit({alert_record(analysis::EventType::kAlertResolved, "a:1", 6), alert_record(analysis::EventType::kAlertFiring, "b:1", 6)});
  pass(*worker);
  now += 10s;
  pass(*worker);
  ASSERT_EQ(receiver.requests().size(), 1u) << "b:1's firing; neither a:1's firing nor its end";
  EXPECT_NE(receiver.requests()[0].body.find("b:1"), std::string::npos);
  EXPECT_EQ(receiver.requests()[0].body.find("a:1"), std::string::npos);
  EXPECT_EQ(cursor(), 3);
}

TEST_F(SubscriptionWorkerTest, EventsOutsideTheMatchMoveTheCursorOnly) {
  auto worker = start(subscription());
  commit({restart_record("a:1", 3), restart_record("b:1", 3), restart_record("c:1", 3)});
  pass(*worker);
  EXPECT_EQ(cursor(), 3) << "read in batches of 2, none taken";
  EXPECT_TRUE(receiver.requests().empty());
}

TEST_F(SubscriptionWorkerTest, TheCursorWaitsForTheOldestUntoldNotification) {
  auto worker = start(subscription());
  commit({alert_record(analysis::EventType::kAlertFiring, "a:1", 5)});
  pass(*worker);
  now += 5s;
  commit({alert_record(analysis::EventType::kAlertFiring, "b:1", 6)});
  pass(*worker);
  now += 5s;
  pass(*worker);  // a:1's group is due, b:1's is not
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(cursor(), 1) << "b:1 (seq 2) still waits";
  now += 5s;
  pass(*worker);
  EXPECT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(cursor(), 2);
}

TEST_F(SubscriptionWorkerTest, ARestartTellsWhatWasNotDeliveredWithTheSameIdAndNothingDeliveredAgain) {
  auto worker = start(subscription());
  commit({alert_record(analysis::EventType::kAlertFiring, "a:1", 5)});
  pass(*worker);
  now += 10s;
  pass(*worker);
  ASSERT_EQ(ids().size(), 1u);
  commit({alert_record(analysis::EventType::kAlertFiring, "b:1", 6)});
  pass(*worker);
  now += 10s;
  // b:1's message fails, and the process dies during its retries (before giving up).
  receiver.answer_next(http::Response::json(503, "{}"));
  calls_left = 1;
  pass(*worker);
  worker.reset();
  calls_left = 1 << 30;
  ASSERT_EQ(ids().size(), 2u);
  const std::string failed_id = ids()[1];
  EXPECT_EQ(cursor(), 1) << "b:1 was not delivered";

  auto restarted = start(subscription());
  pass(*restarted);
  now += 10s;
  pass(*restarted);
  ASSERT_EQ(ids().size(), 3u) << "a:1 is not told again; b:1 is";
  EXPECT_EQ(ids()[2], failed_id) << "the same message, the same id";
  EXPECT_EQ(cursor(), 2);

  // Its end is told after another restart, though the firing was read before it.
  restarted.reset();
  auto again = start(subscription());
  commit({alert_record(analysis::EventType::kAlertResolved, "a:1", 9)});
  pass(*again);
  now += 60s;  // a restored group is looked at group_interval after its alert was told
  pass(*again);
  ASSERT_EQ(ids().size(), 4u);
  EXPECT_NE(receiver.requests()[3].body.find("\"status\":\"resolved\""), std::string::npos);
}

TEST_F(SubscriptionWorkerTest, AMessageOutOfAttemptsIsGivenUpAndCounted) {
  auto worker = start(subscription());
  receiver.answer_next(http::Response::json(503, "{}"));
  receiver.answer_next(http::Response::json(503, "{}"));
  commit({alert_record(analysis::EventType::kAlertFiring, "a:1", 5)});
  pass(*worker);
  now += 10s;
  pass(*worker);
  EXPECT_EQ(receiver.requests().size(), 2u) << "max_attempts 2";
  const auto status = worker->status();
  EXPECT_EQ(status.failed, 1u);
  EXPECT_EQ(status.retries, 1u);
  EXPECT_NE(status.last_error.find("503"), std::string::npos) << status.last_error;
  EXPECT_EQ(cursor(), 1) << "given up: the cursor moves on";
}

TEST_F(SubscriptionWorkerTest, AWorkerThatMayNotDeliverSendsNothingAndKeepsTheCursor) {
  auto worker = start(subscription());
  commit({alert_record(analysis::EventType::kAlertFiring, "a:1", 5)});
  pass(*worker);
  now += 10s;
  keep_going = false;
  pass(*worker);
  EXPECT_TRUE(receiver.requests().empty());
  EXPECT_EQ(cursor(), 0);
  EXPECT_EQ(worker->status().delivered + worker->status().failed, 0u);
}

}  // namespace
}  // namespace pnode::app
