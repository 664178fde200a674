// Events end to end (issue 12): the simulator's seeds all stop answering for three
// attempts and answer again, and what the server tells through every way out: the outbox
// (GET /events), the Server-Sent Events stream and the dashboard's WebSocket. When the
// seeds fail nobody is told that the nodes went offline: one seed_unreachable event, no
// node event, no alert transition; then one seed_recovered. Runs on both backends.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <functional>
#include <thread>

#include "e2e_support.h"
#include "http/test_sockets.h"
#include "http/test_websocket_client.h"
#include "process.h"

namespace pnode::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

const char* kCapture = "get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json";
constexpr int kSeeds = 9;

class EventsE2E : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = fresh_test_dir("pnode-events-e2e");
    Simulator sim = start_simulator({"--capture", fixture(kCapture), "--seed", "7"}, kSeeds,
                                    (dir_ / "sim.log").string());
    ASSERT_TRUE(sim.process);
    sim_ = std::move(sim.process);
    seed_ports_ = std::move(sim.seed_ports);
    auto url = fresh_database_url(GetParam(), dir_);
    if (!url) return;
    server_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{PNODE_BINARY, "serve"},
        std::map<std::string, std::string>{{"IP_NODES", sim.ip_nodes},
                                           {"CACHE_TTL", "1"},
                                           {"PORT", "0"},
                                           {"RPC_TIMEOUT_MS", "800"},
                                           {"RPC_CONNECT_TIMEOUT_MS", "500"},
                                           {"DATABASE_URL", *url}},
        (dir_ / "server.log").string());
    auto port = wait_serving_port(*server_, 10s);
    ASSERT_TRUE(port) << "server did not start";
    port_ = *port;
  }

  void TearDown() override {
    server_.reset();
    sim_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // Waits until `count` lines after the log's current end match `pattern`.
  bool wait_log_lines(const std::string& pattern, int count, std::chrono::seconds limit) {
    const size_t from = server_->lines().size();
    const std::regex re(pattern);
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      auto all = server_->lines();
      int matched = 0;
      for (size_t i = from; i < all.size(); ++i) matched += std::regex_search(all[i], re);
      if (matched >= count) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  void set_every_seed(const std::string& fault) {
    for (int seed = 0; seed < kSeeds; ++seed) {
      auto r = http_call(seed_ports_[0], "POST", "/sim/faults",
                         "{\"seed\":" + std::to_string(seed) + ",\"fault\":\"" + fault + "\"}");
      ASSERT_EQ(r.status, 200) << r.body;
    }
  }

  // The outbox's events after `after`, as GET /events pages them.
  std::vector<json::object> events_after(int64_t after) {
    std::vector<json::object> out;
    for (;;) {
      auto r = http_call(port_, "GET", "/events?limit=1000&after=" + std::to_string(after));
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) return out;
      for (const auto& e : r.json.at("events").as_array()) out.push_back(e.as_object());
      if (!r.json.at("more").as_bool()) return out;
      after = r.json.at("next").as_int64();
    }
  }

  int64_t last_seq() {
    auto all = events_after(0);
    return all.empty() ? 0 : all.back().at("seq").as_int64();
  }

  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> sim_, server_;
  std::vector<uint16_t> seed_ports_;
  uint16_t port_ = 0;
};

std::vector<std::string> types_of(const std::vector<json::object>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.emplace_back(e.at("type").as_string());
  return out;
}

// The types of the events in the WebSocket's "events" messages until `last` arrives
// (snapshot messages are skipped); stops at the first read that fails.
std::vector<std::string> websocket_event_types(http::testing::WebSocketClient& ws, const std::string& last) {
  std::vector<std::string> out;
  for (int messages = 0; messages < 200; ++messages) {
    boost::beast::error_code error;
    std::string text = ws.read(&error, 20s);
    if (error) break;
    json::value m = json::parse(text);
    if (m.at("type") != "events") continue;
    for (const auto& e : m.at("events").as_array()) {
      out.emplace_back(e.at("type").as_string());
      if (out.back() == last) return out;
    }
  }
  return out;
}

// The `event:` names of the SSE frames until `last` (heartbeats skipped).
std::vector<std::string> stream_event_types(http::testing::RawConnection& stream, const std::string& last) {
  std::vector<std::string> out;
  for (;;) {
    std::string frame = stream.read_until("\n\n");
    if (frame.empty()) return out;
    auto at = frame.find("event: ");
    if (at == std::string::npos) continue;
    out.push_back(frame.substr(at + 7, frame.find('\n', at) - at - 7));
    if (out.back() == last) return out;
  }
}

TEST_P(EventsE2E, SeedsDownForThreeAttemptsTellOneSeedEventAndNoNodeEventOnEveryWayOut) {
  if (!server_) return;  // skipped: no PostgreSQL here
  ASSERT_TRUE(wait_log_lines("cycle \\d+: .* pods", 2, 15s)) << "no conclusive cycles";
  const int64_t before = last_seq();
  ASSERT_GT(before, 0) << "the first cycle discovers every node";

  http::testing::WebSocketClient ws;
  ASSERT_FALSE(ws.connect(port_, "/ws/pnodes"));
  ASSERT_FALSE(ws.read().empty()) << "the hello message";
  http::testing::RawConnection stream(port_, 30000);
  ASSERT_TRUE(stream.send_all("GET /events/stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_NE(stream.read_until("\r\n\r\n").find("200"), std::string::npos);

  set_every_seed("drop");
  ASSERT_TRUE(wait_log_lines("inconclusive", 3, 20s)) << "three inconclusive attempts";
  set_every_seed("none");
  ASSERT_TRUE(wait_log_lines("cycle \\d+: .* pods", 1, 20s)) << "the seeds answer again";

  auto during = events_after(before);
  auto types = types_of(during);
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(std::count(types.begin(), types.end(), "seed_unreachable"), 1) << json::serialize(json::value_from(types));
  EXPECT_EQ(std::count(types.begin(), types.end(), "seed_recovered"), 1);
  for (const auto& t : types) {
    EXPECT_EQ(t.rfind("seed_", 0), 0u) << "nothing but seed events while the seeds were down and after: " << t;
  }
  const auto& unreachable = *std::find_if(during.begin(), during.end(),
                                          [](const auto& e) { return e.at("type") == "seed_unreachable"; });
  EXPECT_EQ(unreachable.at("data").at("seeds").as_array().size(), static_cast<size_t>(kSeeds));
  EXPECT_EQ(unreachable.at("data").at("reachable"), 0);

  EXPECT_EQ(websocket_event_types(ws, "seed_recovered"), types) << "the WebSocket carries the same events in order";
  EXPECT_EQ(stream_event_types(stream, "seed_recovered"), types) << "so does the event stream";
}

PNODE_STORE_BACKENDS(EventsE2E);

}  // namespace
}  // namespace pnode::testing
