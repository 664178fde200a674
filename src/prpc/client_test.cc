// Tests of the pRPC client against a fake node on 127.0.0.1: one http::Server listening
// on several ports, each port playing one kind of node (healthy, failing, old, slow).
#include "prpc/client.h"
#include "prpc/test_fixtures.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"
#include "prpc/parse.h"

namespace pnode::prpc {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

using testing::fixture;

const std::string kMethodNotFound = R"({"error":{"code":-32601,"message":"Method not found"},"id":1,"jsonrpc":"2.0"})";
const std::string kInternalError = R"({"error":{"code":-32603,"message":"Internal error"},"id":1,"jsonrpc":"2.0"})";

enum class Behaviour { healthy, http_500, garbage, old_node, no_pods_methods, internal_error, slow, slow_old_node };

// What the fake node saw of one request.
struct Seen {
  std::string method, target, content_type, body;
};

// The fake pRPC network: every port of one server is a node with its own behaviour.
class FakeNodes {
 public:
  explicit FakeNodes(std::vector<Behaviour> behaviours) {
    http::ServerOptions options;
    options.listen.assign(behaviours.size(), http::Listen{"127.0.0.1", 0});
    options.threads = 2;
    server_ = std::make_unique<http::Server>(options, [this](const http::Request& r) { return answer(r); });
    auto ports = server_->start();
    EXPECT_TRUE(ports.ok()) << (ports.ok() ? "" : ports.error().message);
    if (!ports.ok()) return;
    for (size_t i = 0; i < behaviours.size(); ++i) behaviour_[(*ports)[i]] = behaviours[i];
    ports_ = *ports;
  }
  ~FakeNodes() { server_->stop(); }

  HostPort node(size_t i) const { return HostPort{"127.0.0.1", ports_.at(i)}; }
  std::vector<Seen> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  static std::string rpc_method(const std::string& body) {
    const std::string key = R"("method":")";
    const size_t at = body.find(key);
    if (at == std::string::npos) return "";
    const size_t start = at + key.size();
    return body.substr(start, body.find('"', start) - start);
  }

  http::Response answer(const http::Request& r) {
    {
      std::lock_guard lock(mutex_);
      seen_.push_back(Seen{r.method, r.target, std::string(r.header("Content-Type")), r.body});
    }
    const std::string method = rpc_method(r.body);
    switch (behaviour_.at(r.local_port)) {
      case Behaviour::healthy: return healthy(method);
      case Behaviour::http_500: return http::Response::text(500, "Internal Server Error");
      case Behaviour::garbage: return http::Response::text(200, "<html><body>hello</body></html>");
      case Behaviour::old_node:
        if (method == "get-pods-with-stats") return http::Response::json(200, kMethodNotFound);
        return healthy(method);
      case Behaviour::no_pods_methods:
        if (method == "get-pods-with-stats" || method == "get-pods") return http::Response::json(200, kMethodNotFound);
        return healthy(method);
      case Behaviour::internal_error: return http::Response::json(200, kInternalError);
      case Behaviour::slow: {
        http::Response slow = healthy(method);
        slow.delay = 10s;  // far beyond the test's total timeout; stop() never sends it
        return slow;
      }
      case Behaviour::slow_old_node: {  // -32601 after 300 ms, then a get-pods that hangs
        http::Response slow = method == "get-pods-with-stats" ? http::Response::json(200, kMethodNotFound) : healthy(method);
        slow.delay = method == "get-pods-with-stats" ? 300ms : 10s;
        return slow;
      }
    }
    return http::Response::text(500, "unreachable");
  }

  static http::Response healthy(const std::string& method) {
    if (method == "get-version") return http::Response::json(200, fixture("get-version_2025-12-05_v0.6.0_nhatlapross.json"));
    if (method == "get-stats") {
      return http::Response::json(200, fixture("get-stats_2025-12-05T0439Z_v0.6.0_"));
    }
    if (method == "get-pods") return http::Response::json(200, fixture("get-pods_2025-12-07_v0.5-0.6_22pods_atechwebsol01-faq.json"));
    if (method == "get-pods-with-stats") {
      return http::Response::json(200, fixture("get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json"));
    }
    return http::Response::json(200, kMethodNotFound);
  }

  std::unique_ptr<http::Server> server_;
  std::map<uint16_t, Behaviour> behaviour_;
  std::vector<uint16_t> ports_;
  std::mutex mutex_;
  std::vector<Seen> seen_;
};

ClientOptions fast_options() {
  ClientOptions o;
  o.connect_timeout = 1000ms;
  o.total_timeout = 2000ms;
  return o;
}

