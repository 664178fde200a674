// The prober against fake pods on loopback (each on its own 127.0.0.x address): the
// concurrency cap and one request per pod measured at the pods, timeouts and typed
// failures, bounds, the dial guard, deduplication and discovery across rounds.
#include "collect/prober.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>

#include "http/server.h"
#include "util/json_writer.h"

namespace pnode::collect {
namespace {

using namespace std::chrono_literals;

enum class Mode { kOk, kHang, kDrop, kHttp500, kGarbage, kWrongShape, kHugeCpu };

// `count` pods, pod i on 127.0.0.(10 + i) with an ephemeral port, answering after `delay`.
class FakePods {
 public:
  FakePods(size_t count, std::chrono::milliseconds delay) : delay_(delay), modes_(count, Mode::kOk), lists_(count) {
    http::ServerOptions options;
    options.listen.clear();
    for (size_t i = 0; i < count; ++i) options.listen.push_back(http::Listen{host(i), 0});
    per_pod_ = std::make_unique<std::atomic<int>[]>(count);
    requests_ = std::make_unique<std::atomic<int>[]>(count);
    for (size_t i = 0; i < count; ++i) per_pod_[i] = requests_[i] = 0;
    server_ = std::make_unique<http::Server>(options, [this](const http::Request& r) { return answer(r); });
    ports_ = server_->start().value();
  }
  ~FakePods() { server_->stop(); }

  static std::string host(size_t i) { return "127.0.0." + std::to_string(10 + i); }
  std::string address(size_t i) const { return host(i) + ":9001"; }
  // Distinct base58 keys for up to 72 pods.
  std::string pubkey(size_t i) const { return "Pod" + std::string(40, "ABCDEFGH"[i % 8]) + "123456789"[i % 9]; }
  ProbeTarget target(size_t i) const { return ProbeTarget{address(i), host(i), ports_[i], pubkey(i), false}; }
  std::vector<ProbeTarget> targets() const {
    std::vector<ProbeTarget> out;
    for (size_t i = 0; i < ports_.size(); ++i) out.push_back(target(i));
    return out;
  }
  model::Pod row(size_t i) const {
    model::Pod p;
    p.address = address(i);
    p.pubkey = pubkey(i);
    p.is_public = true;
    p.rpc_port = ports_[i];
    return p;
  }
  void set_mode(size_t i, Mode mode) {
    std::lock_guard lock(mutex_);
    modes_[i] = mode;
  }
  void set_list(size_t i, std::vector<model::Pod> rows) {
    std::lock_guard lock(mutex_);
    lists_[i] = std::move(rows);
  }
  int max_in_flight() const { return max_in_flight_; }
  int max_per_pod() const { return max_per_pod_; }
  int requests(size_t i) const { return requests_[i]; }

 private:
  static void raise_to(std::atomic<int>& maximum, int value) {
    int seen = maximum;
    while (value > seen && !maximum.compare_exchange_weak(seen, value)) {
    }
  }

  http::Response answer(const http::Request& r) {
    size_t i = 0;
    while (i < ports_.size() && !(host(i) == r.local_address && ports_[i] == r.local_port)) ++i;
    if (i == ports_.size()) return http::Response::text(404, "");
    ++requests_[i];
    raise_to(max_in_flight_, ++in_flight_);
    raise_to(max_per_pod_, ++per_pod_[i]);
    http::Response response = answer_as(i, r.body);
    response.delay += delay_;
    auto done = [this, i] {
      --per_pod_[i];
      --in_flight_;
    };
    if (response.drop_connection) {
      done();
      return response;
    }
    response.body = http::body_with_release(std::move(response.body), done);
    return response;
  }

