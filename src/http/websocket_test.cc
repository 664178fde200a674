// WebSocket support of http::Server, driven by a Beast WebSocket client on loopback.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <optional>
#include <thread>

#include "http/server.h"
#include "http/test_sockets.h"
#include "http/test_websocket_client.h"
#include "http/websocket_hub.h"

namespace pnode::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using namespace std::chrono_literals;

std::shared_ptr<const std::string> text(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

using Client = testing::WebSocketClient;

bool wait_for_sessions(const WebSocketHub& hub, size_t count) {
  for (auto deadline = std::chrono::steady_clock::now() + 3s; std::chrono::steady_clock::now() < deadline;) {
    if (hub.session_count() == count) return true;
    std::this_thread::sleep_for(5ms);
  }
  return hub.session_count() == count;
}

class WebSocketTest : public ::testing::Test {
 protected:
  void start(WebSocketOptions options = {}) {
    std::atomic<int>* opens = &opens_;
    hub_ = std::make_shared<WebSocketHub>(options, [opens] { return text("hello " + std::to_string(++*opens)); });
    ServerOptions server_options;
    server_options.threads = 2;
    server_ = std::make_unique<Server>(server_options, [](const Request& r) { return Response::text(200, "http " + r.target); });
    server_->set_websocket("/ws", hub_);
    auto ports = server_->start();
    ASSERT_TRUE(ports.ok());
    port_ = (*ports)[0];
  }

  std::atomic<int> opens_{0};
  std::shared_ptr<WebSocketHub> hub_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};

TEST_F(WebSocketTest, EachClientGetsItsFirstMessageThenEveryBroadcast) {
  start();
  Client a, b;
  ASSERT_FALSE(a.connect(port_));
  EXPECT_EQ(a.read(), "hello 1");
  ASSERT_FALSE(b.connect(port_, "/ws?x=1"));  // the query string does not matter
  EXPECT_EQ(b.read(), "hello 2");
  ASSERT_TRUE(wait_for_sessions(*hub_, 2));

  hub_->broadcast(text("cycle 1"));
  hub_->broadcast(nullptr);  // ignored
  hub_->broadcast(text("cycle 2"));
  EXPECT_EQ(a.read(), "cycle 1");
  EXPECT_EQ(a.read(), "cycle 2");
  EXPECT_EQ(b.read(), "cycle 1");
  EXPECT_EQ(b.read(), "cycle 2");
}

TEST_F(WebSocketTest, ClientThatLeavesIsRemoved) {
  start();
  Client a, b;
  ASSERT_FALSE(a.connect(port_));
  ASSERT_FALSE(b.connect(port_));
  a.read();
  b.read();
  ASSERT_TRUE(wait_for_sessions(*hub_, 2));
  EXPECT_FALSE(a.close());
  EXPECT_TRUE(wait_for_sessions(*hub_, 1));
  hub_->broadcast(text("still here"));
  EXPECT_EQ(b.read(), "still here");
}

TEST_F(WebSocketTest, ServerStopClosesClientsWithACloseFrame) {
  start();
  Client a;
  ASSERT_FALSE(a.connect(port_));
  a.read();
  ASSERT_TRUE(wait_for_sessions(*hub_, 1));
  std::thread stopper([this] { server_->stop(); });
  beast::error_code ec;
  a.read(&ec);
  stopper.join();
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(hub_->session_count(), 0u);
}

TEST_F(WebSocketTest, HubCloseAllEndsSessions) {
  start();
  Client a;
  ASSERT_FALSE(a.connect(port_));
  a.read();
  ASSERT_TRUE(wait_for_sessions(*hub_, 1));
  hub_->close_all();
  beast::error_code ec;
  a.read(&ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_TRUE(wait_for_sessions(*hub_, 0));
}

TEST_F(WebSocketTest, SlowClientIsDisconnectedOthersKeepReceiving) {
  WebSocketOptions options;
  options.max_queued_messages = 2;
  start(options);
  Client slow;
  ASSERT_FALSE(slow.connect(port_));
  slow.read();
  ASSERT_TRUE(wait_for_sessions(*hub_, 1));
  // The slow client never reads again: the socket buffers fill, then its queue.
  auto big = text(std::string(256 * 1024, 'x'));
  for (int i = 0; i < 200 && hub_->session_count() > 0; ++i) hub_->broadcast(big);
  EXPECT_TRUE(wait_for_sessions(*hub_, 0));

  Client fresh;
  ASSERT_FALSE(fresh.connect(port_));
  EXPECT_EQ(fresh.read(), "hello 2");
  hub_->broadcast(text("after"));
  EXPECT_EQ(fresh.read(), "after");
}

// A raw upgrade request to /ws, with an Origin header unless `origin` is empty.
std::string upgrade_request(const std::string& origin) {
  std::string request =
      "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
  if (!origin.empty()) request += "Origin: " + origin + "\r\n";
  return request + "\r\n";
}

TEST_F(WebSocketTest, UpgradesFromRefusedOriginsGet403) {
  WebSocketOptions options;
  options.allow_origin = [](std::string_view origin) { return origin == "http://localhost:3000"; };
  start(options);
  testing::RawConnection evil(port_);
  ASSERT_TRUE(evil.send_all(upgrade_request("https://evil.example")));
  std::string refused = evil.read_response();
  EXPECT_EQ(refused.rfind("HTTP/1.1 403", 0), 0u) << refused;
  EXPECT_TRUE(evil.closed_by_peer());

  testing::RawConnection good(port_);
  ASSERT_TRUE(good.send_all(upgrade_request("http://localhost:3000")));
  std::string accepted = good.read_response(/*has_body=*/false);
  EXPECT_EQ(accepted.rfind("HTTP/1.1 101", 0), 0u) << accepted;

  testing::RawConnection same_origin(port_);  // the server's own page (the dashboard)
  ASSERT_TRUE(same_origin.send_all(upgrade_request("http://X")));  // Host: x
  std::string own = same_origin.read_response(/*has_body=*/false);
  EXPECT_EQ(own.rfind("HTTP/1.1 101", 0), 0u) << own;

  Client no_origin;  // not a browser: no Origin header, let in
  EXPECT_FALSE(no_origin.connect(port_));
  EXPECT_TRUE(wait_for_sessions(*hub_, 3));
}

TEST_F(WebSocketTest, SessionsBeyondTheCapGet503) {
  WebSocketOptions options;
  options.max_sessions = 2;
  start(options);
  Client first, second;
  ASSERT_FALSE(first.connect(port_));
  ASSERT_FALSE(second.connect(port_));
  ASSERT_TRUE(wait_for_sessions(*hub_, 2));
  testing::RawConnection third(port_);
  ASSERT_TRUE(third.send_all(upgrade_request("")));
  std::string busy = third.read_response();
  EXPECT_EQ(busy.rfind("HTTP/1.1 503", 0), 0u) << busy;
  EXPECT_EQ(hub_->session_count(), 2u);
  // The open sessions keep working, and a place freed is taken again.
  // Sessions register after their handshake, so which one is "hello 1" is a race.
  EXPECT_EQ(first.read().rfind("hello", 0), 0u);
  hub_->broadcast(text("still here"));
  EXPECT_EQ(second.read().rfind("hello", 0), 0u);
  EXPECT_EQ(second.read(), "still here");
  EXPECT_FALSE(first.close());
  ASSERT_TRUE(wait_for_sessions(*hub_, 1));
  Client fourth;
  EXPECT_FALSE(fourth.connect(port_));
  EXPECT_TRUE(wait_for_sessions(*hub_, 2));
}

TEST_F(WebSocketTest, PlainRequestOnTheWebSocketPathGets426OtherPathsTheHandler) {
  start();
  testing::RawConnection plain(port_);
  ASSERT_TRUE(plain.send_all("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string response = plain.read_response();
  EXPECT_EQ(response.rfind("HTTP/1.1 426", 0), 0u) << response;
  EXPECT_NE(response.find("Upgrade: websocket"), std::string::npos) << response;
  ASSERT_TRUE(plain.send_all("GET /wsx HTTP/1.1\r\nHost: x\r\n\r\n"));  // keep-alive still works
  response = plain.read_response();
  EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response;
  EXPECT_NE(response.find("http /wsx"), std::string::npos) << response;

  Client other;
  EXPECT_TRUE(other.connect(port_, "/elsewhere"));  // no WebSocket there: the handshake fails
  EXPECT_EQ(hub_->session_count(), 0u);
}

}  // namespace
}  // namespace pnode::http
