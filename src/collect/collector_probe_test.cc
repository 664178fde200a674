// The collector with a prober: the round runs beside the cycle, never delaying the seeds'
// snapshot, and its results join the next snapshot (and its scores v2, with the credits view).
#include <gtest/gtest.h>

#include "collect/collector.h"
#include "collect/test_fake_node.h"
#include "http/server.h"

namespace pnode::collect {
namespace {

using namespace std::chrono_literals;
using testing::FakeNode;

// A seed listing two public pods: 9001 is the seed itself (it answers), 9002 a server that
// never answers; a collector over it that keeps what it publishes.
struct TwoPodNetwork {
  TwoPodNetwork()
      : hanging(http::ServerOptions{}, [](const http::Request&) {
          http::Response r = http::Response::json(200, "{}");
          r.delay = 1h;
          return r;
        }) {
    const uint16_t hanging_port = hanging.start().value()[0];
    seed.set_pods({{"127.0.0.1:9001", 990}, {"127.0.0.1:9002", 995}});
    seed.set_public("127.0.0.1:9001", seed.port());
    seed.set_public("127.0.0.1:9002", hanging_port);
  }

  FakeNode seed;  // also answers as a pod itself
  http::Server hanging;
  http::Client http{1};
  prpc::Client rpc{http, prpc::ClientOptions{500ms, 1000ms}};
  std::vector<std::shared_ptr<const Snapshot>> published;
  int64_t now = 1000;
  Collector collector{CollectorConfig{{{"seed", HostPort{"127.0.0.1", seed.port()}}}, 10ms, {}}, rpc, nullptr,
                      [this](std::shared_ptr<const Snapshot> s) { published.push_back(s); }, [this] { return now; }};
};

TEST(CollectorProbe, TheRoundRunsBesideTheCycleAndJoinsTheNextSnapshot) {
  TwoPodNetwork net;
  ProberConfig config;
  config.total_timeout = 3000ms;
  Prober prober(config);
  net.collector.set_prober(&prober);
  auto credits = std::make_shared<const analysis::CreditsView>();
  net.collector.set_credits_source([&] { return credits; });

  ASSERT_TRUE(net.collector.run_cycle().ok);
  ASSERT_EQ(net.published.size(), 1u);
  EXPECT_EQ(net.published[0]->probe, nullptr);
  EXPECT_EQ(net.published[0]->credits, credits);  // scoring v2 reads the view the cycle was given
  EXPECT_FALSE(prober.wait_idle(0ms)) << "the snapshot was published while the round still waits for a pod";

  ASSERT_TRUE(prober.wait_idle(10s));
  net.now += 60;
  ASSERT_TRUE(net.collector.run_cycle().ok);
  ASSERT_EQ(net.published.size(), 2u);
  const auto& probe = net.published[1]->probe;
  ASSERT_NE(probe, nullptr);
  EXPECT_EQ(probe->round, 1u);
  EXPECT_EQ(probe->public_pods, 2u);
  EXPECT_TRUE(probe->find("127.0.0.1:9001")->reachable);
  EXPECT_EQ(probe->find("127.0.0.1:9002")->failure, "timeout");
  // Scoring v2 of that snapshot counts what the round measured.
  const auto& views = *net.published[1]->views;
  EXPECT_EQ(views.find("127.0.0.1:9001")->score_v2->factor(analysis::FactorV2::kReachability).value, 1.0);
  EXPECT_EQ(views.find("127.0.0.1:9002")->score_v2->factor(analysis::FactorV2::kReachability).value, 0.0);
  prober.stop();
}

// Each finished round becomes availability on the prober's thread, and the next snapshot
// carries it beside the round: the pod that answers is up, the one that does not is down,
// though gossip lists both.
TEST(CollectorProbe, TheNextSnapshotCarriesTheAvailabilityOfTheRound) {
  TwoPodNetwork net;
  ProberConfig config;
  config.total_timeout = 500ms;
  Prober prober(config, [&net] { return net.now; });
  AvailabilityRecorder availability(nullptr, {});
  prober.set_round_listener([&availability](const model::ProbeRound& round) { availability.record(round); });
  net.collector.set_prober(&prober);
  net.collector.set_availability(&availability);

  ASSERT_TRUE(net.collector.run_cycle().ok);
  EXPECT_EQ(net.published[0]->availability, nullptr);
  ASSERT_TRUE(prober.wait_idle(10s));
  ASSERT_TRUE(net.collector.run_cycle().ok);
  const auto& table = net.published[1]->availability;
  ASSERT_NE(table, nullptr);
  ASSERT_TRUE(table->find("127.0.0.1:9001"));
  EXPECT_EQ(table->find("127.0.0.1:9001")->up_since, 1000);
  ASSERT_TRUE(table->find("127.0.0.1:9002"));
  EXPECT_EQ(table->find("127.0.0.1:9002")->down_since, 1000);
  prober.stop();
}

}  // namespace
}  // namespace pnode::collect
