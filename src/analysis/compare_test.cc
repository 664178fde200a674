#include "analysis/compare.h"

#include <gtest/gtest.h>

#include "analysis/test_nodes.h"

namespace pnode::analysis {
namespace {

using testing::kGiB;
using testing::offline_node;
using testing::online_node;
using testing::with_score;

TEST(Compare, WinnersRecommendationAndSummary) {
  // A: trust 70, capacity 90 -> composite 42 + 36 = 78; 10 days; 50 GiB; 2 seeds.
  // B: trust 95, capacity 60.63 -> 57 + 24.252 = 81.252 -> 81.25; 5 days; 200 GiB; 3 seeds.
  // C: offline, zero scores, 10 GiB last known.
  NodeView a = with_score(online_node("A", 10 * 86400, 50, "0.8.0", 2), 70, 90);
  a.storage_committed = 50 * kGiB;
  NodeView b = with_score(online_node("B", 5 * 86400, 50, "0.8.0", 3), 95, 60.63);
  b.storage_committed = 200 * kGiB;
  NodeView c = offline_node("C", 100);
  c.storage_committed = 10 * kGiB;
  Comparison r = compare_nodes({&a, &b, &c});
  const CompareWinners& w = r.winners;
  EXPECT_EQ(w.overall_score.address, "B");
  EXPECT_DOUBLE_EQ(w.overall_score.score, 81.25);
  EXPECT_EQ(w.overall_score.category, "Best overall performance");
  EXPECT_EQ(w.trust_score.address, "B");
  EXPECT_DOUBLE_EQ(w.trust_score.score, 95);
  EXPECT_EQ(w.trust_score.category, "Most reliable/trustworthy");
  EXPECT_EQ(w.capacity_score.address, "A");
  EXPECT_DOUBLE_EQ(w.capacity_score.score, 90);
  EXPECT_EQ(w.capacity_score.category, "Best storage capacity management");
  EXPECT_EQ(w.best_uptime.address, "A");
  EXPECT_EQ(w.best_uptime.uptime, 864000u);
  EXPECT_DOUBLE_EQ(w.best_uptime.uptime_days, 10.0);
  EXPECT_EQ(w.best_uptime.category, "Longest uptime");
  EXPECT_EQ(w.most_storage.address, "B");
  EXPECT_EQ(w.most_storage.storage, 200 * kGiB);
  EXPECT_DOUBLE_EQ(w.most_storage.storage_gb, 200.0);
  EXPECT_EQ(w.most_storage.category, "Most storage committed");
  EXPECT_EQ(w.best_connectivity.address, "B");
  EXPECT_EQ(w.best_connectivity.peers, 3);
  EXPECT_EQ(w.best_connectivity.category, "Best network connectivity");

  EXPECT_EQ(r.recommendation.recommended_node, "B");
  EXPECT_EQ(r.recommendation.reason, "Highest overall score (81.2/100)");  // 81.25 ties to even
  EXPECT_EQ(r.recommendation.considerations,
            (std::vector<std::string>{"A has better storage management (capacity score: 90.0)",
                                      "\xE2\x9A\xA0\xEF\xB8\x8F These nodes are currently offline: C"}));
  EXPECT_EQ(r.summary.nodes_compared, 3);
  EXPECT_FALSE(r.summary.all_online);
  EXPECT_DOUBLE_EQ(r.summary.avg_score, 53.08);  // (78 + 81.25 + 0) / 3 = 53.0833…
}

TEST(Compare, AllZeroStillNamesTheFirstNode) {
  NodeView x = offline_node("X", 100);
  NodeView y = offline_node("Y", 100);
  Comparison r = compare_nodes({&x, &y});
  EXPECT_EQ(r.winners.overall_score.address, "X");
  EXPECT_EQ(r.winners.trust_score.address, "X");
  EXPECT_EQ(r.winners.best_uptime.address, "X");
  EXPECT_EQ(r.winners.most_storage.address, "X");
  EXPECT_EQ(r.winners.best_connectivity.address, "X");
  EXPECT_EQ(r.recommendation.recommended_node, "X");
  EXPECT_EQ(r.recommendation.reason, "Highest overall score (0.0/100)");
  EXPECT_EQ(r.recommendation.considerations,
            (std::vector<std::string>{"\xE2\x9A\xA0\xEF\xB8\x8F These nodes are currently offline: X, Y"}));
  EXPECT_DOUBLE_EQ(r.summary.avg_score, 0);
}

TEST(Compare, TiesGoToTheFirstListedAndTrustConsideration) {
  // P and Q tie on composite 80 (trust 80 / capacity 80 vs trust 90 / capacity 65:
  // 54 + 26 = 80); P is listed first and wins overall; Q wins trust.
  NodeView p = with_score(online_node("P", 86400, 50, "0.8.0", 3), 80, 80);
  NodeView q = with_score(online_node("Q", 86400, 50, "0.8.0", 3), 90, 65);
  Comparison r = compare_nodes({&p, &q});
  EXPECT_EQ(r.winners.overall_score.address, "P");
  EXPECT_EQ(r.winners.best_connectivity.address, "P");
  EXPECT_EQ(r.recommendation.considerations,
            (std::vector<std::string>{"Q has better reliability (trust score: 90.0)"}));
  EXPECT_TRUE(r.summary.all_online);
  EXPECT_DOUBLE_EQ(r.summary.avg_score, 80);
  // Reversed order: Q first wins the tie.
  EXPECT_EQ(compare_nodes({&q, &p}).winners.overall_score.address, "Q");
}

TEST(CompareHelpers, SplitAndDuplicates) {
  EXPECT_EQ(split_address_list(" a:1 , b:2,,c:3 ,"), (std::vector<std::string>{"a:1", "b:2", "c:3"}));
  EXPECT_TRUE(split_address_list("").empty());
  EXPECT_TRUE(split_address_list(" , ,").empty());
  EXPECT_EQ(duplicate_addresses({"a", "b", "a", "c", "b", "a"}), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(duplicate_addresses({"a", "b"}).empty());
}

}  // namespace
}  // namespace pnode::analysis
