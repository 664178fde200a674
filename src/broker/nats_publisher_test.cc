// NatsPublisher against a real nats-server with JetStream on loopback (NatsTestServer),
// read back with a JetStream pull consumer.
#include "broker/nats_publisher.h"

#include <gtest/gtest.h>
#include <nats/nats.h>

#include <string>
#include <thread>
#include <vector>

#include "broker/nats_test_server.h"

namespace pnode::broker {
namespace {

using namespace std::chrono_literals;

struct Received {
  std::string subject, msg_id, data;
};

// A plain JetStream client of the test: stream counts and the messages stored.
class Reader {
 public:
  explicit Reader(const std::string& url) {
    natsConnection_ConnectTo(&connection_, url.c_str());
    if (connection_) natsConnection_JetStream(&js_, connection_, nullptr);
  }
  ~Reader() {
    if (subscription_) natsSubscription_Destroy(subscription_);
    if (js_) jsCtx_Destroy(js_);
    if (connection_) natsConnection_Destroy(connection_);
  }

  uint64_t stored(const std::string& stream = "PNODE_EVENTS") {
    jsStreamInfo* info = nullptr;
    if (js_GetStreamInfo(&info, js_, stream.c_str(), nullptr, nullptr) != NATS_OK) return 0;
    const uint64_t n = info->State.Msgs;
    jsStreamInfo_Destroy(info);
    return n;
  }

  std::vector<Received> fetch(int at_most) {
    if (!subscription_) js_PullSubscribe(&subscription_, js_, "pnode.events.>", "test-reader", nullptr, nullptr, nullptr);
    std::vector<Received> out;
    natsMsgList list{};
    if (natsSubscription_Fetch(&list, subscription_, at_most, 2000, nullptr) != NATS_OK) return out;
    for (int i = 0; i < list.Count; ++i) {
      natsMsg* msg = list.Msgs[i];
      const char* id = nullptr;
      natsMsgHeader_Get(msg, "Nats-Msg-Id", &id);
      out.push_back({natsMsg_GetSubject(msg), id ? id : "", std::string(natsMsg_GetData(msg), natsMsg_GetDataLength(msg))});
      natsMsg_Ack(msg, nullptr);
    }
    natsMsgList_Destroy(&list);
    return out;
  }

 private:
  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
  natsSubscription* subscription_ = nullptr;
};

class NatsPublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = NatsTestServer::start();
    if (!server.ok() && server.error().is(ErrorCode::kNotFound)) GTEST_SKIP() << server.error().message;
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = std::move(*server);
    options_.url = server_->url();
    options_.timeout = 2000ms;
  }

  std::unique_ptr<NatsPublisher> connect() {
    auto publisher = NatsPublisher::connect(options_);
    EXPECT_TRUE(publisher.ok()) << publisher.error().message;
    return publisher.ok() ? std::move(*publisher) : nullptr;
  }

  std::unique_ptr<NatsTestServer> server_;
  NatsOptions options_;
};

TEST_F(NatsPublisherTest, CreatesTheStreamAndPublishesOnTheEventTypesSubjectWithItsId) {
  auto publisher = connect();
  ASSERT_TRUE(publisher);
  auto ack = publisher->publish("node_offline", "c42-node_offline-abc", "{\"node\":\"127.0.0.2:9001\"}");
  ASSERT_TRUE(ack.ok()) << ack.error().message;
  EXPECT_FALSE(ack->duplicate);
  EXPECT_EQ(ack->sequence, 1u);
  Reader reader(server_->url());
  auto got = reader.fetch(10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].subject, "pnode.events.node_offline");
  EXPECT_EQ(got[0].msg_id, "c42-node_offline-abc");
  EXPECT_EQ(got[0].data, "{\"node\":\"127.0.0.2:9001\"}");
}

TEST_F(NatsPublisherTest, TheSameIdAgainIsReportedDuplicateAndStoredOnce) {
  auto publisher = connect();
  ASSERT_TRUE(publisher);
  ASSERT_TRUE(publisher->publish("node_online", "id-1", "{}").ok());
  auto again = publisher->publish("node_online", "id-1", "{}");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->duplicate);
  ASSERT_TRUE(publisher->publish("node_online", "id-2", "{}").ok());
  EXPECT_EQ(Reader(server_->url()).stored(), 2u);
}