TEST(PrpcClient, HealthyNodeAllFourCalls) {
  FakeNodes nodes({Behaviour::healthy});
  http::Client http;
  Client client(http, fast_options());
  const HostPort node = nodes.node(0);

  // All four in flight at once.
  auto version = client.get_version(node);
  auto stats = client.get_stats(node);
  auto pods = client.get_pods(node);
  auto with_stats = client.get_pods_with_stats(node);

  auto v = version.get();
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->version, "0.6.0");
  auto s = stats.get();
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->uptime, 41408u);
  EXPECT_EQ(s->file_size, 219000000000u);
  auto p = pods.get();
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->pods.size(), 22u);
  EXPECT_FALSE(p->pods[0].storage_committed);
  auto w = with_stats.get();
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_EQ(w->pods.size(), 204u);
  EXPECT_EQ(w->pods[0].address, "173.212.207.32:9001");
  EXPECT_EQ(w->pods[0].storage_committed, 340000000000u);
}

TEST(PrpcClient, SendsJsonRpcPostToSlashRpc) {
  FakeNodes nodes({Behaviour::healthy});
  http::Client http;
  Client client(http, fast_options());
  ASSERT_TRUE(client.get_version(nodes.node(0)).get().ok());
  ASSERT_TRUE(client.get_pods_with_stats(nodes.node(0)).get().ok());
  auto seen = nodes.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/rpc");
  EXPECT_EQ(seen[0].content_type, "application/json");
  EXPECT_EQ(seen[0].body, R"({"jsonrpc":"2.0","method":"get-version","id":1})");
  EXPECT_EQ(seen[1].body, R"({"jsonrpc":"2.0","method":"get-pods-with-stats","id":1})");
}

TEST(PrpcClient, BestPodsUsesGetPodsWithStatsWhenKnown) {
  FakeNodes nodes({Behaviour::healthy});
  http::Client http;
  Client client(http, fast_options());
  auto best = client.get_pods_best(nodes.node(0));
  ASSERT_TRUE(best.ok()) << best.error().message;
  EXPECT_FALSE(best->used_fallback);
  EXPECT_EQ(best->list.pods.size(), 204u);
  EXPECT_EQ(nodes.seen().size(), 1u);
}

TEST(PrpcClient, OldNodeFallsBackToGetPods) {
  FakeNodes nodes({Behaviour::old_node});
  http::Client http;
  Client client(http, fast_options());
  const HostPort node = nodes.node(0);

  auto direct = client.get_pods_with_stats(node).get();
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.error().code, ErrorCode::kRpcError);
  EXPECT_EQ(direct.error().message, node.to_string() + " get-pods-with-stats: -32601 Method not found");
  EXPECT_EQ(direct.error().rpc_code, -32601);
  EXPECT_EQ(direct.error().where, node.to_string() + " get-pods-with-stats");
  EXPECT_TRUE(is_method_not_found(direct.error()));

  auto best = client.get_pods_best(node);
  ASSERT_TRUE(best.ok()) << best.error().message;
  EXPECT_TRUE(best->used_fallback);
  ASSERT_EQ(best->list.pods.size(), 22u);
  EXPECT_EQ(best->list.pods[0].address, "147.93.179.46:9001");
  auto seen = nodes.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[2].body, R"({"jsonrpc":"2.0","method":"get-pods","id":1})");
}

TEST(PrpcClient, FallbackFailureIsReported) {
  FakeNodes nodes({Behaviour::no_pods_methods});
  http::Client http;
  Client client(http, fast_options());
  const HostPort node = nodes.node(0);
  auto best = client.get_pods_best(node);
  ASSERT_FALSE(best.ok());
  EXPECT_EQ(best.error().code, ErrorCode::kRpcError);
  EXPECT_EQ(best.error().message, node.to_string() + " get-pods: -32601 Method not found");
  EXPECT_EQ(nodes.seen().size(), 2u);
}

TEST(PrpcClient, OtherRpcErrorsDoNotFallBack) {
  FakeNodes nodes({Behaviour::internal_error});
  http::Client http;
  Client client(http, fast_options());
  auto best = client.get_pods_best(nodes.node(0));
  ASSERT_FALSE(best.ok());
  EXPECT_EQ(best.error().rpc_code, -32603);
  EXPECT_FALSE(is_method_not_found(best.error()));
  EXPECT_EQ(nodes.seen().size(), 1u);  // no get-pods call
}

