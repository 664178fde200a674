#include "sim/simulator.h"

#include <gtest/gtest.h>

#include <atomic>
#include <charconv>
#include <map>
#include <set>

#include <boost/json.hpp>

#include "sim/sim_test_util.h"
#include "util/loopback.h"

namespace pnode::sim {
namespace {

namespace json = boost::json;
using testing::body_of;
using testing::rpc;

constexpr int64_t kStart = 1900000000;

// A simulator on a hand-driven clock; tests move `clock` to simulate time.
struct Harness {
  std::shared_ptr<std::atomic<int64_t>> clock = std::make_shared<std::atomic<int64_t>>(kStart);
  std::unique_ptr<Simulator> sim;

  explicit Harness(SimOptions options) {
    auto c = clock;
    options.clock = [c] { return c->load(); };
    auto created = Simulator::create(std::move(options));
    EXPECT_TRUE(created) << (created ? "" : created.error().message);
    if (created) sim = std::move(*created);
  }
  json::value call(int seed, std::string_view method, std::string_view id = "1") {
    http::Response r = sim->handle(seed, rpc(method, id));
    EXPECT_EQ(r.status, 200);
    return json::parse(body_of(r));
  }
};

SimOptions replay(int seeds = 9) {
  SimOptions o;
  o.seeds = seeds;
  o.captures = {testing::kCompactCapture};
  return o;
}

SimOptions synthetic(size_t pods, int seeds = 9) {
  SimOptions o;
  o.seeds = seeds;
  o.mode = SimMode::kSynthetic;
  o.pods = pods;
  return o;
}

std::set<std::string> addresses_in(const json::value& answer) {
  std::set<std::string> out;
  for (const auto& pod : answer.at("result").at("pods").as_array())
    out.insert(std::string(pod.at("address").as_string()));
  return out;
}

TEST(Simulator, SeedsAreThePublicPodsInCaptureOrder) {
  Harness h(replay());
  auto expected = testing::expected_rewrite(testing::kCompactCapture);
  json::value capture = json::parse(testing::read_file(testing::kCompactCapture));
  std::vector<std::string> public_addresses;
  for (const auto& pod : capture.at("result").at("pods").as_array())
    if (pod.at("is_public").is_bool() && pod.at("is_public").as_bool())
      public_addresses.push_back(expected.at(std::string(pod.at("address").as_string())));
  auto seeds = h.sim->seeds();
  ASSERT_EQ(seeds.size(), 9u);
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(seeds[i].index, i);
    EXPECT_EQ(seeds[i].gossip_address, public_addresses[i]);
  }
  EXPECT_EQ(seeds[0].gossip_address, "127.1.0.1:9001");  // 173.212.207.32, the bootstrap
}

TEST(Simulator, UnionOfAllViewsIsExactlyTheCapturedAddressSet) {
  Harness h(replay());
  std::set<std::string> expected;
  for (const auto& [real, served] : testing::expected_rewrite(testing::kCompactCapture)) expected.insert(served);
  ASSERT_EQ(expected.size(), 204u);
  std::set<std::string> seen;
  size_t smallest = 1000, largest = 0;
  for (int seed = 0; seed < h.sim->seed_count(); ++seed) {
    auto view = addresses_in(h.call(seed, "get-pods-with-stats"));
    seen.insert(view.begin(), view.end());
    smallest = std::min(smallest, view.size());
    largest = std::max(largest, view.size());
  }
  EXPECT_EQ(seen, expected);
  // Each view misses itself and only a few unheard peers.
  EXPECT_LT(largest, 204u);
  EXPECT_GT(smallest, 190u);
}

TEST(Simulator, EachSeedExcludesItselfButOthersListIt) {
  Harness h(replay());
  auto seeds = h.sim->seeds();
  for (int seed = 0; seed < h.sim->seed_count(); ++seed) {
    auto view = addresses_in(h.call(seed, "get-pods-with-stats"));
    EXPECT_FALSE(view.count(seeds[seed].gossip_address)) << "seed " << seed;
    auto basic = addresses_in(h.call(seed, "get-pods"));
    EXPECT_FALSE(basic.count(seeds[seed].gossip_address));
    EXPECT_EQ(basic, view);
  }
}

TEST(Simulator, UnionCoversEverySyntheticPodWithTwoSeeds) {
  Harness h(synthetic(3000, 2));
  std::set<std::string> seen;
  for (int seed = 0; seed < 2; ++seed) {
    auto view = addresses_in(h.call(seed, "get-pods-with-stats"));
    seen.insert(view.begin(), view.end());
  }
  EXPECT_EQ(seen.size(), 3000u);
}

// Collects every answer of every method of every seed.
std::vector<std::string> all_answers(Simulator& sim) {
  std::vector<std::string> bodies;
  for (int seed = 0; seed < sim.seed_count(); ++seed)
    for (auto method : {"get-pods-with-stats", "get-pods", "get-stats", "get-version", "nope"})
      bodies.push_back(body_of(sim.handle(seed, rpc(method))));
  bodies.push_back(body_of(sim.handle(0, testing::request("GET", "/sim/state"))));
  return bodies;
}

void expect_only_loopback(Simulator& sim) {
  for (const std::string& body : all_answers(sim)) {
    auto real = testing::non_loopback_ipv4s(body);
    EXPECT_TRUE(real.empty()) << real.front();
    json::value v = json::parse(body);
    if (!v.is_object() || !v.as_object().contains("result") || !v.at("result").is_object()) continue;
    const auto& result = v.at("result").as_object();
    if (!result.contains("pods")) continue;
    for (const auto& pod : result.at("pods").as_array()) {
      auto hp = parse_host_port(pod.at("address").as_string(), 0);
      ASSERT_TRUE(hp);
      EXPECT_TRUE(hp->host.starts_with("127.1.") || hp->host.starts_with("127.2.")) << hp->host;
    }
  }
}

TEST(Simulator, NoAnswerEverCarriesARealAddress) {
  {
    Harness h(replay());
    expect_only_loopback(*h.sim);
    // The capture's 127.0.0.1:9015 test row is rewritten too.
    std::string body = body_of(h.sim->handle(1, rpc("get-pods-with-stats")));
    EXPECT_EQ(body.find("127.0.0.1:9015"), std::string::npos);
    EXPECT_NE(body.find("TestPubkey14"), std::string::npos);
  }
  {
    SimOptions o = replay();
    o.captures = {testing::kCompactCapture, testing::kPrettyCapture};
    o.churn.enabled = true;
    o.churn.rate_per_minute = 0.05;
    Harness h(o);
    h.clock->fetch_add(650);  // into the second capture, churned
    expect_only_loopback(*h.sim);
  }
  {
    Harness h(synthetic(2000));
    expect_only_loopback(*h.sim);
  }
}

TEST(Simulator, EnvelopeIsCompactSortedAndEchoesTheId) {
  Harness h(replay());
  for (auto method : {"get-pods-with-stats", "get-pods", "get-stats", "get-version"}) {
    std::string body = body_of(h.sim->handle(2, rpc(method, "1767498079441")));
    EXPECT_TRUE(body.starts_with(R"({"error":null,"id":1767498079441,"jsonrpc":"2.0","result":)")) << body.substr(0, 80);
    EXPECT_TRUE(testing::is_compact(body));
    EXPECT_TRUE(testing::keys_sorted_everywhere(json::parse(body))) << method;
  }
  EXPECT_TRUE(body_of(h.sim->handle(2, rpc("get-version", R"("my-id")"))).starts_with(R"({"error":null,"id":"my-id",)"));
  http::Request no_id = rpc("get-version");
  no_id.body = R"({"jsonrpc":"2.0","method":"get-version"})";
  EXPECT_TRUE(body_of(h.sim->handle(2, no_id)).starts_with(R"({"error":null,"id":null,)"));
  // The same id twice within a second shares one cached body; another id gets its own.
  auto first = h.sim->handle(2, rpc("get-pods-with-stats", "5")).body;
  auto again = h.sim->handle(2, rpc("get-pods-with-stats", "5")).body;
  auto other = h.sim->handle(2, rpc("get-pods-with-stats", "6")).body;
  EXPECT_EQ(first.get(), again.get());
  EXPECT_NE(first.get(), other.get());
  EXPECT_EQ(first->substr(first->find("\"jsonrpc\"")), other->substr(other->find("\"jsonrpc\"")));
}

TEST(Simulator, PodsWithStatsRowsAreFaithful) {
  Harness h(replay());
  h.clock->fetch_add(30);
  std::string body = body_of(h.sim->handle(4, rpc("get-pods-with-stats")));
  EXPECT_NE(body.find("\"storage_usage_percent\":0.0,"), std::string::npos);
  EXPECT_NE(body.find("\"storage_usage_percent\":50.0,"), std::string::npos);
  json::value v = json::parse(body);
  const auto& pods = v.at("result").at("pods").as_array();
  EXPECT_EQ(v.at("result").at("total_count").as_int64(), static_cast<int64_t>(pods.size()));
  int all_null = 0;
  for (const auto& pod : pods) {
    const auto& o = pod.as_object();
    EXPECT_EQ(o.size(), 10u);
    if (o.at("pubkey").is_null()) {
      ++all_null;
      for (auto key : {"is_public", "rpc_port", "storage_committed", "storage_usage_percent", "storage_used", "uptime"})
        EXPECT_TRUE(o.at(key).is_null()) << key;
      EXPECT_EQ(o.at("version").as_string(), "unknown");
      continue;
    }
    double used = static_cast<double>(o.at("storage_used").to_number<uint64_t>());
    double committed = static_cast<double>(o.at("storage_committed").to_number<uint64_t>());
    double percent = o.at("storage_usage_percent").to_number<double>();
    EXPECT_NEAR(percent, used / committed * 100, 1e-12 * std::max(1.0, percent));
    EXPECT_LE(kStart + 30 - o.at("last_seen_timestamp").as_int64(), 3600);
  }
  EXPECT_EQ(all_null, 1);
}

TEST(Simulator, GetPodsHasFourKeysAndGetStatsTwelve) {
  Harness h(replay());
  json::value pods = h.call(0, "get-pods");
  for (const auto& pod : pods.at("result").at("pods").as_array()) {
    const auto& o = pod.as_object();
    ASSERT_EQ(o.size(), 4u);
    EXPECT_TRUE(o.contains("address") && o.contains("last_seen_timestamp") && o.contains("pubkey") &&
                o.contains("version"));
  }
  std::string stats_body = body_of(h.sim->handle(0, rpc("get-stats")));
  json::value stats = json::parse(stats_body);
  const auto& r = stats.at("result").as_object();
  EXPECT_EQ(r.size(), 12u);
  EXPECT_EQ(r.at("active_streams").as_int64(), 2);
  EXPECT_TRUE(r.at("cpu_percent").is_double());
  // The seed's own row (173.212.207.32 in the capture) feeds its stats.
  EXPECT_EQ(r.at("file_size").as_int64(), 340000000000);
  EXPECT_EQ(r.at("total_bytes").as_int64(), 1590);
  EXPECT_EQ(r.at("uptime").as_int64(), 208871);
  // cpu_percent is an f32 widened to f64 (read exactly: Boost.JSON may round 1 ulp off).
  size_t at = stats_body.find("\"cpu_percent\":") + 14;
  double cpu = 0;
  std::from_chars(stats_body.data() + at, stats_body.data() + stats_body.size(), cpu);
  EXPECT_GT(cpu, 0.0);
  EXPECT_EQ(static_cast<double>(static_cast<float>(cpu)), cpu);
  EXPECT_EQ(h.call(0, "get-version").at("result").at("version").as_string(), "0.8.0");

  // Packets are cumulative and uptime advances with the clock.
  h.clock->fetch_add(100);
  json::value later = h.call(0, "get-stats");
  EXPECT_EQ(later.at("result").at("uptime").as_int64(), 208971);
  EXPECT_GT(later.at("result").at("packets_received").as_int64(), r.at("packets_received").as_int64() + 2000);
}

TEST(Simulator, UnknownMethodIsMethodNotFoundWithHttp200) {
  Harness h(replay());
  http::Response r = h.sim->handle(0, rpc("get-node-info", "7"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(body_of(r), R"({"error":{"code":-32601,"message":"Method not found"},"id":7,"jsonrpc":"2.0"})");
}

TEST(Simulator, RejectsBadRequestsLikeAxum) {
  Harness h(replay());
  http::Request no_type = rpc("get-version");
  no_type.headers.clear();
  EXPECT_EQ(h.sim->handle(0, no_type).status, 415);
  EXPECT_EQ(h.sim->handle(0, no_type).content_type, "text/plain; charset=utf-8");
  http::Request wrong_type = rpc("get-version");
  wrong_type.headers = {{"content-type", "text/plain"}};
  EXPECT_EQ(h.sim->handle(0, wrong_type).status, 415);
  http::Request bad_json = rpc("get-version");
  bad_json.body = "{nope";
  EXPECT_EQ(h.sim->handle(0, bad_json).status, 400);
  http::Request no_method = rpc("get-version");
  no_method.body = R"({"jsonrpc":"2.0","id":1})";
  EXPECT_EQ(h.sim->handle(0, no_method).status, 422);
  http::Request batch = rpc("get-version");
  batch.body = R"([{"jsonrpc":"2.0","method":"get-version","id":1}])";
  EXPECT_EQ(h.sim->handle(0, batch).status, 422);
  http::Request other_path = rpc("get-version");
  other_path.target = "/prpc";
  http::Response not_found = h.sim->handle(0, other_path);
  EXPECT_EQ(not_found.status, 404);
  EXPECT_EQ(not_found.body, nullptr);
  http::Request get = rpc("get-version");
  get.method = "GET";
  http::Response not_allowed = h.sim->handle(0, get);
  EXPECT_EQ(not_allowed.status, 405);
  EXPECT_EQ(not_allowed.body, nullptr);
  EXPECT_EQ(http::find_header(not_allowed.headers, "Allow"), "POST");
}

TEST(Simulator, EachFaultAffectsOnlyItsSeed) {
  Harness h(replay(3));
  auto healthy = [&](int seed) {
    http::Response r = h.sim->handle(seed, rpc("get-pods-with-stats"));
    return r.status == 200 && r.delay.count() == 0 && !r.drop_connection &&
           json::parse(body_of(r)).at("result").at("pods").is_array();
  };

  ASSERT_TRUE(h.sim->set_fault(1, make_fault(FaultKind::kSlow, 1500)));
  http::Response slow = h.sim->handle(1, rpc("get-pods-with-stats"));
  EXPECT_EQ(slow.delay, std::chrono::milliseconds(1500));
  EXPECT_TRUE(json::parse(body_of(slow)).at("result").at("pods").is_array());
  EXPECT_TRUE(healthy(0));
  EXPECT_TRUE(healthy(2));

  h.sim->set_fault(1, make_fault(FaultKind::kHang));
  EXPECT_GE(h.sim->handle(1, rpc("get-version")).delay, std::chrono::milliseconds(3600 * 1000));

  h.sim->set_fault(1, make_fault(FaultKind::kHttp500));
  EXPECT_EQ(h.sim->handle(1, rpc("get-version")).status, 500);

  h.sim->set_fault(1, make_fault(FaultKind::kGarbage));
  for (auto method : {"get-pods-with-stats", "get-version", "get-stats"}) {
    http::Response garbage = h.sim->handle(1, rpc(method));
    EXPECT_EQ(garbage.status, 200);
    json::error_code ec;
    json::parse(body_of(garbage), ec);
    EXPECT_TRUE(ec) << body_of(garbage);
  }

  h.sim->set_fault(1, make_fault(FaultKind::kWrongShape));
  json::value wrong = json::parse(body_of(h.sim->handle(1, rpc("get-pods-with-stats", "3"))));
  EXPECT_EQ(wrong.at("id").as_int64(), 3);
  EXPECT_FALSE(wrong.at("result").is_object());

  h.sim->set_fault(1, make_fault(FaultKind::kPre07));
  json::value pre07 = h.call(1, "get-pods-with-stats");
  EXPECT_EQ(pre07.at("error").at("code").as_int64(), -32601);
  EXPECT_FALSE(pre07.as_object().contains("result"));
  EXPECT_TRUE(h.call(1, "get-pods").at("result").at("pods").is_array());
  EXPECT_EQ(h.call(1, "get-version").at("result").at("version").as_string(), "0.6.0");

  h.sim->set_fault(1, make_fault(FaultKind::kDrop));
  EXPECT_TRUE(h.sim->handle(1, rpc("get-version")).drop_connection);
  EXPECT_TRUE(healthy(0));
  EXPECT_TRUE(healthy(2));

  h.sim->set_fault(1, make_fault(FaultKind::kNone));
  EXPECT_TRUE(healthy(1));
  EXPECT_FALSE(h.sim->set_fault(3, make_fault(FaultKind::kDrop)));
}

TEST(Simulator, ControlEndpointsSetFaultsAndReportState) {
  Harness h(replay(3));
  http::Request set = testing::request("POST", "/sim/faults");
  set.headers = {{"Content-Type", "application/json"}};
  set.body = R"({"seed":2,"fault":"slow","delay_ms":250})";
  http::Response r = h.sim->handle(0, set);  // any seed's port controls every seed
  ASSERT_EQ(r.status, 200) << body_of(r);
  EXPECT_EQ(body_of(r), R"({"delay_ms":250,"fault":"slow","seed":2})");
  EXPECT_EQ(h.sim->fault(2), make_fault(FaultKind::kSlow, 250));
  EXPECT_EQ(h.sim->handle(2, rpc("get-version")).delay, std::chrono::milliseconds(250));

  set.body = R"({"seed":9,"fault":"slow"})";
  EXPECT_EQ(h.sim->handle(0, set).status, 400);
  set.body = R"({"seed":1,"fault":"explode"})";
  EXPECT_EQ(h.sim->handle(0, set).status, 400);
  set.body = "nope";
  EXPECT_EQ(h.sim->handle(0, set).status, 400);

  json::value state = json::parse(body_of(h.sim->handle(1, testing::request("GET", "/sim/state"))));
  EXPECT_EQ(state.at("pod_count").as_int64(), 204);
  EXPECT_EQ(state.at("mode").as_string(), "replay");
  EXPECT_EQ(state.at("time").as_int64(), kStart);
  const auto& seeds = state.at("seeds").as_array();
  ASSERT_EQ(seeds.size(), 3u);
  EXPECT_EQ(seeds[0].at("address").as_string(), "127.1.0.1:9001");
  EXPECT_EQ(seeds[2].at("fault").as_string(), "slow");
  EXPECT_EQ(seeds[2].at("delay_ms").as_int64(), 250);
  EXPECT_EQ(seeds[1].at("fault").as_string(), "none");
  EXPECT_EQ(h.sim->handle(1, testing::request("POST", "/sim/state")).status, 405);
}

TEST(Simulator, InitialFaultsComeFromOptions) {
  SimOptions o = replay(3);
  o.faults.push_back(parse_fault_spec("seed=1:http500").value());
  Harness h(o);
  EXPECT_EQ(h.sim->handle(1, rpc("get-version")).status, 500);
  EXPECT_EQ(h.sim->handle(0, rpc("get-version")).status, 200);
}

TEST(Simulator, RefusesNonLoopbackListenAndImpossibleSeeds) {
  SimOptions o = replay();
  o.listen_address = "0.0.0.0";
  EXPECT_FALSE(Simulator::create(o));
  o.listen_address = "192.168.1.2";
  EXPECT_FALSE(Simulator::create(o));
  o = replay(59);  // the capture has 58 public pods
  EXPECT_FALSE(Simulator::create(o));
  o = replay();
  o.captures = {"/nonexistent/capture.json"};
  EXPECT_FALSE(Simulator::create(o));
  o = replay(3);
  o.faults.push_back(SeedFault{3, make_fault(FaultKind::kDrop)});
  EXPECT_FALSE(Simulator::create(o));
}

TEST(FaultSpec, ParsesTheFlag) {
  auto f = parse_fault_spec("seed=2:slow:1500");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->seed, 2);
  EXPECT_EQ(f->fault, make_fault(FaultKind::kSlow, 1500));
  EXPECT_EQ(parse_fault_spec("seed=0:slow")->fault.delay, kDefaultSlowDelay);
  EXPECT_EQ(parse_fault_spec("seed=4:wrong_shape")->fault.kind, FaultKind::kWrongShape);
  EXPECT_FALSE(parse_fault_spec("seed=x:slow"));
  EXPECT_FALSE(parse_fault_spec("2:slow"));
  EXPECT_FALSE(parse_fault_spec("seed=1:boom"));
  EXPECT_FALSE(parse_fault_spec("seed=1:slow:-5"));
}

TEST(Simulator, ChurnChangesViewsOverSimulatedTimeAndRestartsLowerUptime) {
  SimOptions o = replay(3);
  o.churn.enabled = true;
  o.churn.rate_per_minute = 0.05;
  o.rng_seed = 9;
  Harness h(o);
  auto view_at = [&](int64_t dt) {
    h.clock->store(kStart + dt);
    json::value v = h.call(0, "get-pods-with-stats");
    std::map<std::string, json::object> out;
    for (const auto& pod : v.at("result").at("pods").as_array()) {
      // Identify nodes by pubkey + IP: NAT rows change port under churn.
      std::string address(pod.at("address").as_string());
      out[address.substr(0, address.rfind(':'))] = pod.as_object();
    }
    return out;
  };
  auto before = view_at(0);
  bool changed_membership = false;
  int restarts = 0;
  auto previous = before;
  for (int64_t dt = 120; dt <= 1800; dt += 120) {
    auto now = view_at(dt);
    std::set<std::string> a, b;
    for (auto& [ip, pod] : previous) a.insert(ip);
    for (auto& [ip, pod] : now) b.insert(ip);
    changed_membership |= a != b;
    for (auto& [ip, pod] : now) {
      auto it = previous.find(ip);
      if (it == previous.end() || pod.at("uptime").is_null() || it->second.at("uptime").is_null()) continue;
      restarts += pod.at("uptime").as_int64() < it->second.at("uptime").as_int64();
    }
    previous = std::move(now);
  }
  EXPECT_TRUE(changed_membership);
  EXPECT_GT(restarts, 0);
}

TEST(Simulator, SameSeedAndClockGiveIdenticalAnswers) {
  SimOptions o = synthetic(1500, 4);
  o.churn.enabled = true;
  o.rng_seed = 77;
  Harness a(o), b(o);
  a.clock->store(kStart + 1234);
  b.clock->store(kStart + 1234);
  for (int seed = 0; seed < 4; ++seed)
    for (auto method : {"get-pods-with-stats", "get-pods", "get-stats", "get-version"})
      EXPECT_EQ(body_of(a.sim->handle(seed, rpc(method))), body_of(b.sim->handle(seed, rpc(method))));
  o.rng_seed = 78;
  Harness c(o);
  c.clock->store(kStart + 1234);
  EXPECT_NE(body_of(a.sim->handle(0, rpc("get-pods-with-stats"))), body_of(c.sim->handle(0, rpc("get-pods-with-stats"))));
}

TEST(Simulator, SyntheticHundredThousandPodsAreServedFromOneCachedBody) {
  Harness h(synthetic(100000, 2));
  http::Response first = h.sim->handle(0, rpc("get-pods-with-stats"));
  http::Response second = h.sim->handle(0, rpc("get-pods-with-stats"));
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.body.get(), second.body.get());
  const std::string& body = *first.body;
  std::string tail = body.substr(body.rfind("\"total_count\":"));
  int64_t total = std::stoll(tail.substr(14));
  EXPECT_GT(total, 97000);
  EXPECT_LT(total, 100000);
  EXPECT_TRUE(body.ends_with("}}"));
  h.clock->fetch_add(1);
  EXPECT_NE(h.sim->handle(0, rpc("get-pods-with-stats")).body.get(), first.body.get());
}

}  // namespace
}  // namespace pnode::sim

