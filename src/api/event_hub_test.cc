// The event stream: EventHub alone, and GET /events/stream over a real server and a
// SQLite store, including a client that reconnects with Last-Event-ID.
#include "api/event_hub.h"

#include <gtest/gtest.h>

#include <string>

#include "api/route_test_support.h"
#include "http/server.h"
#include "http/test_sockets.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

store::EventRecord event_record(const std::string& id, const std::string& address, const std::string& type) {
  return store::EventRecord{id, type, 1000, 2, address, "pk", "{\"id\":\"" + id + "\"}"};
}

std::vector<std::string> queued(http::EventStreamMailbox& box) {
  std::vector<std::string> out;
  for (const auto& f : box.take()) out.push_back(*f);
  return out;
}

TEST(EventSubscription, HoldsLiveEventsUntilTheBacklogEndsAndSendsOnlyThosePastIt) {
  EventSubscription s({}, {});
  auto frame = [](int n) { return std::make_shared<const std::string>("f" + std::to_string(n)); };
  s.offer(3, frame(3));
  s.offer(4, frame(4));
  EXPECT_TRUE(queued(*s.mailbox()).empty()) << "nothing before the backlog was written";
  s.start(3);  // the backlog had events up to 3
  s.offer(3, frame(3));
  s.offer(5, frame(5));
  EXPECT_EQ(queued(*s.mailbox()), (std::vector<std::string>{"f4", "f5"}));
}

TEST(EventSubscription, TooManyHeldEventsCloseTheStream) {
  http::EventStreamOptions options;
  options.max_queued = 2;
  EventSubscription s({}, options);
  for (int i = 1; i <= 3; ++i) s.offer(i, std::make_shared<const std::string>("f"));
  EXPECT_TRUE(s.mailbox()->closed());
}

TEST(EventHub, RefusesStreamsBeyondTheBoundAndCountsOnlyOpenOnes) {
  EventHubOptions options;
  options.max_streams = 2;
  EventHub hub(options);
  auto a = hub.subscribe({});
  auto b = hub.subscribe({});
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(hub.subscribe({})) << "a third stream is refused";
  a->mailbox()->close();  // its client left
  EXPECT_TRUE(hub.subscribe({})) << "a closed stream frees its place";
}

class EventStreamRoute : public RoutesTest {
 protected:
  void SetUp() override {
    EventHubOptions options;
    options.max_streams = 4;
    options.max_backlog = 50;
    event_hub = std::make_shared<EventHub>(options);
    ApiConfig c;
    c.event_hub = event_hub;
    with_store(c);
    server = std::make_unique<http::Server>(http::ServerOptions{}, api->handler());
    auto ports = server->start();
    ASSERT_TRUE(ports.ok());
    port = (*ports)[0];
  }
  void TearDown() override {
    event_hub->close_all();
    if (server) server->stop();
  }

  // Commits events and publishes them, as the collector's hook does.
  void commit(std::vector<store::EventRecord> events) {
    ASSERT_TRUE(store->write_events(events).ok());
    ASSERT_TRUE(event_hub->publish_committed(*store).ok());
  }

  // Opens a stream; returns the connection after its head.
  std::unique_ptr<http::testing::RawConnection> connect(const std::string& target, const std::string& headers = "") {
    auto c = std::make_unique<http::testing::RawConnection>(port);
    EXPECT_TRUE(c->send_all("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n"));
    head = c->read_until("\r\n\r\n");
    return c;
  }

  // The next event's id and JSON ("" when the stream ended or timed out); skips the
  // retry line and heartbeats.
  std::pair<std::string, std::string> next_event(http::testing::RawConnection& c) {
    for (;;) {
      std::string frame = c.read_until("\n\n");
      if (frame.empty()) return {};
      if (frame.rfind("id: ", 0) != 0) continue;
      auto id_end = frame.find('\n');
      auto data = frame.find("data: ");
      return {frame.substr(4, id_end - 4), frame.substr(data + 6, frame.find('\n', data) - data - 6)};
    }
  }

  std::shared_ptr<EventHub> event_hub;
  std::unique_ptr<http::Server> server;
  uint16_t port = 0;
  std::string head;
};