// Our process restarting republishes what its outbox had not marked delivered: a new
// connection (the stream exists already) and the broker's own restart keep the de-dup.
TEST_F(NatsPublisherTest, ARestartedPublisherOrBrokerDoesNotStoreAnEventTwice) {
  {
    auto first = connect();
    ASSERT_TRUE(first);
    ASSERT_TRUE(first->publish("node_discovered", "id-7", "{}").ok());
  }
  auto second = connect();
  ASSERT_TRUE(second);
  auto ack = second->publish("node_discovered", "id-7", "{}");
  ASSERT_TRUE(ack.ok()) << ack.error().message;
  EXPECT_TRUE(ack->duplicate);
  second.reset();
  ASSERT_TRUE(server_->restart().ok());
  auto third = connect();
  ASSERT_TRUE(third);
  ack = third->publish("node_discovered", "id-7", "{}");
  ASSERT_TRUE(ack.ok()) << ack.error().message;
  EXPECT_TRUE(ack->duplicate) << "the broker forgot the id across its restart";
  EXPECT_EQ(Reader(server_->url()).stored(), 1u);
}

TEST_F(NatsPublisherTest, OutOfBoundsInputIsRefusedAndNothingIsSent) {
  auto publisher = connect();
  ASSERT_TRUE(publisher);
  for (std::string type : std::vector<std::string>{"", "a.b", "node offline", "*", ">", std::string(65, 'a')}) {
    auto r = publisher->publish(type, "id", "{}");
    ASSERT_FALSE(r.ok()) << "type \"" << type << "\" was accepted";
    EXPECT_TRUE(r.error().is(ErrorCode::kInvalidData));
  }
  for (std::string id : std::vector<std::string>{"", "with space", "line\nbreak", std::string(129, 'i')}) {
    auto r = publisher->publish("node_online", id, "{}");
    ASSERT_FALSE(r.ok()) << "id \"" << id << "\" was accepted";
    EXPECT_TRUE(r.error().is(ErrorCode::kInvalidData));
  }
  auto big = publisher->publish("node_online", "big", std::string(2 << 20, 'x'));  // default max_payload: 1 MiB
  ASSERT_FALSE(big.ok());
  EXPECT_TRUE(big.error().is(ErrorCode::kInvalidData));
  EXPECT_TRUE(publisher->publish("node_online", std::string(128, 'i'), "{}").ok()) << "the longest id is allowed";
  EXPECT_TRUE(publisher->publish(std::string(64, 'a'), "t64", "{}").ok()) << "the longest type is allowed";
  EXPECT_EQ(Reader(server_->url()).stored(), 2u);
}

TEST_F(NatsPublisherTest, NoServerIsAnErrorNotAHang) {
  server_->stop();
  auto publisher = NatsPublisher::connect(options_);
  ASSERT_FALSE(publisher.ok());
  EXPECT_TRUE(publisher.error().is(ErrorCode::kRefused) || publisher.error().is(ErrorCode::kTimeout))
      << publisher.error().message;
}

TEST_F(NatsPublisherTest, ABrokerThatGoesAwayGivesErrorsThenPublishingResumes) {
  auto publisher = connect();
  ASSERT_TRUE(publisher);
  ASSERT_TRUE(publisher->publish("seed_unreachable", "a", "{}").ok());
  server_->stop();
  EXPECT_FALSE(publisher->publish("seed_unreachable", "b", "{}").ok());
  ASSERT_TRUE(server_->restart().ok());
  bool resumed = false;
  for (int i = 0; i < 50 && !resumed; ++i) {  // libnats reconnects every second
    resumed = publisher->publish("seed_unreachable", "b", "{}").ok();
    if (!resumed) std::this_thread::sleep_for(200ms);
  }
  EXPECT_TRUE(resumed);
  EXPECT_EQ(Reader(server_->url()).stored(), 2u);
}

}  // namespace
}  // namespace pnode::broker
