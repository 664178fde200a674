// Server-Sent Events support of http::Server (event_stream.h), driven by a raw loopback client.
#include "http/event_stream.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "http/server.h"
#include "http/test_sockets.h"

namespace pnode::http {
namespace {

using namespace std::chrono_literals;
using testing::RawConnection;

std::shared_ptr<const std::string> frame(int id, std::string data = "{}") {
  return std::make_shared<const std::string>(format_event_frame(std::to_string(id), "tick", data));
}

TEST(EventFrame, WritesIdTypeAndOneDataLinePerLine) {
  EXPECT_EQ(format_event_frame("7", "node_offline", "{\"a\":1}"), "id: 7\nevent: node_offline\ndata: {\"a\":1}\n\n");
  EXPECT_EQ(format_event_frame("1", "t", "a\nb\r\nc\rd"), "id: 1\nevent: t\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(format_event_frame("", "", "x"), "data: x\n\n");
}

// A line break in the id or type would end the field early and let the rest pose as
// another field (an injected "data:" or "id:" line).
TEST(EventFrame, DropsLineBreaksFromIdAndType) {
  EXPECT_EQ(format_event_frame("1\nid: 99", "a\r\ndata: x", "y"), "id: 1id: 99\nevent: adata: x\ndata: y\n\n");
  EXPECT_EQ(format_event_comment("a\nb"), ": ab\n\n");
}

TEST(EventStreamMailbox, QueuesUntilAttachedThenWakes) {
  EventStreamMailbox mailbox;
  EXPECT_TRUE(mailbox.push(frame(1)));
  EXPECT_TRUE(mailbox.push(frame(2)));
  int wakes = 0;
  mailbox.attach([&] { ++wakes; });
  EXPECT_EQ(wakes, 1) << "frames were waiting: the session is woken at once";
  EXPECT_EQ(mailbox.take().size(), 2u);
  EXPECT_TRUE(mailbox.push(frame(3)));
  EXPECT_EQ(wakes, 2);
  mailbox.detach();
  EXPECT_FALSE(mailbox.push(frame(4))) << "a stream whose connection ended takes nothing more";
}

TEST(EventStreamMailbox, OneFrameOverTheBoundClosesTheStream) {
  EventStreamMailbox mailbox(EventStreamOptions{.max_queued = 3});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(mailbox.push(frame(i)));
  EXPECT_FALSE(mailbox.overflowed());
  EXPECT_FALSE(mailbox.push(frame(3)));
  EXPECT_TRUE(mailbox.overflowed());
  EXPECT_TRUE(mailbox.closed());
  EXPECT_TRUE(mailbox.take().empty()) << "an overflowed stream drops what it held";
}

// A server whose /events answer opens a stream on a fresh mailbox, kept for the test.
class EventStreamServer : public ::testing::Test {
 protected:
  void start(EventStreamOptions options, std::string backlog = {}) {
    server_ = std::make_unique<Server>(ServerOptions{}, [this, options, backlog](const Request& request) {
      if (request.target != "/events") return Response::text(404, "no");
      auto mailbox = std::make_shared<EventStreamMailbox>(options);
      std::lock_guard lock(mutex_);
      mailboxes_.push_back(mailbox);
      return open_event_stream(mailbox, backlog);
    });
    auto ports = server_->start();
    ASSERT_TRUE(ports.ok());
    port_ = (*ports)[0];
  }

  std::shared_ptr<EventStreamMailbox> mailbox(size_t i) {
    for (int tries = 0; tries < 300; ++tries) {
      {
        std::lock_guard lock(mutex_);
        if (mailboxes_.size() > i) return mailboxes_[i];
      }
      std::this_thread::sleep_for(10ms);
    }
    return nullptr;
  }

  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  std::mutex mutex_;
  std::vector<std::shared_ptr<EventStreamMailbox>> mailboxes_;
};

TEST_F(EventStreamServer, WritesTheHeadTheBacklogThenLiveFramesInOrder) {
  start({}, format_event_frame("1", "tick", "old"));
  RawConnection client(port_);
  ASSERT_TRUE(client.send_all("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string head = client.read_until("\r\n\r\n");
  EXPECT_NE(head.find("HTTP/1.1 200"), std::string::npos) << head;
  EXPECT_NE(head.find("text/event-stream"), std::string::npos) << head;
  EXPECT_NE(head.find("Cache-Control: no-store"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << "a stream has no length: " << head;
  EXPECT_EQ(client.read_until("\n\n"), "id: 1\nevent: tick\ndata: old\n\n");
  EXPECT_EQ(client.read_until("\n\n"), "retry: 3000\n\n");
  auto box = mailbox(0);
  ASSERT_TRUE(box);
  for (int i = 2; i <= 4; ++i) ASSERT_TRUE(box->push(frame(i, "live" + std::to_string(i))));
  for (int i = 2; i <= 4; ++i)
    EXPECT_EQ(client.read_until("\n\n"), "id: " + std::to_string(i) + "\nevent: tick\ndata: live" + std::to_string(i) + "\n\n");
}

// Frames pushed while the handler is still answering (between the mailbox's registration
// and the head's write) wait in the mailbox and follow the backlog.
TEST_F(EventStreamServer, FramesPushedBeforeTheHeadIsWrittenAreNotLost) {
  EventStreamOptions options;
  server_ = std::make_unique<Server>(ServerOptions{}, [&options](const Request&) {
    auto mailbox = std::make_shared<EventStreamMailbox>(options);
    mailbox->push(frame(5, "early"));
    return open_event_stream(mailbox, format_event_frame("4", "tick", "backlog"));
  });
  auto ports = server_->start();
  ASSERT_TRUE(ports.ok());
  RawConnection client((*ports)[0]);
  ASSERT_TRUE(client.send_all("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
  client.read_until("\r\n\r\n");
  EXPECT_EQ(client.read_until("\n\n"), "id: 4\nevent: tick\ndata: backlog\n\n");
  EXPECT_EQ(client.read_until("\n\n"), "retry: 3000\n\n");
  EXPECT_EQ(client.read_until("\n\n"), "id: 5\nevent: tick\ndata: early\n\n");
}

TEST_F(EventStreamServer, AnIdleStreamGetsHeartbeats) {
  start(EventStreamOptions{.heartbeat = 100ms});
  RawConnection client(port_);
  ASSERT_TRUE(client.send_all("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
  client.read_until("retry: 3000\n\n");
  EXPECT_EQ(client.read_until("\n\n"), ": heartbeat\n\n");
  EXPECT_EQ(client.read_until("\n\n"), ": heartbeat\n\n");
}

TEST_F(EventStreamServer, ClosingTheMailboxEndsTheResponseAfterWhatWasQueued) {
  start({});
  RawConnection client(port_);
  ASSERT_TRUE(client.send_all("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
  client.read_until("retry: 3000\n\n");
  auto box = mailbox(0);
  ASSERT_TRUE(box);
  box->push(frame(1));
  box->close();
  EXPECT_EQ(client.read_until("\n\n"), "id: 1\nevent: tick\ndata: {}\n\n");
  EXPECT_TRUE(client.closed_by_peer());
}

// A client that stops reading is not waited for: the frames pile up in its mailbox until
// the bound closes the stream, and the server drops the connection (and its slot).
TEST_F(EventStreamServer, AReaderTooSlowIsDisconnectedAtTheBound) {
  start(EventStreamOptions{.max_queued = 8});
  RawConnection client(port_);
  ASSERT_TRUE(client.send_all("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
  client.read_until("retry: 3000\n\n");
  auto box = mailbox(0);
  ASSERT_TRUE(box);
  const std::string big(64 * 1024, 'x');  // fills the socket buffers quickly
  bool refused = false;
  for (int i = 0; i < 20000 && !refused; ++i) refused = !box->push(frame(i, big));
  EXPECT_TRUE(refused) << "the mailbox never closed";
  EXPECT_TRUE(box->overflowed());
  for (int tries = 0; tries < 300 && server_->open_connections() > 0; ++tries) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(server_->open_connections(), 0u) << "the slow reader's connection is still open";
}

// With too few events to overflow the mailbox, a write that stays stuck for two heartbeats
// (the client stopped reading) ends the connection too.
TEST_F(EventStreamServer, AWriteStalledForTwoHeartbeatsEndsTheStream) {
  start(EventStreamOptions{.max_queued = 1000, .heartbeat = 100ms});
  RawConnection client(port_);
  ASSERT_TRUE(client.send_all("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
  client.read_until("retry: 3000\n\n");
  auto box = mailbox(0);
  ASSERT_TRUE(box);
  const std::string big(1 << 20, 'x');
  for (int i = 0; i < 64 && box->push(frame(i, big)); ++i) {
  }
  for (int tries = 0; tries < 300 && server_->open_connections() > 0; ++tries) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(server_->open_connections(), 0u) << "a stalled write kept the connection";
  EXPECT_FALSE(box->overflowed());
}

TEST_F(EventStreamServer, AClientThatLeavesDetachesItsMailbox) {
  start({});
  {
    RawConnection client(port_);
    ASSERT_TRUE(client.send_all("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
    client.read_until("retry: 3000\n\n");
  }
  auto box = mailbox(0);
  ASSERT_TRUE(box);
  bool refused = false;
  for (int tries = 0; tries < 300 && !refused; ++tries) {
    refused = !box->push(frame(tries));
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(refused) << "the publisher would keep feeding a stream nobody reads";
}

TEST_F(EventStreamServer, AHeadRequestGetsTheHeadOnlyAndNoStream) {
  start({});
  RawConnection client(port_);
  ASSERT_TRUE(client.send_all("HEAD /events HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string head = client.read_response(/*has_body=*/false);
  EXPECT_NE(head.find("HTTP/1.1 200"), std::string::npos) << head;
  auto box = mailbox(0);
  ASSERT_TRUE(box);
  for (int tries = 0; tries < 300 && !box->closed(); ++tries) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(box->closed()) << "a stream that was never opened must not take frames";
}

}  // namespace
}  // namespace pnode::http
