#include "http/client.h"

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"
#include "http/tail_room.h"
#include "http/test_sockets.h"

namespace pnode::http {
namespace {

using namespace std::chrono_literals;
using testing::RawConnection;
using testing::RawListener;

ClientRequest get(uint16_t port, std::string target = "/") {
  ClientRequest request;
  request.host = "127.0.0.1";
  request.port = port;
  request.method = "GET";
  request.target = std::move(target);
  request.connect_timeout = 1000ms;
  request.total_timeout = 3000ms;
  return request;
}

// Waits for a result without ever hanging the test binary.
Result<ClientResponse> wait(std::future<Result<ClientResponse>> future, std::chrono::seconds limit = 5s) {
  if (future.wait_for(limit) != std::future_status::ready) {
    ADD_FAILURE() << "the future never completed";
    return make_error(ErrorCode::kException, "the future never completed");
  }
  return future.get();
}

// A server whose handler answers by target: "/status/N", "/size/N", "/hang", "/drop",
// "/headers" (echoes the request headers), anything else "ok".
class TestServer {
 public:
  TestServer() : server_(ServerOptions{}, handle) {
    auto ports = server_.start();
    EXPECT_TRUE(ports.ok());
    if (ports.ok()) port_ = ports->front();
  }
  uint16_t port() const { return port_; }
  void stop() { server_.stop(); }

 private:
  static Response handle(const Request& request) {
    const std::string_view target = request.target;
    if (target.rfind("/status/", 0) == 0) return Response::json(std::stoi(request.target.substr(8)), R"({"e":1})");
    if (target.rfind("/size/", 0) == 0) return Response::text(200, std::string(std::stoul(request.target.substr(6)), 'z'));
    Response response = Response::text(200, "ok");
    if (target == "/hang") response.delay = std::chrono::hours(1);
    if (target == "/slow") response.delay = std::chrono::milliseconds(50);
    if (target == "/drop") response.drop_connection = true;
    if (target == "/headers") {
      std::string lines;
      for (const auto& [name, value] : request.headers) lines += name + ": " + value + "\n";
      response = Response::text(200, lines + "body=" + request.body);
    }
    return response;
  }

  Server server_;
  uint16_t port_ = 0;
};

TEST(Client, SendsHostContentTypeAndConnectionClose) {
  TestServer server;
  Client client;
  auto request = get(server.port(), "/headers");
  request.method = "POST";
  request.body = "{}";
  auto response = wait(client.send(request));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  const auto& body = response->body;
  EXPECT_NE(body.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\n"), std::string::npos) << body;
  EXPECT_NE(body.find("Content-Type: application/json\n"), std::string::npos) << body;
  EXPECT_NE(body.find("Content-Length: 2\n"), std::string::npos) << body;
  EXPECT_NE(body.find("Connection: close\n"), std::string::npos) << body;
  EXPECT_NE(body.find("body={}"), std::string::npos) << body;

  auto plain_get = wait(client.send(get(server.port(), "/headers")));
  ASSERT_TRUE(plain_get.ok());
  EXPECT_EQ(plain_get->body.find("Content-Type"), std::string::npos) << plain_get->body;
}

TEST(Client, ReportsTheConnectTimeApartFromTheWholeExchange) {
  TestServer server;
  Client client;
  auto response = wait(client.send(get(server.port(), "/slow")));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_GT(response->connect_elapsed.count(), 0);
  EXPECT_GE(response->elapsed - response->connect_elapsed, 50ms);  // the answer's delay is not the connect's
}

// A body of announced length comes with room after it for a parser's padding
// (http/tail_room.h), so the pRPC parser reads it where it lies.
TEST(Client, ABodyOfAnnouncedLengthHasTheTailRoomAfterIt) {
  TestServer server;
  Client client;
  for (size_t size : {size_t{1}, size_t{100}, size_t{3} << 20}) {
    auto response = wait(client.send(get(server.port(), "/size/" + std::to_string(size))));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->body, std::string(size, 'z'));
    EXPECT_GE(response->body.capacity(), size + kBodyTailRoom) << size;
  }
}

TEST(Client, NonSuccessStatusIsAResponseNotAnError) {
  TestServer server;
  Client client;
  for (int status : {404, 500, 503}) {
    auto response = wait(client.send(get(server.port(), "/status/" + std::to_string(status))));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, status);
    EXPECT_EQ(response->content_type, "application/json");
    EXPECT_EQ(response->body, R"({"e":1})");
    EXPECT_GT(response->elapsed.count(), 0);
  }
}

TEST(Client, LocalhostResolves) {
  TestServer server;
  Client client;
  auto request = get(server.port());
  request.host = "localhost";
  auto response = wait(client.send(request));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->body, "ok");
}

