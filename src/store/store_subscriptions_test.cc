// Notification subscriptions added through the API, on every backend: added with ids
// never reused and the outbox position they start after, listed, bounded in number, names
// unique, removed, and kept across reopening.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.h"
#include "store/store_backend_test_support.h"
#include "store/store_test_support.h"

namespace pnode::store {
namespace {

using namespace testing_support;

class StoreSubscriptionBackends : public StoreBackendTest {};
PNODE_STORE_BACKENDS(StoreSubscriptionBackends);

SubscriptionRecord subscription(const std::string& name) {
  SubscriptionRecord s;
  s.name = name;
  s.spec = R"({"name":")" + name + R"(","channel":{"type":"webhook","url":"http://127.0.0.1:1/"}})";
  return s;
}

EventRecord event(const std::string& id) { return EventRecord{id, "node_offline", 1000, 1, "a:1", "", "{}"}; }

TEST_P(StoreSubscriptionBackends, AreAddedListedAndRemovedWithIdsNeverReused) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->subscriptions().value().empty());
  auto first = store->add_subscription(subscription("hook"), 1000, 10);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->id, "api-1");
  EXPECT_EQ(first->created_at, 1000);
  EXPECT_EQ(first->starts_after, 0) << "an empty outbox";
  auto second = store->add_subscription(subscription("mail"), 1001, 10);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(store->subscriptions().value(), (std::vector<SubscriptionRecord>{*first, *second}));

  EXPECT_TRUE(store->remove_subscription(first->id).value());
  EXPECT_FALSE(store->remove_subscription(first->id).value()) << "already gone";
  for (const char* bad : {"", "api-", "api-x", "1", "s1", "api-1x"})
    EXPECT_FALSE(store->remove_subscription(bad).value()) << bad;
  auto third = store->add_subscription(subscription("hook"), 1002, 10);
  ASSERT_TRUE(third.ok()) << "the name is free again";
  EXPECT_EQ(third->id, "api-3") << "an id is never given twice";

  store.reset();
  store = open();
  EXPECT_EQ(store->subscriptions().value(), (std::vector<SubscriptionRecord>{*second, *third}));
}

TEST_P(StoreSubscriptionBackends, StartAfterTheNewestEventOfTheOutbox) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->write_events({event("e1"), event("e2")}).ok());
  const int64_t newest = store->last_event_seq().value();
  ASSERT_GT(newest, 0);
  auto added = store->add_subscription(subscription("hook"), 1000, 10);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(added->starts_after, newest);
  ASSERT_TRUE(store->write_events({event("e3")}).ok());
  EXPECT_EQ(store->subscriptions().value().at(0).starts_after, newest) << "fixed when added";
}

TEST_P(StoreSubscriptionBackends, AtMostMaxCountAndNamesUnique) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->add_subscription(subscription("a"), 1000, 2).ok());
  auto same = store->add_subscription(subscription("a"), 1000, 2);
  ASSERT_FALSE(same.ok());
  EXPECT_TRUE(same.error().is(ErrorCode::kConstraint)) << same.error().message;
  ASSERT_TRUE(store->add_subscription(subscription("b"), 1000, 2).ok());
  auto refused = store->add_subscription(subscription("c"), 1000, 2);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(ErrorCode::kTooLarge)) << refused.error().message;
  EXPECT_EQ(store->subscriptions().value().size(), 2u) << "nothing added";
  ASSERT_TRUE(store->remove_subscription("api-1").value());
  EXPECT_TRUE(store->add_subscription(subscription("c"), 1000, 2).ok()) << "room again";
}

}  // namespace
}  // namespace pnode::store