  http::Response answer_as(size_t i, const std::string& body) {
    std::lock_guard lock(mutex_);
    const Mode mode = modes_[i];
    http::Response r;
    if (mode == Mode::kHang) r.delay = 1h;
    if (mode == Mode::kDrop) r.drop_connection = true;
    if (mode == Mode::kHttp500) return http::Response::text(500, "boom");
    if (mode == Mode::kGarbage) return http::Response::json(200, R"({"jsonrpc":"2.0","res)");
    if (mode == Mode::kWrongShape) return http::Response::json(200, R"({"jsonrpc":"2.0","id":1,"result":"x"})");
    JsonWriter w;
    w.begin_object().key("error").null().key("id").value(1).key("jsonrpc").value("2.0").key("result").begin_object();
    if (body.find("get-pods") != std::string::npos) {
      w.key("pods").begin_array();
      for (const model::Pod& p : lists_[i]) {
        w.begin_object().field("address", p.address).field("is_public", true).field("pubkey", *p.pubkey);
        w.field("rpc_port", *p.rpc_port).end_object();
      }
      w.end_array().field("total_count", lists_[i].size());
    } else if (body.find("get-version") != std::string::npos) {
      w.field("version", "0.8.0");
    } else {
      w.field("cpu_percent", mode == Mode::kHugeCpu ? 1e9 : 12.5).field("ram_used", 100).field("ram_total", 1000);
      w.field("active_streams", 3).field("packets_received", 7).field("packets_sent", 9).field("file_size", 4096);
    }
    w.end_object().end_object();
    const http::Response ok = http::Response::json(200, w.take());
    r.status = ok.status;
    r.content_type = ok.content_type;
    r.body = ok.body;
    return r;
  }