namespace pnode::sim {
namespace {

// POST /sim/nodes: a node leaves every seed's view, and comes back.
TEST(SimulatorNodes, ANodeTakenOfflineLeavesEveryViewUntilItIsPutBack) {
  Harness h(synthetic(40, 3));
  ASSERT_TRUE(h.sim);
  std::set<std::string> seed_addresses;
  for (const auto& s : h.sim->seeds()) seed_addresses.insert(s.gossip_address);
  std::string victim;
  for (const auto& pod : h.sim->network_pods())
    if (victim.empty() && !seed_addresses.contains(pod.address)) victim = pod.address;
  ASSERT_FALSE(victim.empty());
  auto post = [&](const std::string& body) {
    http::Request r;
    r.method = "POST";
    r.target = "/sim/nodes";
    r.body = body;
    return h.sim->handle(0, r);
  };
  auto listed = [&] {
    int views = 0;
    for (int seed = 0; seed < 3; ++seed) views += static_cast<int>(addresses_in(h.call(seed, "get-pods")).count(victim));
    return views;
  };
  ASSERT_GT(listed(), 0);
  auto off = post(R"({"address":")" + victim + R"(","online":false})");
  EXPECT_EQ(off.status, 200) << body_of(off);
  EXPECT_EQ(listed(), 0) << "at once, not at the next second";
  h.clock->fetch_add(30);
  EXPECT_EQ(listed(), 0) << "until it is put back";
  EXPECT_EQ(post(R"({"address":")" + victim + R"(","online":true})").status, 200);
  EXPECT_GT(listed(), 0);
  EXPECT_EQ(post(R"({"address":"127.9.9.9:1","online":false})").status, 404);
  EXPECT_EQ(post(R"({"address":")" + h.sim->seeds()[1].gossip_address + R"(","online":false})").status, 400)
      << "a seed cannot go offline";
  EXPECT_EQ(post(R"({"online":false})").status, 400);
  EXPECT_EQ(post("not json").status, 400);
}

}  // namespace
}  // namespace pnode::sim