TEST(Client, ServerThatNeverAnswersTimesOut) {
  TestServer server;
  Client client;
  auto request = get(server.port(), "/hang");
  request.total_timeout = 200ms;
  auto response = wait(client.send(request));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(response.error().message, "127.0.0.1:" + std::to_string(server.port()) + ": timed out after 200 ms");
}

TEST(Client, ListenerThatNeverAcceptsTimesOut) {
  RawListener listener;  // the kernel completes the handshake; nobody reads
  Client client;
  auto request = get(listener.port());
  request.total_timeout = 200ms;
  auto response = wait(client.send(request));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kTimeout) << response.error().message;
}

TEST(Client, ClosedPortIsRefused) {
  uint16_t port;
  {
    TestServer server;
    port = server.port();
  }
  Client client;
  auto response = wait(client.send(get(port)));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kRefused);
  EXPECT_EQ(response.error().message, "127.0.0.1:" + std::to_string(port) + ": connection refused");
  EXPECT_EQ(response.error().where, "127.0.0.1:" + std::to_string(port));
}

TEST(Client, ConnectThatNeverCompletesIsAConnectTimeout) {
  // With a full accept queue the kernel drops new SYNs, so the connect hangs.
  RawListener listener(/*backlog=*/0);
  std::vector<std::unique_ptr<RawConnection>> fillers;
  for (int i = 0; i < 3; ++i) {
    fillers.push_back(std::make_unique<RawConnection>(listener.port(), 3000, /*wait_for_connect=*/false));
  }
  Client client;
  auto request = get(listener.port());
  request.connect_timeout = 200ms;
  auto response = wait(client.send(request));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kConnectTimeout) << response.error().message;
  EXPECT_EQ(response.error().message,
            "127.0.0.1:" + std::to_string(listener.port()) + ": connect timed out after 200 ms");
}

TEST(Client, BodyOverTheLimitIsTooLarge) {
  TestServer server;
  Client client;
  auto request = get(server.port(), "/size/10000");
  request.max_response_bytes = 1000;
  auto too_large = wait(client.send(request));
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(too_large.error().code, ErrorCode::kTooLarge);
  EXPECT_NE(too_large.error().message.find("1000 bytes"), std::string::npos) << too_large.error().message;

  request.max_response_bytes = 10000;
  auto at_limit = wait(client.send(request));
  ASSERT_TRUE(at_limit.ok()) << at_limit.error().message;
  EXPECT_EQ(at_limit->body.size(), 10000u);
}

TEST(Client, UndelimitedBodyOverTheLimitIsTooLarge) {
  // A body that ends at EOF (no Content-Length) is capped while it streams in.
  RawListener listener;
  std::thread server([&] {
    const int fd = listener.accept_one();
    if (fd < 0) return;
    char buffer[4096];
    (void)::recv(fd, buffer, sizeof buffer, 0);
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n";
    (void)::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    const std::string chunk(4096, 'y');
    for (int i = 0; i < 16; ++i) {
      if (::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) <= 0) break;
    }
    ::close(fd);
  });
  Client client;
  auto request = get(listener.port());
  request.max_response_bytes = 5000;
  auto response = wait(client.send(request));
  server.join();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kTooLarge) << response.error().message;
}

