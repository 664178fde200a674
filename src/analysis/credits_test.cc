#include "analysis/credits.h"

#include <gtest/gtest.h>

namespace pnode::analysis {
namespace {

using model::PodCredit;

std::vector<PodCredit> pods(const std::vector<double>& credits, const std::string& prefix) {
  std::vector<PodCredit> out;
  for (size_t i = 0; i < credits.size(); ++i) out.push_back({prefix + std::to_string(i), credits[i]});
  return out;
}

TEST(Credits, NearestRankPercentile) {
  std::vector<double> v;
  for (int i = 1; i <= 20; ++i) v.push_back(i * 10);
  EXPECT_DOUBLE_EQ(nearest_rank_percentile(v, 95), 190);  // rank ceil(0.95*20) = 19
  EXPECT_DOUBLE_EQ(nearest_rank_percentile(v, 100), 200);
  EXPECT_DOUBLE_EQ(nearest_rank_percentile(v, 50), 100);
  EXPECT_DOUBLE_EQ(nearest_rank_percentile({5}, 95), 5);
  EXPECT_DOUBLE_EQ(nearest_rank_percentile({}, 95), 0);
}

// 100, 200, ..., 2000 plus 1519 and 1520: 22 pods, the 95th percentile is the 21st value
// (rank ceil(0.95 x 22)), 1900; the bar is 80 % of it, 1520.
TEST(Credits, APodIsEligibleFromEightyPercentOfTheNinetyFifthPercentile) {
  std::vector<double> credits;
  for (int i = 1; i <= 20; ++i) credits.push_back(i * 100);
  credits.push_back(1519);
  credits.push_back(1520);
  auto view = assess_credits(pods(credits, "m"), {});
  EXPECT_DOUBLE_EQ(view.mainnet.percentile_value, 1900);
  EXPECT_DOUBLE_EQ(view.mainnet.threshold, 1520);
  EXPECT_FALSE(view.by_pubkey.at("m20").eligible) << "1519 is one short";
  EXPECT_TRUE(view.by_pubkey.at("m21").eligible) << "1520 is exactly the bar";
  EXPECT_FALSE(view.by_pubkey.at("m14").eligible) << "1500";
  EXPECT_TRUE(view.by_pubkey.at("m15").eligible) << "1600";
  EXPECT_EQ(view.mainnet.eligible, 6u);  // 1520, 1600, 1700, 1800, 1900, 2000
  EXPECT_EQ(view.mainnet.pods, 22u);
}

TEST(Credits, TheRulesConstantsAreSettings) {
  auto view = assess_credits(pods({100, 200, 300, 400}, "m"), {}, CreditRules{.percentile = 50, .fraction = 1.0});
  EXPECT_DOUBLE_EQ(view.mainnet.threshold, 200);
  EXPECT_EQ(view.mainnet.eligible, 3u);
}

TEST(Credits, ZeroOrNegativeCreditsAreNeverEligibleEvenWhenTheBarIsZero) {
  auto view = assess_credits({}, pods({0, 0, 0, -100}, "d"));
  EXPECT_DOUBLE_EQ(view.devnet.threshold, 0);
  EXPECT_EQ(view.devnet.eligible, 0u);
}

TEST(Credits, EachPubkeyIsClassifiedByTheListItIsInAndJudgedOnItsNetwork) {
  const std::vector<PodCredit> mainnet = {{"A", 1000}, {"B", 10}, {"S", 900}};
  const std::vector<PodCredit> devnet = {{"C", 50}, {"S", 5}};
  auto view = assess_credits(mainnet, devnet);
  EXPECT_EQ(view.by_pubkey.at("A").network, CreditNetwork::kMainnet);
  EXPECT_EQ(view.by_pubkey.at("C").network, CreditNetwork::kDevnet);
  EXPECT_EQ(view.by_pubkey.at("S").network, CreditNetwork::kBoth);
  EXPECT_DOUBLE_EQ(view.by_pubkey.at("S").credits, 900) << "judged on mainnet";
  EXPECT_TRUE(view.by_pubkey.at("C").eligible) << "devnet's own bar: 0.8 x 50";
  EXPECT_FALSE(view.by_pubkey.at("B").eligible);
  EXPECT_STREQ(credit_network_name(CreditNetwork::kBoth), "both");
}

}  // namespace
}  // namespace pnode::analysis
