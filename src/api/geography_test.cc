// Geography over Debian's offline location database (no packet is sent): where each node
// is, the concentration of the online ones, and the routes that serve them.
#include "api/geography.h"

#include <gtest/gtest.h>

#include "api/route_test_support.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

std::shared_ptr<const GeographyIndex> open_index() {
  auto locator = geo::Locator::open();
  if (!locator.ok()) return nullptr;
  std::shared_ptr<const geo::Locator> shared = std::move(*locator);
  return std::make_shared<const GeographyIndex>(std::move(shared));
}

// Two Hetzner (DE, AS24940) nodes, one Google (US, AS15169), one on loopback, one offline
// Hetzner node.
std::shared_ptr<const model::Snapshot> public_network() {
  auto offline = make_offline_view("88.198.0.9:9001", 900);
  return make_snapshot(1000, {"127.0.0.1:6000"},
                       make_views({make_online_view("88.198.0.1:9001", 990, 100, 50),
                                   make_online_view("88.198.0.2:9001", 990, 100, 50),
                                   make_online_view("8.8.8.8:9001", 990, 100, 50),
                                   make_online_view("127.1.0.1:9001", 990, 100, 50), offline}));
}

class GeographyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index = open_index();
    if (!index) GTEST_SKIP() << "no location database installed";
  }
  std::shared_ptr<const GeographyIndex> index;
};

TEST(GeographyAddress, TheIpOfANodeAddress) {
  EXPECT_EQ(ip_of_node_address("1.2.3.4:9001"), "1.2.3.4");
  EXPECT_EQ(ip_of_node_address("[2001:db8::1]:9001"), "2001:db8::1");
  EXPECT_EQ(ip_of_node_address("1.2.3.4"), "") << "no port: not a node address";
}

TEST_F(GeographyTest, AnAddressThatIsNoIpIsUnknownWithoutALookup) {
  EXPECT_EQ(index->locate_address(std::string(300, 'x') + ":1").reach, geo::Reach::kUnknown);
  EXPECT_EQ(index->locate_address("no-port").reach, geo::Reach::kUnknown);
}

TEST_F(GeographyTest, LocatesEveryNodeAndMeasuresTheOnlineOnesLeavingLocalOnesApart) {
  Geography g = index->build(*public_network());
  EXPECT_EQ(index->locate_address("88.198.0.1:9001").asn, 24940u);
  EXPECT_EQ(index->locate_address("8.8.8.8:9001").country_code, "US");
  EXPECT_EQ(index->locate_address("127.1.0.1:9001").reach, geo::Reach::kLocal);
  EXPECT_EQ(g.concentration.located, 3u) << "only online nodes count";
  EXPECT_EQ(g.concentration.unlocated, 1u);
  ASSERT_FALSE(g.concentration.asns.holders.empty());
  EXPECT_EQ(g.concentration.asns.holders[0].key, "AS24940");
  EXPECT_EQ(g.concentration.asns.holders[0].pods, 2u);

  auto warnings = concentration_warnings(g);
  ASSERT_EQ(warnings.size(), 2u) << "Germany and Hetzner each hold two of three";
  EXPECT_EQ(warnings[0].dimension, "country");
  EXPECT_EQ(warnings[1].dimension, "asn");
  EXPECT_NE(warnings[1].message.find("AS24940"), std::string::npos) << warnings[1].message;
  EXPECT_NE(warnings[1].message.find("67%"), std::string::npos) << warnings[1].message;
}

TEST_F(GeographyTest, RemembersEachIpOnceAndForgetsAllPastItsBound) {
  index->build(*public_network());
  EXPECT_EQ(index->remembered_ips(), 4u) << "the online nodes' (an offline one's when it is asked for)";
  index->build(*public_network());
  EXPECT_EQ(index->remembered_ips(), 4u) << "a second cycle looks nothing up again";
  index->locate_address("88.198.0.9:9001");
  EXPECT_EQ(index->remembered_ips(), 5u);
  for (uint32_t i = 0; i < GeographyIndex::kMaxRememberedIps; ++i) {
    index->locate_address("127." + std::to_string((i >> 16) & 255) + "." + std::to_string((i >> 8) & 255) + "." +
                          std::to_string(i & 255) + ":9001");
  }
  EXPECT_LE(index->remembered_ips(), GeographyIndex::kMaxRememberedIps);
}

class GeographyRoutes : public RoutesTest {
 protected:
  void SetUp() override {
    index = open_index();
    if (!index) GTEST_SKIP() << "no location database installed";
  }
  void with_geography() {
    ApiConfig c;
    c.geography = index;
    make_api(c);
  }
  std::shared_ptr<const GeographyIndex> index;
};

TEST_F(GeographyRoutes, WithoutADatabaseTheRoutesAreUnavailableAndAnalyticsHasNoBlock) {
  EXPECT_EQ(get("/network/concentration").status, 503);
  EXPECT_EQ(get(std::string("/pnodes/") + kA + "/location").status, 503);
  EXPECT_FALSE(get_json("/network/analytics").as_object().contains("concentration_analysis"));
}

TEST_F(GeographyRoutes, ConcentrationAndLocationOfThePublicNetwork) {
  hub.publish(public_network());
  with_geography();
  auto body = get_json("/network/concentration?limit=1");
  EXPECT_JSON_INT(body.at("located"), 3);
  EXPECT_JSON_INT(body.at("unlocated"), 1);
  EXPECT_EQ(body.at("asns").at("holders").as_array().size(), 1u) << "limit";
  EXPECT_JSON_INT(body.at("asns").at("holder_count"), 2);
  EXPECT_EQ(body.at("asns").at("holders").at(0).at("key"), "AS24940");
  EXPECT_EQ(body.at("warnings").as_array().size(), 2u);
  EXPECT_FALSE(body.at("database").at("vendor").as_string().empty());
  EXPECT_EQ(get("/network/concentration?limit=1001").status, 422);

  auto google = get_json("/pnodes/8.8.8.8:9001/location");
  EXPECT_EQ(google.at("reach"), "public");
  EXPECT_EQ(google.at("country_code"), "US");
  EXPECT_JSON_INT(google.at("asn"), 15169);
  EXPECT_EQ(get_json("/pnodes/127.1.0.1:9001/location").at("reach"), "local");
  EXPECT_JSON_INT(get_json("/pnodes/88.198.0.9:9001/location").at("asn"), 24940);  // offline nodes are located too
  EXPECT_EQ(get("/pnodes/9.9.9.9:1/location").status, 404) << "not a node of the snapshot";
}

TEST_F(GeographyRoutes, AnalyticsGainsAConcentrationBlockAndLocalNodesStayApart) {
  with_geography();  // the test network's addresses are private: all local
  auto body = get_json("/network/analytics");
  const auto& c = body.at("concentration_analysis");
  EXPECT_JSON_INT(c.at("located"), 0);
  EXPECT_JSON_INT(c.at("unlocated"), 5);
  EXPECT_TRUE(c.at("top_asn").is_null());
  for (const auto& r : body.at("recommendations").as_array()) EXPECT_NE(r.at("category"), "decentralization");
}

}  // namespace
}  // namespace pnode::api