TEST(PrpcClient, HttpStatusAndGarbage) {
  FakeNodes nodes({Behaviour::http_500, Behaviour::garbage});
  http::Client http;
  Client client(http, fast_options());
  auto failing = client.get_stats(nodes.node(0));
  auto garbage = client.get_stats(nodes.node(1));

  auto f = failing.get();
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, ErrorCode::kHttpStatus);
  EXPECT_EQ(f.error().message, nodes.node(0).to_string() + " get-stats: HTTP 500");
  EXPECT_EQ(f.error().http_status, 500);
  EXPECT_EQ(f.error().where, nodes.node(0).to_string() + " get-stats");
  EXPECT_FALSE(f.error().rpc_code.has_value());
  auto g = garbage.get();
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, ErrorCode::kInvalidJson);
  EXPECT_EQ(g.error().message.rfind(nodes.node(1).to_string() + " get-stats: ", 0), 0u) << g.error().message;
  EXPECT_EQ(g.error().where, nodes.node(1).to_string() + " get-stats");
  EXPECT_FALSE(g.error().http_status.has_value());

  auto best = client.get_pods_best(nodes.node(0));
  ASSERT_FALSE(best.ok());
  EXPECT_EQ(best.error().code, ErrorCode::kHttpStatus);
  EXPECT_EQ(best.error().http_status, 500);
}

TEST(PrpcClient, SlowNodeTimesOutWithoutBlockingOthers) {
  FakeNodes nodes({Behaviour::slow, Behaviour::healthy});
  http::Client http(2);
  ClientOptions options = fast_options();
  options.total_timeout = 300ms;
  Client client(http, options);

  auto slow = client.get_version(nodes.node(0));
  auto quick = client.get_version(nodes.node(1));
  auto q = quick.get();
  ASSERT_TRUE(q.ok()) << q.error().message;
  auto s = slow.get();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(s.error().message.rfind(nodes.node(0).to_string() + " get-version: ", 0), 0u) << s.error().message;
}

TEST(PrpcClient, RefusedConnectionKeepsTheTransportKind) {
  uint16_t closed_port = 0;
  {
    FakeNodes nodes({Behaviour::healthy});
    closed_port = nodes.node(0).port;
  }  // stopped: nothing listens there any more
  http::Client http;
  Client client(http, fast_options());
  const HostPort node{"127.0.0.1", closed_port};
  auto r = client.get_pods_with_stats(node).get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRefused);
  EXPECT_EQ(r.error().message.rfind(node.to_string() + " get-pods-with-stats: ", 0), 0u) << r.error().message;
  EXPECT_EQ(r.error().where, node.to_string() + " get-pods-with-stats");
}

// Two calls in a row (the get-pods fallback) share one deadline: the second is given only
// what is left, so a slow node cannot make one seed's poll take two full timeouts.
TEST(PrpcClient, FallbackCallGetsOnlyWhatIsLeftOfTheDeadline) {
  FakeNodes nodes({Behaviour::slow_old_node});
  http::Client http;
  ClientOptions options = fast_options();
  options.total_timeout = 5000ms;
  Client client(http, options);
  const auto started = std::chrono::steady_clock::now();
  auto best = client.get_pods_best(nodes.node(0), started + 800ms);
  ASSERT_FALSE(best.ok());
  EXPECT_EQ(best.error().code, ErrorCode::kTimeout) << best.error().message;
  EXPECT_EQ(best.error().where, nodes.node(0).to_string() + " get-pods");
  // "... timed out after N ms" with N the remainder of the 800 ms, not the 5000 ms timeout.
  const std::string& message = best.error().message;
  const int cut = std::stoi(message.substr(message.rfind("after ") + 6));
  EXPECT_GT(cut, 0);
  EXPECT_LE(cut, 800 - 300);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3000ms);
}

TEST(PrpcClient, CallAfterTheDeadlineFailsAtOnceAsATimeout) {
  FakeNodes nodes({Behaviour::slow});
  http::Client http;
  Client client(http, fast_options());
  auto late = client.get_version(nodes.node(0), std::chrono::steady_clock::now() - 1s).get();
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kTimeout) << late.error().message;
  EXPECT_NE(late.error().message.find("timed out after 1 ms"), std::string::npos) << late.error().message;
}

TEST(PrpcClient, ShutdownCancelsACallToAHangingNode) {
  FakeNodes nodes({Behaviour::slow});
  http::Client http;
  ClientOptions options = fast_options();
  options.total_timeout = 60000ms;
  Client client(http, options);
  auto pending = client.get_pods_with_stats(nodes.node(0));
  std::this_thread::sleep_for(50ms);
  client.shutdown();
  ASSERT_EQ(pending.wait_for(0ms), std::future_status::deferred);
  auto r = pending.get();  // returns without waiting for the 60 s timeout
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCancelled) << r.error().message;
}

}  // namespace
}  // namespace pnode::prpc