  std::chrono::milliseconds delay_;
  std::mutex mutex_;
  std::vector<Mode> modes_;
  std::vector<std::vector<model::Pod>> lists_;
  std::unique_ptr<std::atomic<int>[]> per_pod_, requests_;
  std::atomic<int> in_flight_{0}, max_in_flight_{0}, max_per_pod_{0};
  std::unique_ptr<http::Server> server_;
  std::vector<uint16_t> ports_;
};

ProberConfig quick(size_t concurrency = 4) {
  ProberConfig c;
  c.concurrency = concurrency;
  c.connect_timeout = 1000ms;
  c.total_timeout = 2000ms;
  return c;
}

TEST(Prober, NeverExceedsTheCapAndKeepsOneRequestPerPodInFlight) {
  FakePods pods(24, 20ms);
  Prober prober(quick(4));
  auto round = prober.run_round(pods.targets());
  ASSERT_EQ(round->results.size(), 24u);
  EXPECT_EQ(round->answered, 24u);
  EXPECT_EQ(round->probed, 24u);
  EXPECT_LE(pods.max_in_flight(), 4);
  EXPECT_GE(pods.max_in_flight(), 2);  // it does work concurrently
  EXPECT_EQ(pods.max_per_pod(), 1);
  for (size_t i = 0; i < 24; ++i) EXPECT_EQ(pods.requests(i), 3) << "each pod once per round: three calls";
}

TEST(Prober, RecordsLatenciesAndTheStatsFields) {
  FakePods pods(1, 30ms);
  Prober prober(quick());
  auto round = prober.run_round(pods.targets());
  const model::PodProbe* p = round->find(pods.address(0));
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->reachable);
  EXPECT_EQ(p->failure, "");
  EXPECT_EQ(p->version, "0.8.0");
  EXPECT_GT(p->connect_ms, 0);
  EXPECT_GE(p->total_ms, 90);  // three answers, each 30 ms late
  ASSERT_TRUE(p->stats);
  EXPECT_EQ(p->stats->cpu_percent, 12.5);
  EXPECT_EQ(p->stats->ram_used, 100u);
  EXPECT_EQ(p->stats->active_streams, 3u);
  EXPECT_EQ(p->stats->packets_received, 7u);
  EXPECT_EQ(p->stats->file_size, 4096u);
}

TEST(Prober, EachFailureHasItsType) {
  FakePods pods(6, 0ms);
  pods.set_mode(0, Mode::kHang);
  pods.set_mode(1, Mode::kDrop);
  pods.set_mode(2, Mode::kHttp500);
  pods.set_mode(3, Mode::kGarbage);
  pods.set_mode(4, Mode::kWrongShape);
  std::vector<ProbeTarget> targets = pods.targets();
  ProbeTarget closed = pods.target(5);
  {
    http::Server gone(http::ServerOptions{}, [](const http::Request&) { return http::Response::text(200, ""); });
    closed.rpc_port = gone.start().value()[0];
  }  // nothing listens there any more
  targets[5] = closed;
  ProberConfig config = quick(8);
  config.total_timeout = 300ms;
  Prober prober(config);
  auto round = prober.run_round(targets);
  EXPECT_EQ(round->find(pods.address(0))->failure, "timeout");
  EXPECT_EQ(round->find(pods.address(1))->failure, "protocol");
  EXPECT_EQ(round->find(pods.address(2))->failure, "http_status");
  EXPECT_EQ(round->find(pods.address(3))->failure, "invalid_json");
  EXPECT_EQ(round->find(pods.address(4))->failure, "wrong_shape");
  EXPECT_EQ(round->find(pods.address(5))->failure, "refused");
  EXPECT_EQ(round->answered, 0u);
  EXPECT_LT(round->find(pods.address(0))->total_ms, 1000);  // the total timeout held
  EXPECT_EQ(pods.requests(0), 1);  // no further calls after get-version failed
}

TEST(Prober, StatsOutOfBoundsAreDroppedAndAnswersAreSizeCapped) {
  FakePods pods(2, 0ms);
  pods.set_mode(0, Mode::kHugeCpu);
  ProberConfig config = quick();
  Prober prober(config);
  auto round = prober.run_round({pods.target(0)});
  const model::PodProbe* p = round->find(pods.address(0));
  ASSERT_TRUE(p->stats);
  EXPECT_FALSE(p->stats->cpu_percent);  // 1e9 % is not a CPU load
  EXPECT_GT(p->stats->rejected_fields, 0u);

  config.max_response_bytes = 16;
  Prober tight(config);
  EXPECT_EQ(tight.run_round({pods.target(1)})->find(pods.address(1))->failure, "too_large");
}

TEST(Prober, TheGuardRefusesWithoutSendingAnything) {
  FakePods pods(2, 0ms);
  ProbeTarget real{"192.0.2.10:9001", "192.0.2.10", 6000, std::nullopt, false};  // TEST-NET-1, never dialled
  ProberConfig config = quick();
  config.policy.deny = {parse_cidr(FakePods::host(1)).value()};
  Prober prober(config);
  auto round = prober.run_round({real, pods.target(0), pods.target(1)});
  const model::PodProbe* refused = round->find(real.address);
  EXPECT_EQ(refused->failure, "denied");
  EXPECT_NE(refused->detail.find("127.0.0.0/8"), std::string::npos);
  EXPECT_EQ(refused->total_ms, 0);
  EXPECT_EQ(round->find(pods.address(1))->failure, "denied");
  EXPECT_EQ(pods.requests(1), 0);  // denied: not a byte sent
  EXPECT_TRUE(round->find(pods.address(0))->reachable);
  EXPECT_EQ(round->denied, 2u);
  EXPECT_EQ(round->probed, 1u);
}

TEST(Prober, ProbesEachPodOnceByAddressEndpointAndPubkey) {
  FakePods pods(2, 0ms);
  ProbeTarget same_key = pods.target(1);
  same_key.address = "127.0.0.99:9001";
  same_key.pubkey = pods.pubkey(0);
  Prober prober(quick());
  auto round = prober.run_round({pods.target(0), pods.target(0), same_key});
  EXPECT_EQ(round->results.size(), 1u);
  EXPECT_EQ(pods.requests(0), 3);
  EXPECT_EQ(pods.requests(1), 0);
}

TEST(Prober, PodsListedOnlyByProbedPodsAreProbedNextRound) {
  FakePods pods(3, 0ms);
  model::Pod alias = pods.row(0);  // pod 0 under another address: known by its pubkey
  alias.address = "127.0.0.98:9001";
  pods.set_list(0, {pods.row(1), pods.row(2), alias});
  Prober prober(quick());
  const std::vector<ProbeTarget> gossiped{pods.target(0), pods.target(1)};
  auto first = prober.run_round(gossiped);
  EXPECT_EQ(first->results.size(), 2u);
  EXPECT_EQ(first->discovered_next, 1u);
  EXPECT_EQ(pods.requests(2), 0);

  auto second = prober.run_round(gossiped);
  ASSERT_EQ(second->results.size(), 3u);
  const model::PodProbe* found = second->find(pods.address(2));
  ASSERT_NE(found, nullptr);
  EXPECT_TRUE(found->discovered);
  EXPECT_TRUE(found->reachable);
  EXPECT_EQ(second->round, 2u);
}

TEST(Prober, DiscoveryIsBounded) {
  FakePods pods(4, 0ms);
  pods.set_list(0, {pods.row(1), pods.row(2), pods.row(3)});
  ProberConfig config = quick();
  config.max_discovered = 2;
  Prober prober(config);
  EXPECT_EQ(prober.run_round({pods.target(0)})->discovered_next, 2u);
  EXPECT_EQ(prober.run_round({pods.target(0)})->results.size(), 3u);
}

TEST(Prober, StartRoundReturnsAtOnceAndOneRoundRunsAtATime) {
  FakePods pods(2, 0ms);
  pods.set_mode(0, Mode::kHang);
  ProberConfig config = quick();
  config.total_timeout = 400ms;
  Prober prober(config);
  const auto before = std::chrono::steady_clock::now();
  ASSERT_TRUE(prober.start_round(pods.targets()));
  EXPECT_LT(std::chrono::steady_clock::now() - before, 200ms);
  EXPECT_FALSE(prober.start_round(pods.targets()));  // the first still runs
  EXPECT_EQ(prober.latest(), nullptr);
  ASSERT_TRUE(prober.wait_idle(5s));
  ASSERT_NE(prober.latest(), nullptr);
  EXPECT_EQ(prober.latest()->answered, 1u);
}

// The listener sees each round before it becomes latest(), so whatever it derives is ready
// when a snapshot takes the round.
TEST(Prober, TheRoundListenerRunsBeforeTheRoundIsLatest) {
  FakePods pods(1, 0ms);
  Prober prober(quick());
  std::vector<std::pair<uint64_t, uint64_t>> seen;  // (round, latest()'s round then; 0: none)
  prober.set_round_listener([&](const model::ProbeRound& round) {
    auto latest = prober.latest();
    seen.emplace_back(round.round, latest ? latest->round : 0);
  });
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(prober.start_round(pods.targets()));
    ASSERT_TRUE(prober.wait_idle(5s));
  }
  EXPECT_EQ(seen, (std::vector<std::pair<uint64_t, uint64_t>>{{1, 0}, {2, 1}}));
  EXPECT_EQ(prober.latest()->round, 2u);
}

