#include "http/server.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http/client.h"
#include "http/test_sockets.h"

namespace pnode::http {
namespace {

using namespace std::chrono_literals;
using testing::RawConnection;

// Starts a server on 127.0.0.1:0 (unless options say otherwise) and returns its ports.
std::vector<uint16_t> start_or_fail(Server& server) {
  auto ports = server.start();
  EXPECT_TRUE(ports.ok()) << (ports.ok() ? "" : ports.error().message);
  return ports.ok() ? *ports : std::vector<uint16_t>{};
}

ClientRequest request_to(uint16_t port, std::string method, std::string target, std::string body = "") {
  ClientRequest request;
  request.host = "127.0.0.1";
  request.port = port;
  request.method = std::move(method);
  request.target = std::move(target);
  request.body = std::move(body);
  request.connect_timeout = 2000ms;
  request.total_timeout = 3000ms;
  return request;
}

Result<ClientResponse> send_and_wait(Client& client, ClientRequest request) {
  return client.send(std::move(request)).get();
}

// Echoes what the server saw, one field a line.
Response echo(const Request& request) {
  return Response::text(200, request.method + "\n" + request.target + "\n" + std::string(request.header("content-type")) +
                                 "\n" + request.body);
}

TEST(Server, GetRoundTrip) {
  Server server(ServerOptions{}, echo);
  const auto ports = start_or_fail(server);
  ASSERT_EQ(ports.size(), 1u);
  ASSERT_NE(ports[0], 0);
  Client client;
  auto response = send_and_wait(client, request_to(ports[0], "GET", "/pnodes?limit=5&x=%20"));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(response->body, "GET\n/pnodes?limit=5&x=%20\n\n");
  EXPECT_GT(response->elapsed.count(), 0);
}

TEST(Server, PostRoundTripWithBody) {
  Server server(ServerOptions{}, echo);
  const auto ports = start_or_fail(server);
  Client client;
  auto request = request_to(ports[0], "POST", "/rpc", R"({"jsonrpc":"2.0","method":"get-version","id":1})");
  auto response = send_and_wait(client, request);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "POST\n/rpc\napplication/json\n" + request.body);
}

TEST(Server, JsonResponseKeepsStatusContentTypeAndExtraHeaders) {
  Server server(ServerOptions{}, [](const Request&) {
    auto response = Response::json(201, R"({"ok":true})");
    response.headers.emplace_back("Access-Control-Allow-Origin", "*");
    return response;
  });
  const auto ports = start_or_fail(server);
  RawConnection connection(ports[0]);
  ASSERT_TRUE(connection.send_all("GET /x HTTP/1.1\r\nHost: a\r\n\r\n"));
  const auto response = connection.read_response();
  EXPECT_EQ(response.rfind("HTTP/1.1 201 Created\r\n", 0), 0u) << response;
  EXPECT_NE(response.find("Content-Type: application/json\r\n"), std::string::npos) << response;
  EXPECT_NE(response.find("Content-Length: 11\r\n"), std::string::npos) << response;
  EXPECT_NE(response.find("Access-Control-Allow-Origin: *\r\n"), std::string::npos) << response;
  EXPECT_EQ(response.find("Connection: close"), std::string::npos) << response;
  EXPECT_EQ(response.substr(response.size() - 11), R"({"ok":true})");
}

TEST(Server, NullBodyIsAnEmptyBodyWithContentLengthZero) {
  Server server(ServerOptions{}, [](const Request&) { return Response{}; });
  const auto ports = start_or_fail(server);
  RawConnection connection(ports[0]);
  ASSERT_TRUE(connection.send_all("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  const auto response = connection.read_response();
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
  EXPECT_NE(response.find("Content-Length: 0\r\n"), std::string::npos) << response;
}

TEST(Server, HeadAnswersHeadersWithoutBody) {
  Server server(ServerOptions{}, [](const Request&) { return Response::text(200, "twelve chars"); });
  const auto ports = start_or_fail(server);
  RawConnection connection(ports[0]);
  ASSERT_TRUE(connection.send_all("HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  const auto head = connection.read_response(/*has_body=*/false);
  EXPECT_NE(head.find("Content-Length: 12\r\n"), std::string::npos) << head;
  // Had the body been sent after the HEAD answer, it would precede this status line.
  const auto get = connection.read_response();
  EXPECT_EQ(get.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << get;
  EXPECT_EQ(get.substr(get.size() - 12), "twelve chars");
}

TEST(Server, KeepAliveServesSeveralRequestsOnOneConnection) {
  std::atomic<int> requests{0};
  Server server(ServerOptions{}, [&](const Request& request) {
    ++requests;
    return Response::text(200, request.remote_address + ":" + std::to_string(request.remote_port));
  });
  const auto ports = start_or_fail(server);
  RawConnection connection(ports[0]);
  ASSERT_TRUE(connection.send_all("GET /a HTTP/1.1\r\nHost: a\r\n\r\n"));
  const auto first = connection.read_response();
  ASSERT_TRUE(connection.send_all("GET /b HTTP/1.1\r\nHost: a\r\n\r\n"));
  const auto second = connection.read_response();
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(first.find("Connection: close"), std::string::npos);
  const auto peer = [](const std::string& response) { return response.substr(response.find("\r\n\r\n") + 4); };
  EXPECT_EQ(peer(first).rfind("127.0.0.1:", 0), 0u) << first;
  EXPECT_EQ(peer(first), peer(second));  // same remote port: the same connection
  EXPECT_EQ(requests.load(), 2);
}

TEST(Server, PipelinedRequestsAreAnsweredInOrder) {
  Server server(ServerOptions{}, [](const Request& request) { return Response::text(200, request.target); });
  const auto ports = start_or_fail(server);
  RawConnection connection(ports[0]);
  ASSERT_TRUE(connection.send_all("GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
                                  "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                                  "GET /three HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
  const auto one = connection.read_response();
  const auto two = connection.read_response();
  const auto three = connection.read_response();
  EXPECT_EQ(one.substr(one.size() - 4), "/one");
  EXPECT_EQ(two.substr(two.size() - 4), "/two");
  EXPECT_EQ(three.substr(three.size() - 6), "/three");
  EXPECT_NE(three.find("Connection: close\r\n"), std::string::npos) << three;
  EXPECT_TRUE(connection.closed_by_peer());
}

TEST(Server, Http10RequestGetsAnAnswerThenTheConnectionCloses) {
  Server server(ServerOptions{}, [](const Request&) { return Response::text(200, "old"); });
  const auto ports = start_or_fail(server);
  RawConnection connection(ports[0]);
  ASSERT_TRUE(connection.send_all("GET / HTTP/1.0\r\n\r\n"));
  const auto response = connection.read_response();
  EXPECT_EQ(response.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << response;
  EXPECT_NE(response.find("Connection: close\r\n"), std::string::npos) << response;
  EXPECT_TRUE(connection.closed_by_peer());
}

TEST(Server, Http10KeepAliveIsHonoured) {
  Server server(ServerOptions{}, [](const Request&) { return Response::text(200, "old"); });
  const auto ports = start_or_fail(server);
  RawConnection connection(ports[0]);
  ASSERT_TRUE(connection.send_all("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  const auto first = connection.read_response();
  EXPECT_NE(first.find("Connection: keep-alive\r\n"), std::string::npos) << first;
  ASSERT_TRUE(connection.send_all("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_EQ(connection.read_response().rfind("HTTP/1.0 200 OK\r\n", 0), 0u);
}

TEST(Server, EachListenEndpointReportsItsLocalPort) {
  ServerOptions options;
  options.listen = {Listen{"127.0.0.1", 0}, Listen{"localhost", 0}, Listen{"127.0.0.2", 0}};
  Server server(options, [](const Request& request) {
    return Response::text(200, request.local_address + " " + std::to_string(request.local_port));
  });
  const auto ports = start_or_fail(server);
  ASSERT_EQ(ports.size(), 3u);
  EXPECT_NE(ports[0], ports[1]);
  Client client;
  for (size_t i = 0; i < ports.size(); ++i) {
    auto request = request_to(ports[i], "GET", "/");
    request.host = options.listen[i].address;
    auto response = send_and_wait(client, request);
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->body, options.listen[i].address + " " + std::to_string(ports[i]));
  }
}

TEST(Server, SeveralThreadsServeManyConcurrentRequests) {
  ServerOptions options;
  options.threads = 2;
  std::mutex mutex;
  std::vector<std::thread::id> threads_seen;
  Server server(options, [&](const Request& request) {
    std::lock_guard lock(mutex);
    if (std::find(threads_seen.begin(), threads_seen.end(), std::this_thread::get_id()) == threads_seen.end()) {
      threads_seen.push_back(std::this_thread::get_id());
    }
    return Response::text(200, request.target);
  });
  const auto ports = start_or_fail(server);
  Client client(2);
  std::vector<std::future<Result<ClientResponse>>> futures;
  for (int i = 0; i < 200; ++i) futures.push_back(client.send(request_to(ports[0], "GET", "/" + std::to_string(i))));
  for (int i = 0; i < 200; ++i) {
    auto response = futures[i].get();
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->body, "/" + std::to_string(i));
  }
  // SO_REUSEPORT spreads connections by their address hash: 200 all landing on one
  // worker would mean the second acceptor is not serving.
  std::lock_guard lock(mutex);
  EXPECT_EQ(threads_seen.size(), 2u);
}

TEST(Server, DelayedAnswerDoesNotBlockOtherConnections) {
  ServerOptions options;
  options.threads = 1;
  Server server(options, [](const Request& request) {
    auto response = Response::text(200, request.target);
    if (request.target == "/hang") response.delay = std::chrono::hours(1);
    if (request.target == "/short") response.delay = 50ms;
    return response;
  });
  const auto ports = start_or_fail(server);
  Client client;
  auto hanging_request = request_to(ports[0], "GET", "/hang");
  hanging_request.total_timeout = 60000ms;
  auto hanging = client.send(hanging_request);
  auto fast = send_and_wait(client, request_to(ports[0], "GET", "/fast"));
  ASSERT_TRUE(fast.ok()) << fast.error().message;
  EXPECT_EQ(fast->body, "/fast");
  auto delayed = send_and_wait(client, request_to(ports[0], "GET", "/short"));
  ASSERT_TRUE(delayed.ok()) << delayed.error().message;
  EXPECT_EQ(delayed->body, "/short");
  EXPECT_EQ(hanging.wait_for(0ms), std::future_status::timeout);
  // Stopping closes the hung connection at once instead of waiting for the hour.
  server.stop();
  ASSERT_EQ(hanging.wait_for(3s), std::future_status::ready);
  auto result = hanging.get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kProtocol) << result.error().message;
}

TEST(Server, DropConnectionClosesWithoutAnswer) {
  Server server(ServerOptions{}, [](const Request&) {
    Response response;
    response.drop_connection = true;
    return response;
  });
  const auto ports = start_or_fail(server);
  RawConnection connection(ports[0]);
  ASSERT_TRUE(connection.send_all("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_TRUE(connection.closed_by_peer());
  EXPECT_EQ(connection.read_response(), "");
}

TEST(Server, BodyOverTheLimitGets413) {
  ServerOptions options;
  options.max_request_body = 1024;
  std::atomic<int> handled{0};
  Server server(options, [&](const Request& request) {
    ++handled;
    return Response::text(200, std::to_string(request.body.size()));
  });
  const auto ports = start_or_fail(server);
  Client client;
  auto big = send_and_wait(client, request_to(ports[0], "POST", "/rpc", std::string(64 * 1024, 'x')));
  ASSERT_TRUE(big.ok()) << big.error().message;
  EXPECT_EQ(big->status, 413);
  auto at_limit = send_and_wait(client, request_to(ports[0], "POST", "/rpc", std::string(1024, 'x')));
  ASSERT_TRUE(at_limit.ok()) << at_limit.error().message;
  EXPECT_EQ(at_limit->status, 200);
  EXPECT_EQ(at_limit->body, "1024");
  EXPECT_EQ(handled.load(), 1);
}

TEST(Server, ChunkedBodyOverTheLimitGets413) {
  ServerOptions options;
  options.max_request_body = 8;
  Server server(options, [](const Request&) { return Response::text(200, "no"); });
  const auto ports = start_or_fail(server);
  RawConnection connection(ports[0]);
  ASSERT_TRUE(connection.send_all("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n"));
  const auto response = connection.read_response();
  EXPECT_EQ(response.rfind("HTTP/1.1 413 ", 0), 0u) << response;
  EXPECT_NE(response.find("Connection: close\r\n"), std::string::npos) << response;
}

TEST(Server, ExpectContinueGetsInterimAnswer) {
  Server server(ServerOptions{}, [](const Request& request) { return Response::text(200, request.body); });
  const auto ports = start_or_fail(server);
  RawConnection connection(ports[0]);
  ASSERT_TRUE(connection.send_all("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"));
  const auto interim = connection.read_response(/*has_body=*/false);
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(connection.send_all("body"));
  const auto final_response = connection.read_response();
  EXPECT_EQ(final_response.substr(final_response.size() - 4), "body");
}

TEST(Server, MalformedRequestGets400) {
  std::atomic<int> handled{0};
  Server server(ServerOptions{}, [&](const Request&) {
    ++handled;
    return Response::text(200, "no");
  });
  const auto ports = start_or_fail(server);
  RawConnection connection(ports[0]);
  ASSERT_TRUE(connection.send_all("THIS IS NOT HTTP\r\n\r\n"));
  const auto response = connection.read_response();
  EXPECT_EQ(response.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << response;
  EXPECT_TRUE(connection.closed_by_peer());
  EXPECT_EQ(handled.load(), 0);
}

TEST(Server, HandlerExceptionGives500) {
  Server server(ServerOptions{}, [](const Request& request) -> Response {
    if (request.target == "/int") throw 42;
    throw std::runtime_error("secret detail");
  });
  const auto ports = start_or_fail(server);
  Client client;
  for (const char* target : {"/boom", "/int"}) {
    auto response = send_and_wait(client, request_to(ports[0], "GET", target));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 500);
    EXPECT_EQ(response->body, "Internal Server Error");
  }
}

struct ObservedRequest {
  std::string target;
  int status;
  std::chrono::microseconds duration;
};

class Observations {
 public:
  RequestObserver observer() {
    return [this](const Request& request, int status, std::chrono::microseconds duration) {
      std::lock_guard lock(mutex_);
      seen_.push_back({request.target, status, duration});
      changed_.notify_all();
    };
  }
  std::vector<ObservedRequest> wait_for(size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 3s, [&] { return seen_.size() >= count; });
    return seen_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<ObservedRequest> seen_;
};

TEST(Server, ObserverSeesEachAnswerWithStatusAndDuration) {
  Server server(ServerOptions{}, [](const Request& request) {
    auto response = Response::text(request.target == "/missing" ? 404 : 200, "x");
    if (request.target == "/slow") response.delay = 20ms;
    if (request.target == "/drop") response.drop_connection = true;
    return response;
  });
  Observations observations;
  server.set_observer(observations.observer());
  const auto ports = start_or_fail(server);
  Client client;
  ASSERT_TRUE(send_and_wait(client, request_to(ports[0], "GET", "/slow")).ok());
  ASSERT_TRUE(send_and_wait(client, request_to(ports[0], "GET", "/missing")).ok());
  EXPECT_FALSE(send_and_wait(client, request_to(ports[0], "GET", "/drop")).ok());
  const auto seen = observations.wait_for(3);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].target, "/slow");
  EXPECT_EQ(seen[0].status, 200);
  EXPECT_GE(seen[0].duration, 20ms);  // the delay is part of the request's duration
  EXPECT_EQ(seen[1].target, "/missing");
  EXPECT_EQ(seen[1].status, 404);
  EXPECT_EQ(seen[2].target, "/drop");
  EXPECT_EQ(seen[2].status, 0);
}

TEST(Server, ObserverSetAfterStartIsUsed) {
  Server server(ServerOptions{}, [](const Request&) { return Response::text(200, "x"); });
  const auto ports = start_or_fail(server);
  Observations observations;
  server.set_observer(observations.observer());
  Client client;
  // The new observer reaches the I/O thread through its queue, ahead of this request.
  ASSERT_TRUE(send_and_wait(client, request_to(ports[0], "GET", "/after")).ok());
  const auto seen = observations.wait_for(1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target, "/after");
}

TEST(Server, StopFreesThePortForARestart) {
  auto handler = [](const Request&) { return Response::text(200, "up"); };
  ServerOptions options;
  options.threads = 2;
  Server first(options, handler);
  const auto ports = start_or_fail(first);
  ASSERT_EQ(ports.size(), 1u);
  first.stop();
  first.stop();  // idempotent

  options.listen = {Listen{"127.0.0.1", ports[0]}};
  Server second(options, handler);
  const auto second_ports = start_or_fail(second);
  ASSERT_EQ(second_ports, ports);
  Client client;
  auto response = send_and_wait(client, request_to(ports[0], "GET", "/"));
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->body, "up");

  // The stopped server can start again too.
  second.stop();
  EXPECT_FALSE(start_or_fail(first).empty());
}

TEST(Server, PortInUseIsAnError) {
  auto handler = [](const Request&) { return Response::text(200, "up"); };
  Server first(ServerOptions{}, handler);
  const auto ports = start_or_fail(first);
  for (int threads : {1, 2}) {
    ServerOptions options;
    options.threads = threads;
    options.listen = {Listen{"127.0.0.1", 0}, Listen{"127.0.0.1", ports[0]}};
    Server second(options, handler);
    auto result = second.start();
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kAddressInUse);
    EXPECT_NE(result.error().message.find("127.0.0.1:" + std::to_string(ports[0])), std::string::npos)
        << result.error().message;
    EXPECT_EQ(result.error().where, "127.0.0.1:" + std::to_string(ports[0]));
  }
  // The first server still answers alone.
  Client client;
  EXPECT_TRUE(send_and_wait(client, request_to(ports[0], "GET", "/")).ok());
}

TEST(Server, InvalidListenAddressIsAnError) {
  ServerOptions options;
  options.listen = {Listen{"not-an-ip", 0}};
  Server server(options, echo);
  auto result = server.start();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidAddress);
}

TEST(Server, StartingTwiceIsAnError) {
  Server server(ServerOptions{}, echo);
  start_or_fail(server);
  auto again = server.start();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyRunning);
}

TEST(Server, IdleConnectionIsClosed) {
  ServerOptions options;
  options.idle_timeout = 1s;
  Server server(options, echo);
  const auto ports = start_or_fail(server);
  RawConnection connection(ports[0], /*receive_timeout_ms=*/4000);
  ASSERT_TRUE(connection.connected());
  EXPECT_TRUE(connection.closed_by_peer());
}

// Issue 10: 2,000 idle connections under a 1,024 descriptor limit starved the collector.
// Beyond the cap a connection is closed at once; the open ones and the process's own
// outgoing client keep working.
TEST(Server, ConnectionsBeyondTheCapAreClosedAtOnce) {
  ServerOptions options;
  options.max_connections = 3;
  options.threads = 2;
  Server server(options, echo);
  const auto ports = start_or_fail(server);
  std::vector<std::unique_ptr<RawConnection>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(std::make_unique<RawConnection>(ports[0]));
    ASSERT_TRUE(open.back()->send_all("GET /first HTTP/1.1\r\nHost: a\r\n\r\n"));
    EXPECT_EQ(open.back()->read_response().rfind("HTTP/1.1 200", 0), 0u) << i;
  }
  EXPECT_EQ(server.open_connections(), 3u);

  RawConnection over(ports[0]);
  ASSERT_TRUE(over.connected());  // the kernel accepted it; the server closes it unanswered
  over.send_all("GET /over HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_TRUE(over.closed_by_peer());
  EXPECT_GE(server.refused_connections(), 1u);

  for (auto& connection : open) {
    ASSERT_TRUE(connection->send_all("GET /again HTTP/1.1\r\nHost: a\r\n\r\n"));
    EXPECT_EQ(connection->read_response().rfind("HTTP/1.1 200", 0), 0u);
  }
  // The process's outgoing client (the collector's) still connects elsewhere.
  Server upstream(ServerOptions{}, echo);
  const auto upstream_ports = start_or_fail(upstream);
  Client client;
  auto answer = send_and_wait(client, request_to(upstream_ports[0], "GET", "/seed"));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->status, 200);

  // A connection that closes frees its place.
  open.pop_back();
  for (int tries = 0; tries < 100 && server.open_connections() > 2; ++tries) std::this_thread::sleep_for(10ms);
  RawConnection later(ports[0]);
  ASSERT_TRUE(later.send_all("GET /later HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_EQ(later.read_response().rfind("HTTP/1.1 200", 0), 0u);
}

TEST(Server, DefaultConnectionCapLeavesDescriptorsForTheRest) {
  const size_t limit = raise_open_file_limit();
  ASSERT_GT(limit, 0u);
  const size_t cap = default_max_connections(128);
  EXPECT_GE(cap, 16u);
  EXPECT_LE(cap, 20000u);
  if (limit > 128 + 16) {
    EXPECT_LE(cap, limit - 128);
  }
}

// Slowloris: a head that trickles in a byte at a time is cut off after request_timeout,
// however long the keep-alive idle timeout is.
TEST(Server, HeaderTricklingInIsCutOff) {
  ServerOptions options;
  options.idle_timeout = 30s;
  options.request_timeout = 1s;
  std::atomic<int> handled{0};
  Server server(options, [&](const Request&) {
    ++handled;
    return Response::text(200, "no");
  });
  const auto ports = start_or_fail(server);
  RawConnection connection(ports[0], /*receive_timeout_ms=*/3000);
  ASSERT_TRUE(connection.send_all("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: "));
  const auto until = std::chrono::steady_clock::now() + 2500ms;
  while (std::chrono::steady_clock::now() < until && connection.send_all("x")) std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(connection.closed_by_peer());
  EXPECT_EQ(handled.load(), 0);
}

TEST(Server, LongTargetGets414) {
  ServerOptions options;
  options.max_target_length = 100;
  std::atomic<int> handled{0};
  Server server(options, [&](const Request& request) {
    ++handled;
    return Response::text(200, request.target);
  });
  const auto ports = start_or_fail(server);
  RawConnection too_long(ports[0]);
  ASSERT_TRUE(too_long.send_all("GET /" + std::string(100, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n"));
  const auto refused = too_long.read_response();
  EXPECT_EQ(refused.rfind("HTTP/1.1 414 ", 0), 0u) << refused;
  RawConnection at_limit(ports[0]);
  ASSERT_TRUE(at_limit.send_all("GET /" + std::string(99, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_EQ(at_limit.read_response().rfind("HTTP/1.1 200 ", 0), 0u);
  EXPECT_EQ(handled.load(), 1);
}

TEST(Server, LargeHeadGets431) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  Server server(options, echo);
  const auto ports = start_or_fail(server);
  RawConnection big(ports[0]);
  ASSERT_TRUE(big.send_all("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(2048, 'b') + "\r\n\r\n"));
  const auto refused = big.read_response();
  EXPECT_EQ(refused.rfind("HTTP/1.1 431 ", 0), 0u) << refused;
  RawConnection small(ports[0]);
  ASSERT_TRUE(small.send_all("GET / HTTP/1.1\r\nHost: a\r\nX-Small: " + std::string(512, 'b') + "\r\n\r\n"));
  EXPECT_EQ(small.read_response().rfind("HTTP/1.1 200 ", 0), 0u);
}

}  // namespace
}  // namespace pnode::http
