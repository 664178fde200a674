// /network/credits and /pnodes/{address}/credits over the test network with a credits
// state built by hand: A (pk-A) and C (pk-C) on mainnet, E (pk-E) on devnet.
#include <gtest/gtest.h>

#include "api/route_test_support.h"
#include "collect/credits_poller.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

class CreditsRoutes : public RoutesTest {
 protected:
  void with_credits(std::shared_ptr<collect::CreditsState> state) {
    ApiConfig c;
    c.credits = [state] { return state; };
    make_api(c);
  }

  static std::shared_ptr<collect::CreditsState> two_lists(int64_t fetched_at) {
    auto s = std::make_shared<collect::CreditsState>();
    s->mainnet.configured = s->devnet.configured = true;
    s->mainnet.fetched_at = fetched_at;
    s->mainnet.pods = {{"pk-A", 1000}, {"pk-C", 100}, {"pk-Z", 900}};
    s->devnet.attempted_at = fetched_at;
    s->devnet.error = "connect timeout";
    s->devnet.pods = {};
    s->view = analysis::assess_credits(s->mainnet.pods, {{"pk-E", 50}}, s->rules);
    return s;
  }
};

TEST_F(CreditsRoutes, WithoutASourceTheRoutesAreUnavailable) {
  EXPECT_EQ(get("/network/credits").status, 503);
  EXPECT_EQ(get(std::string("/pnodes/") + kA + "/credits").status, 503);
  with_credits(std::make_shared<collect::CreditsState>());  // a poller with no URL set
  EXPECT_EQ(get("/network/credits").status, 503);
}

TEST_F(CreditsRoutes, NetworkCreditsSayHowFreshEachListIsAndWhyOneFailed) {
  with_credits(two_lists(now - 120));
  auto body = get_json("/network/credits");
  EXPECT_JSON_FLOAT(body.at("rule").at("fraction"), 0.8);
  const auto& mainnet = body.at("mainnet");
  EXPECT_JSON_INT(mainnet.at("pods"), 3);
  EXPECT_JSON_INT(mainnet.at("age_seconds"), 120);
  EXPECT_TRUE(mainnet.at("error").is_null());
  // p95 of {100, 900, 1000} by nearest rank is 1000; 80 % of it is 800: A and Z qualify.
  EXPECT_JSON_FLOAT(mainnet.at("threshold"), 800.0);
  EXPECT_JSON_INT(mainnet.at("eligible"), 2);
  EXPECT_EQ(body.at("devnet").at("error"), "connect timeout");
  EXPECT_TRUE(body.at("devnet").at("fetched_at").is_null());
  // A, C and E are online and listed (Z is on the list but no node); A is eligible, and
  // E alone on its list.
  EXPECT_JSON_INT(body.at("online_nodes_listed"), 3);
  EXPECT_JSON_INT(body.at("online_nodes_eligible"), 2);
}

TEST_F(CreditsRoutes, ANodesStandingComesFromItsPubkey) {
  with_credits(two_lists(now - 10));
  auto a = get_json(std::string("/pnodes/") + kA + "/credits");
  EXPECT_EQ(a.at("listed"), true);
  EXPECT_EQ(a.at("network"), "mainnet");
  EXPECT_JSON_FLOAT(a.at("credits"), 1000.0);
  EXPECT_EQ(a.at("eligible"), true);
  auto c = get_json(std::string("/pnodes/") + kC + "/credits");
  EXPECT_EQ(c.at("eligible"), false);
  auto b = get_json(std::string("/pnodes/") + kB + "/credits");
  EXPECT_EQ(b.at("listed"), false) << "pk-shared is on no list";
  EXPECT_TRUE(b.at("credits").is_null()) << "not listed is not zero credits";
  EXPECT_EQ(get("/pnodes/127.9.9.9:1/credits").status, 404);
}

}  // namespace
}  // namespace pnode::api
