// EventRelay over a SQLite store: with a recording publisher (order, cursor, failures,
// restart) and with a real NATS JetStream server on loopback (de-duplication by id).
#include "app/event_relay.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "broker/nats_publisher.h"
#include "broker/nats_test_server.h"
#include "store/store_test_support.h"

namespace pnode::app {
namespace {

store::EventRecord event_record(const std::string& id) {
  return store::EventRecord{id, "node_offline", 1000, 1, "10.0.0.1:9001", "pk", "{\"id\":\"" + id + "\"}"};
}

class EventRelayTest : public ::testing::Test {
 protected:
  void SetUp() override { store = store::testing_support::open_ok(dir.file("relay.db")); }

  void commit(std::vector<std::string> ids) {
    std::vector<store::EventRecord> events;
    for (auto& id : ids) events.push_back(event_record(id));
    ASSERT_TRUE(store->write_events(events).ok());
  }

  store::testing_support::TempDir dir;
  std::unique_ptr<store::Store> store;
};

TEST_F(EventRelayTest, PublishesEachEventOnceInOrderAcrossRestarts) {
  std::vector<std::string> published;
  auto record = [&](const store::StoredEvent& e) {
    published.push_back(e.event.id);
    return ok_status();
  };
  commit({"a", "b", "c"});
  EventRelay relay(*store, record, "nats", /*batch=*/2);
  EXPECT_EQ(relay.relay_once().value(), 3u) << "in batches of 2";
  EXPECT_EQ(relay.relay_once().value(), 0u);
  EventRelay restarted(*store, record, "nats", 2);
  EXPECT_EQ(restarted.relay_once().value(), 0u) << "the cursor is in the store";
  commit({"d"});
  EXPECT_EQ(restarted.relay_once().value(), 1u);
  EXPECT_EQ(published, (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST_F(EventRelayTest, AFailedPublishIsRetriedFromThatEvent) {
  std::vector<std::string> published;
  bool broker_down = false;
  EventRelay relay(*store, [&](const store::StoredEvent& e) -> Status {
    if (broker_down && e.event.id == "b") return make_error(ErrorCode::kTimeout, "no acknowledgement");
    published.push_back(e.event.id);
    return ok_status();
  });
  commit({"a", "b", "c"});
  broker_down = true;
  EXPECT_FALSE(relay.relay_once().ok());
  broker_down = false;
  EXPECT_EQ(relay.relay_once().value(), 2u);
  EXPECT_EQ(published, (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(EventRelayTest, WithNatsEveryEventIsStoredOnceEvenWhenTheCursorIsLost) {
  auto server = broker::NatsTestServer::start();
  if (!server.ok()) GTEST_SKIP() << server.error().message;
  broker::NatsOptions options;
  options.url = (*server)->url();
  auto publisher = broker::NatsPublisher::connect(options);
  ASSERT_TRUE(publisher.ok()) << publisher.error().message;
  int stored = 0, duplicates = 0;
  auto to_nats = [&](const store::StoredEvent& e) -> Status {
    auto ack = (*publisher)->publish(e.event.type, e.event.id, e.event.body);
    if (!ack.ok()) return ack.error();
    (ack->duplicate ? duplicates : stored)++;
    return ok_status();
  };
  commit({"1.0:node_offline:10.0.0.1:9001", "1.0:node_offline:10.0.0.2:9001"});
  EventRelay relay(*store, to_nats);
  ASSERT_TRUE(relay.relay_once().ok());
  ASSERT_TRUE(EventRelay(*store, to_nats).relay_once().ok()) << "a restart resends nothing";
  EXPECT_EQ(stored, 2);
  EXPECT_EQ(duplicates, 0);
  ASSERT_TRUE(store->save_event_cursor("nats", 0).ok());  // as if the cursor's save was lost
  ASSERT_TRUE(relay.relay_once().ok());
  EXPECT_EQ(stored, 2) << "the broker keeps each id once";
  EXPECT_EQ(duplicates, 2);
}

}  // namespace
}  // namespace pnode::app