TEST(Client, DroppedConnectionIsAProtocolErrorWithoutWaitingForTheTimeout) {
  TestServer server;
  Client client;
  auto request = get(server.port(), "/drop");
  request.total_timeout = 60000ms;
  auto response = wait(client.send(request), 3s);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kProtocol) << response.error().message;
  EXPECT_NE(response.error().message.find("closed"), std::string::npos) << response.error().message;
}

TEST(Client, GarbageResponseIsAProtocolError) {
  RawListener listener;
  std::thread server([&] {
    const int fd = listener.accept_one();
    if (fd < 0) return;
    char buffer[4096];
    (void)::recv(fd, buffer, sizeof buffer, 0);
    const std::string garbage = "SSH-2.0-OpenSSH_9.2\r\nnot http at all\r\n\r\n";
    (void)::send(fd, garbage.data(), garbage.size(), MSG_NOSIGNAL);
    ::close(fd);
  });
  Client client;
  auto response = wait(client.send(get(listener.port())));
  server.join();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kProtocol);
  EXPECT_NE(response.error().message.find("malformed HTTP response"), std::string::npos) << response.error().message;
}

TEST(Client, ManyThreadsCanShareOneClient) {
  TestServer server;
  Client client(2);
  std::vector<std::thread> senders;
  std::atomic<int> succeeded{0};
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const auto size = std::to_string(t * 100 + i);
        auto response = wait(client.send(get(server.port(), "/size/" + size)));
        if (response.ok() && response->body.size() == std::stoul(size)) ++succeeded;
      }
    });
  }
  for (auto& sender : senders) sender.join();
  EXPECT_EQ(succeeded.load(), 100);
}

TEST(Client, DestructionCompletesRequestsStillInFlight) {
  TestServer server;
  std::future<Result<ClientResponse>> kept;
  {
    Client client(2);
    auto request = get(server.port(), "/hang");
    request.total_timeout = 60000ms;
    kept = client.send(request);
    for (int i = 0; i < 3; ++i) (void)client.send(request);  // abandoned futures must not block anything
    std::this_thread::sleep_for(50ms);                       // let the requests reach the server
  }
  ASSERT_EQ(kept.wait_for(0ms), std::future_status::ready);
  auto response = kept.get();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kCancelled);
}

TEST(Client, DestructionRightAfterSendDoesNotHang) {
  TestServer server;
  std::vector<std::future<Result<ClientResponse>>> futures;
  {
    Client client;
    for (int i = 0; i < 20; ++i) futures.push_back(client.send(get(server.port(), "/hang")));
  }
  for (auto& future : futures) {
    ASSERT_EQ(future.wait_for(0ms), std::future_status::ready);
    EXPECT_FALSE(future.get().ok());
  }
}

TEST(Client, ShutdownCancelsRequestsInFlightWithoutWaitingForTheirTimeout) {
  TestServer server;
  RawListener never_accepts;
  Client client(2);
  auto hanging = get(server.port(), "/hang");
  hanging.total_timeout = 60000ms;
  auto unanswered = get(never_accepts.port());
  unanswered.total_timeout = 60000ms;
  std::vector<std::future<Result<ClientResponse>>> futures;
  for (int i = 0; i < 3; ++i) futures.push_back(client.send(hanging));
  futures.push_back(client.send(unanswered));
  std::this_thread::sleep_for(50ms);  // let the requests reach the servers
  client.shutdown();
  for (auto& future : futures) {
    auto response = wait(std::move(future), 2s);  // well before the 60 s timeouts
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.error().code, ErrorCode::kCancelled) << response.error().message;
  }
}

TEST(Client, RequestsAfterShutdownAreRefusedAtOnce) {
  TestServer server;
  Client client;
  client.shutdown();
  auto response = wait(client.send(get(server.port())), 1s);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(response.error().where, "127.0.0.1:" + std::to_string(server.port()));
}

}  // namespace
}  // namespace pnode::http
