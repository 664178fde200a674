// Notifier over a SQLite store and a webhook receiver on loopback, with its real threads:
// only the lease holder delivers, and stop() ends a delivery waiting between retries
// without counting it or moving the cursor.
#include "app/notifier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "analysis/events.h"
#include "notify/test_receivers.h"
#include "store/store_test_support.h"

namespace pnode::app {
namespace {

using namespace std::chrono_literals;

store::EventRecord firing_record(const std::string& address) {
  const auto type = analysis::EventType::kAlertFiring;
  analysis::AlertTransition t;
  t.rule = analysis::AlertType::kOffline;
  t.severity = analysis::Severity::kCritical;
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  const analysis::Event e{analysis::event_id(3, 0, type, "offline@" + address), type, now, 3, address, "", t};
  return store::EventRecord{e.id, "alert_firing", e.time, 3, address, "", analysis::event_to_json(e)};
}

bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 100 && !done(); ++i) std::this_thread::sleep_for(50ms);
  return done();
}

class NotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store = store::testing_support::open_ok(dir.file("notifier.db"));
    ASSERT_TRUE(store->write_events({firing_record("a:1")}).ok());
  }
  std::vector<Subscription> subscriptions() {
    Subscription s;
    s.name = "hook";
    notify::WebhookSettings hook;
    hook.url = receiver.url("/hook");
    s.channel = hook;
    s.grouping.group_wait = 0ms;
    return {s};
  }

  store::testing_support::TempDir dir;
  std::unique_ptr<store::Store> store;
  notify::testing::HttpReceiver receiver;
  std::atomic<bool> leader{false};
};

TEST_F(NotifierTest, OnlyTheLeaseHolderDelivers) {
  Notifier notifier(*store, subscriptions(), [this] { return leader.load(); }, {std::chrono::milliseconds(50), 500});
  ASSERT_TRUE(notifier.start().ok());
  notifier.poke();
  std::this_thread::sleep_for(300ms);  // several polls as a follower
  EXPECT_TRUE(receiver.requests().empty());
  EXPECT_FALSE(notifier.status().at(0).delivering);
  leader = true;
  notifier.poke();
  ASSERT_TRUE(eventually([&] { return receiver.requests().size() == 1; }));
  ASSERT_TRUE(eventually([&] { return notifier.status().at(0).delivered == 1; }));
  EXPECT_TRUE(notifier.status().at(0).delivering);
  EXPECT_EQ(store->event_cursor("notify:hook").value(), 1);
  notifier.stop();
}

TEST_F(NotifierTest, StopEndsADeliveryWaitingBetweenRetriesWithoutCountingIt) {
  leader = true;
  receiver.answer_by_default(http::Response::json(503, "{}"));
  auto s = subscriptions();
  s[0].retry.initial_backoff = std::chrono::hours(1);  // a wait no test sits through
  s[0].retry.max_backoff = std::chrono::hours(1);
  Notifier notifier(*store, s, [this] { return leader.load(); }, {std::chrono::milliseconds(50), 500});
  ASSERT_TRUE(notifier.start().ok());
  ASSERT_TRUE(eventually([&] { return !receiver.requests().empty(); }));
  notifier.stop();  // returns: the wait between attempts ends on stop
  EXPECT_EQ(notifier.status().at(0).delivered + notifier.status().at(0).failed, 0u);
  EXPECT_EQ(store->event_cursor("notify:hook").value(), 0) << "neither delivered nor given up";
}

TEST_F(NotifierTest, AChannelThatCannotBeBuiltIsAnErrorAtStart) {
  auto s = subscriptions();
  std::get<notify::WebhookSettings>(s[0].channel).secret = "not base64";
  Notifier notifier(*store, s, [] { return true; }, {});
  EXPECT_FALSE(notifier.start().ok());
}

store::SubscriptionRecord stored_subscription(const std::string& name, const std::string& url) {
  store::SubscriptionRecord r;
  r.name = name;
  r.spec = R"({"name":")" + name + R"(","channel":{"type":"webhook","url":")" + url +
           R"("},"grouping":{"group_wait":"0ms"}})";
  return r;
}

TEST_F(NotifierTest, ASubscriptionAddedToTheStoreIsDeliveredWithoutARestartAndRemovingItEndsIt) {
  leader = true;
  Notifier notifier(*store, {}, [this] { return leader.load(); }, {std::chrono::milliseconds(50), 500});
  ASSERT_TRUE(notifier.start().ok());
  EXPECT_TRUE(notifier.status().empty());
  auto added = store->add_subscription(stored_subscription("api-hook", receiver.url("/api")), 1000, 10);
  ASSERT_TRUE(added.ok()) << added.error().message;
  // No reload(): the store is read again every poll (another instance may have added it).
  ASSERT_TRUE(eventually([&] { return notifier.status().size() == 1; }));
  EXPECT_EQ(notifier.status()[0].name, "api-hook");
  ASSERT_TRUE(store->write_events({firing_record("b:1")}).ok());
  notifier.poke();
  ASSERT_TRUE(eventually([&] { return receiver.requests().size() == 1; }));
  EXPECT_NE(receiver.requests()[0].body.find("b:1"), std::string::npos);
  EXPECT_EQ(receiver.requests()[0].body.find("a:1"), std::string::npos) << "committed before it was added";
  ASSERT_TRUE(eventually([&] { return notifier.status().at(0).delivered == 1; }));

  ASSERT_TRUE(store->remove_subscription(added->id).value());
  notifier.reload();
  ASSERT_TRUE(eventually([&] { return notifier.status().empty(); }));
  ASSERT_TRUE(store->write_events({firing_record("c:1")}).ok());
  notifier.poke();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(receiver.requests().size(), 1u) << "removed: nothing more";
  notifier.stop();
}

TEST_F(NotifierTest, AStoredSubscriptionBeyondLoopbackOrNamedLikeAConfigOneIsNotDelivered) {
  leader = true;
  ASSERT_TRUE(store->add_subscription(stored_subscription("far", "http://192.0.2.1/hook"), 1000, 10).ok());
  ASSERT_TRUE(store->add_subscription(stored_subscription("hook", receiver.url("/api")), 1000, 10).ok());
  ASSERT_TRUE(store->add_subscription(stored_subscription("near", receiver.url("/near")), 1000, 10).ok());
  Notifier notifier(*store, subscriptions(), [this] { return leader.load(); }, {std::chrono::milliseconds(50), 500});
  ASSERT_TRUE(notifier.start().ok());
  ASSERT_TRUE(eventually([&] { return notifier.status().size() == 2; }));
  std::this_thread::sleep_for(200ms);
  const auto status = notifier.status();
  ASSERT_EQ(status.size(), 2u) << "the config file's hook and near";
  EXPECT_EQ(status[0].name, "hook");
  EXPECT_EQ(status[1].name, "near");
  notifier.stop();
}

}  // namespace
}  // namespace pnode::app
