// The simulator over real sockets: pnode::http::Server on ephemeral loopback ports,
// queried with pnode::http::Client.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/client.h"
#include "sim/sim_test_util.h"
#include "sim/simulator.h"

namespace pnode::sim {
namespace {

namespace json = boost::json;

Result<http::ClientResponse> post(http::Client& client, uint16_t port, std::string target, std::string body) {
  http::ClientRequest request;
  request.host = "127.0.0.1";
  request.port = port;
  request.target = std::move(target);
  request.body = std::move(body);
  request.connect_timeout = std::chrono::milliseconds(2000);
  request.total_timeout = std::chrono::milliseconds(3000);
  return client.send(std::move(request)).get();
}

TEST(SimulatorServer, ServesEverySeedOnItsOwnLoopbackPort) {
  SimOptions options;
  options.seeds = 3;
  options.base_port = 0;
  options.captures = {testing::kCompactCapture};
  auto sim = Simulator::create(options);
  ASSERT_TRUE(sim) << sim.error().message;
  auto ports = (*sim)->start();
  ASSERT_TRUE(ports) << ports.error().message;
  ASSERT_EQ(ports->size(), 3u);
  EXPECT_EQ((*sim)->ip_nodes(), "127.0.0.1:" + std::to_string((*ports)[0]) + ",127.0.0.1:" +
                                    std::to_string((*ports)[1]) + ",127.0.0.1:" + std::to_string((*ports)[2]));

  http::Client client;
  auto seeds = (*sim)->seeds();
  for (size_t i = 0; i < 3; ++i) {
    auto r = post(client, (*ports)[i], "/rpc", R"({"jsonrpc":"2.0","method":"get-pods-with-stats","id":1})");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 200);
    json::value v = json::parse(r->body);
    const auto& pods = v.at("result").at("pods").as_array();
    EXPECT_GT(pods.size(), 190u);
    for (const auto& pod : pods) EXPECT_NE(pod.at("address").as_string(), seeds[i].gossip_address);  // self-excluded
  }

  // Faults over HTTP: drop closes the connection without an answer, only on that seed.
  auto set = post(client, (*ports)[0], "/sim/faults", R"({"seed":1,"fault":"drop"})");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->status, 200);
  auto dropped = post(client, (*ports)[1], "/rpc", R"({"jsonrpc":"2.0","method":"get-version","id":1})");
  EXPECT_FALSE(dropped);
  auto fine = post(client, (*ports)[2], "/rpc", R"({"jsonrpc":"2.0","method":"get-version","id":1})");
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->body, R"({"error":null,"id":1,"jsonrpc":"2.0","result":{"version":"0.8.0"}})");

  // A slow seed answers after its delay without holding up the others.
  post(client, (*ports)[0], "/sim/faults", R"({"seed":1,"fault":"slow","delay_ms":300})");
  auto slow = post(client, (*ports)[1], "/rpc", R"({"jsonrpc":"2.0","method":"get-version","id":2})");
  ASSERT_TRUE(slow) << slow.error().message;
  EXPECT_EQ(slow->status, 200);

  http::ClientRequest state;
  state.host = "127.0.0.1";
  state.port = (*ports)[2];
  state.method = "GET";
  state.target = "/sim/state";
  auto s = client.send(std::move(state)).get();
  ASSERT_TRUE(s);
  EXPECT_EQ(json::parse(s->body).at("seeds").at(1).at("fault").as_string(), "slow");
  (*sim)->stop();
}

}  // namespace
}  // namespace pnode::sim