TEST(Prober, DisabledProbesNothing) {
  FakePods pods(1, 0ms);
  ProberConfig config = quick();
  config.enabled = false;
  Prober prober(config);
  EXPECT_FALSE(prober.start_round(pods.targets()));
  EXPECT_EQ(pods.requests(0), 0);
}

TEST(ProbeTargets, OnlyPodsAdvertisingAPublicEndpoint) {
  model::MergedNode open, closed, no_port;
  open.pod.address = "127.1.0.1:9001";
  open.pod.is_public = true;
  open.pod.rpc_port = 6000;
  closed = open;
  closed.pod.address = "127.1.0.2:9001";
  closed.pod.is_public = false;
  no_port = open;
  no_port.pod.address = "127.1.0.3:9001";
  no_port.pod.rpc_port = 70000;
  model::Registry registry;
  for (const auto* n : {&open, &closed, &no_port}) registry.entries.push_back({.address = n->pod.address});
  registry.reindex();
  auto targets = probe_targets({open, closed, no_port}, registry);
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].host, "127.1.0.1");
  EXPECT_EQ(targets[0].rpc_port, 6000);
}

// A pod the registry did not admit (over its cap, or past a seed's admission budget) is
// not probed: the cap bounds a probe round however many pods the seeds list.
TEST(ProbeTargets, OnlyPodsTheRegistryAdmitted) {
  std::vector<model::MergedNode> listed(5);
  model::Registry registry;
  for (size_t i = 0; i < listed.size(); ++i) {
    listed[i].pod.address = "127.1.0." + std::to_string(i + 1) + ":9001";
    listed[i].pod.is_public = true;
    listed[i].pod.rpc_port = 6000;
    if (i % 2 == 0) registry.entries.push_back({.address = listed[i].pod.address});
  }
  registry.reindex();
  auto targets = probe_targets(listed, registry);
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_EQ(targets[0].address, "127.1.0.1:9001");
  EXPECT_EQ(targets[1].address, "127.1.0.3:9001");
  EXPECT_EQ(targets[2].address, "127.1.0.5:9001");
}

}  // namespace
}  // namespace pnode::collect