TEST_F(EventStreamRoute, AClientThatReconnectsWithLastEventIdMissesNothing) {
  commit({event_record("e1", "a", "node_offline"), event_record("e2", "b", "node_online")});
  auto client = connect("/events/stream?after=0");
  ASSERT_NE(head.find("200"), std::string::npos) << head;
  auto first = next_event(*client);
  EXPECT_EQ(first.second, "{\"id\":\"e1\"}") << "the backlog";
  EXPECT_EQ(next_event(*client).second, "{\"id\":\"e2\"}");
  commit({event_record("e3", "a", "node_online")});
  auto third = next_event(*client);
  EXPECT_EQ(third.second, "{\"id\":\"e3\"}") << "live";
  client.reset();  // the client goes away; events go on

  commit({event_record("e4", "a", "node_offline"), event_record("e5", "b", "node_offline")});
  auto again = connect("/events/stream", "Last-Event-ID: " + third.first + "\r\n");
  ASSERT_NE(head.find("200"), std::string::npos) << head;
  auto fourth = next_event(*again);
  EXPECT_EQ(fourth.second, "{\"id\":\"e4\"}");
  EXPECT_EQ(std::stoll(fourth.first), std::stoll(third.first) + 1) << "sequence numbers are the ids";
  EXPECT_EQ(next_event(*again).second, "{\"id\":\"e5\"}");
  commit({event_record("e6", "a", "node_online")});
  EXPECT_EQ(next_event(*again).second, "{\"id\":\"e6\"}") << "then live again, nothing twice";
}

TEST_F(EventStreamRoute, WithoutACursorAStreamStartsWithTheNextEventAndHonoursItsFilter) {
  commit({event_record("old", "a", "node_offline")});
  auto client = connect("/events/stream?node=b");
  ASSERT_NE(head.find("200"), std::string::npos) << head;
  commit({event_record("for-a", "a", "node_online"), event_record("for-b", "b", "node_online")});
  EXPECT_EQ(next_event(*client).second, "{\"id\":\"for-b\"}");
}

TEST_F(EventStreamRoute, ABacklogAtItsBoundEndsTheStreamSoTheClientResumesFromItsEnd) {
  std::vector<store::EventRecord> many;
  for (int i = 0; i < 60; ++i) many.push_back(event_record("m" + std::to_string(i), "a", "node_online"));
  commit(many);
  auto client = connect("/events/stream?after=0");
  std::string last_id;
  int received = 0;
  for (auto e = next_event(*client); !e.first.empty(); e = next_event(*client)) {
    last_id = e.first;
    ++received;
  }
  EXPECT_EQ(received, 50) << "at most max_backlog, then the stream ends";
  auto rest = connect("/events/stream", "Last-Event-ID: " + last_id + "\r\n");
  EXPECT_EQ(next_event(*rest).second, "{\"id\":\"m50\"}") << "the rest, from where the first stream ended";
  for (int i = 51; i < 60; ++i) EXPECT_EQ(next_event(*rest).second, "{\"id\":\"m" + std::to_string(i) + "\"}");
}

TEST_F(EventStreamRoute, RefusesStreamsBeyondTheBoundAndABadLastEventId) {
  std::vector<std::unique_ptr<http::testing::RawConnection>> open;
  for (int i = 0; i < 4; ++i) {
    open.push_back(connect("/events/stream"));
    ASSERT_NE(head.find("200"), std::string::npos) << head;
  }
  auto refused = std::make_unique<http::testing::RawConnection>(port);
  ASSERT_TRUE(refused->send_all("GET /events/stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(refused->read_response().find("HTTP/1.1 503"), std::string::npos);
  open.clear();
  event_hub->close_all();
  auto bad = std::make_unique<http::testing::RawConnection>(port);
  ASSERT_TRUE(bad->send_all("GET /events/stream HTTP/1.1\r\nHost: x\r\nLast-Event-ID: abc\r\n\r\n"));
  EXPECT_NE(bad->read_response().find("HTTP/1.1 400"), std::string::npos);
}

class EventStreamWithoutHub : public RoutesTest {};

TEST_F(EventStreamRoute, TheBatchListenerGetsEveryCommittedEventOnceInOrder) {
  std::vector<std::string> heard;
  event_hub->set_batch_listener([&heard](const std::vector<store::StoredEvent>& batch) {
    for (const auto& e : batch) heard.push_back(e.event.id);
  });
  commit({event_record("1.0:a", "127.0.0.1:1", "node_offline"), event_record("1.0:b", "127.0.0.1:2", "node_online")});
  ASSERT_TRUE(event_hub->publish_committed(*store).ok()) << "nothing new: no second call";
  commit({event_record("2.0:c", "127.0.0.1:1", "node_online")});
  EXPECT_EQ(heard, (std::vector<std::string>{"1.0:a", "1.0:b", "2.0:c"}));
}

TEST_F(EventStreamWithoutHub, IsUnavailable) {
  with_store();
  EXPECT_EQ(get("/events/stream").status, 503);
}

}  // namespace
}  // namespace pnode::api
