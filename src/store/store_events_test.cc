// The event outbox on every backend: written in the cycle's transaction, unique by id,
// filtered and paged by sequence number, pruned with history.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.h"
#include "store/store_backend_test_support.h"
#include "store/store_test_support.h"

namespace pnode::store {
namespace {

using namespace testing_support;

class StoreEventBackends : public StoreBackendTest {};
PNODE_STORE_BACKENDS(StoreEventBackends);

EventRecord make_event(const std::string& id, const std::string& type, int64_t time, const std::string& address,
                       const std::string& pubkey = "pk") {
  return EventRecord{id, type, time, 7, address, pubkey, "{\"id\":\"" + id + "\"}"};
}

// A query with one field set by `set`.
template <class Set>
EventQuery query_where(Set set) {
  EventQuery q;
  set(q);
  return q;
}

std::vector<std::string> ids_of(const std::vector<StoredEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.event.id);
  return out;
}

TEST_P(StoreEventBackends, AnEmptyOutboxHasNoLastEvent) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->last_event_seq().value(), 0);
}

TEST_P(StoreEventBackends, CycleEventsAreStoredOnceInOrderWithGrowingSequenceNumbers) {
  auto store = open();
  ASSERT_TRUE(store);
  CycleWrite w = make_cycle(1, 1000, addresses(1));
  w.events = {make_event("1.0:node_discovered:a", "node_discovered", 1000, "a"),
              make_event("1.0:node_discovered:b", "node_discovered", 1000, "b")};
  ASSERT_TRUE(store->write_cycle(w).ok());
  // The same cycle written again (a crash before the collector knew it committed): no duplicates.
  ASSERT_TRUE(store->write_cycle(w).ok());
  ASSERT_TRUE(store->write_events({make_event("1.1:seed_unreachable:", "seed_unreachable", 1010, "", "")}).ok());

  auto all = store->read_events({});
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(ids_of(*all), (std::vector<std::string>{"1.0:node_discovered:a", "1.0:node_discovered:b",
                                                    "1.1:seed_unreachable:"}));
  EXPECT_LT((*all)[0].seq, (*all)[1].seq);
  EXPECT_LT((*all)[1].seq, (*all)[2].seq);
  EXPECT_EQ((*all)[0].event, w.events[0]);
  EXPECT_EQ(store->last_event_seq().value(), (*all)[2].seq);

  // The outbox survives reopening.
  store.reset();
  store = open();
  auto again = store->read_events({});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *all);
}

TEST_P(StoreEventBackends, ReadsFilterAndPageByCursor) {
  auto store = open();
  ASSERT_TRUE(store);
  CycleWrite w = make_cycle(1, 1000, addresses(1));
  w.events = {make_event("e1", "node_offline", 1000, "a", "pa"), make_event("e2", "node_online", 1001, "b", "pb"),
              make_event("e3", "node_offline", 1002, "b", "pb"), make_event("e4", "version_changed", 1003, "a", "pa")};
  ASSERT_TRUE(store->write_cycle(w).ok());

  auto by = [&](EventQuery q) {
    auto r = store->read_events(q);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? ids_of(*r) : std::vector<std::string>{};
  };
  EXPECT_EQ(by(query_where([](EventQuery& q) { q.address = "a"; })), (std::vector<std::string>{"e1", "e4"}));
  EXPECT_EQ(by(query_where([](EventQuery& q) { q.pubkey = "pb"; })), (std::vector<std::string>{"e2", "e3"}));
  EXPECT_EQ(by(query_where([](EventQuery& q) { q.type = "node_offline"; })), (std::vector<std::string>{"e1", "e3"}));
  EXPECT_EQ(by(query_where([](EventQuery& q) { q.since = 1002; })), (std::vector<std::string>{"e3", "e4"}));
  EXPECT_EQ(by(query_where([](EventQuery& q) { q.limit = 2; })), (std::vector<std::string>{"e1", "e2"}));

  auto first = store->read_events(query_where([](EventQuery& q) { q.limit = 2; }));
  ASSERT_TRUE(first.ok());
  const int64_t cursor = first->back().seq;
  EXPECT_EQ(by(query_where([&](EventQuery& q) { q.after = cursor; })), (std::vector<std::string>{"e3", "e4"}));
}

TEST_P(StoreEventBackends, KeepsEachReadersCursor) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->event_cursor("nats").value(), 0) << "a reader that never saved one";
  ASSERT_TRUE(store->save_event_cursor("nats", 5).ok());
  ASSERT_TRUE(store->save_event_cursor("other", 2).ok());
  ASSERT_TRUE(store->save_event_cursor("nats", 7).ok());
  store.reset();
  store = open();
  EXPECT_EQ(store->event_cursor("nats").value(), 7);
  EXPECT_EQ(store->event_cursor("other").value(), 2);
}

TEST_P(StoreEventBackends, RetentionDeletesOldEventsWithTheHistory) {
  auto store = open();
  ASSERT_TRUE(store);
  CycleWrite w = make_cycle(1, 1000, addresses(1));
  w.events = {make_event("old", "node_offline", 1000, "a"), make_event("new", "node_online", 5000, "a")};
  ASSERT_TRUE(store->write_cycle(w).ok());
  CycleWrite later = make_cycle(2, 6000, addresses(1));
  later.retention_cutoff = 4000;
  ASSERT_TRUE(store->write_cycle(later).ok());
  auto left = store->read_events({});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(ids_of(*left), (std::vector<std::string>{"new"}));
}

}  // namespace
}  // namespace pnode::store
