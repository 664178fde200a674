#include "collect/merge.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "collect/test_pods.h"

namespace pnode::collect {
namespace {

using testing::make_gossip_pod;

TEST(MergeGossipViews, DedupesByAddressKeepingNewestCopy) {
  model::PodList a, b, c;
  a.pods = {make_gossip_pod("1.1.1.1:9001", 100), make_gossip_pod("2.2.2.2:9001", 100)};
  auto newer = make_gossip_pod("1.1.1.1:9001", 150, "0.8.1");
  b.pods = {newer, make_gossip_pod("3.3.3.3:9001", 90)};
  c.pods = {make_gossip_pod("1.1.1.1:9001", 120)};
  auto merged = merge_gossip_views({&a, &b, &c});
  ASSERT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged[0].pod.address, "1.1.1.1:9001");
  EXPECT_EQ(merged[0].pod.version, "0.8.1");
  EXPECT_EQ(merged[0].source, 1);
  EXPECT_EQ(merged[0].peer_sources, (std::vector<uint16_t>{0, 1, 2}));
  EXPECT_EQ(merged[1].pod.address, "2.2.2.2:9001");
  EXPECT_EQ(merged[2].pod.address, "3.3.3.3:9001");
  EXPECT_EQ(merged[2].peer_sources, (std::vector<uint16_t>{1}));
}

TEST(MergeGossipViews, EqualTimestampKeepsFirstAndNullCountsOldest) {
  model::PodList a, b;
  auto first = make_gossip_pod("1.1.1.1:9001", 100, "first");
  auto same = make_gossip_pod("1.1.1.1:9001", 100, "second");
  auto no_ts = make_gossip_pod("2.2.2.2:9001", 0, "no-ts");
  no_ts.last_seen_timestamp.reset();
  a.pods = {first, no_ts};
  b.pods = {same, make_gossip_pod("2.2.2.2:9001", 1, "with-ts")};
  auto merged = merge_gossip_views({&a, &b});
  EXPECT_EQ(merged[0].pod.version, "first");
  EXPECT_EQ(merged[1].pod.version, "with-ts");
}

TEST(MergeGossipViews, SkipsFailedSeedsAndEmptyAddresses) {
  model::PodList a;
  a.pods = {make_gossip_pod("", 1), make_gossip_pod("1.1.1.1:9001", 1)};
  auto merged = merge_gossip_views({nullptr, &a});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].peer_sources, (std::vector<uint16_t>{1}));
}

TEST(MergeGossipViews, OneSeedListingAnAddressTwiceCountsOnce) {
  model::PodList a;
  a.pods = {make_gossip_pod("1.1.1.1:9001", 1), make_gossip_pod("1.1.1.1:9001", 2)};
  auto merged = merge_gossip_views({&a});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].peer_sources.size(), 1u);
  EXPECT_EQ(merged[0].pod.last_seen_timestamp, 2);
}

// A merger that takes the lists moves kept pods out of them (addresses long enough to
// live on the heap, a copy replaced by a newer one twice): the same result as the
// copying merge, and the lists are left empty.
TEST(GossipMerger, TakingTheListsGivesTheCopyingMergesViewAndEmptiesThem) {
  const std::string long_a = "203.113.200.201:65001", long_b = "198.151.100.102:65002";
  model::PodList a, b, c;
  a.pods = {make_gossip_pod(long_a, 100, "a0"), make_gossip_pod("1.1.1.1:9001", 100, "a1")};
  b.pods = {make_gossip_pod(long_a, 150, "b0"), make_gossip_pod(long_b, 90, "b1")};
  c.pods = {make_gossip_pod(long_a, 200, "c0"), make_gossip_pod(long_b, 95, "c1"), make_gossip_pod("1.1.1.1:9001", 50)};
  auto copied = merge_gossip_views({&a, &b, &c});
  GossipMerger merger;
  merger.add(0, a);
  merger.add(1, b);
  merger.add(2, c);
  auto consumed = merger.finish();
  ASSERT_EQ(consumed.size(), 3u);
  for (size_t i = 0; i < copied.size(); ++i) {
    EXPECT_EQ(consumed[i].pod, copied[i].pod);
    EXPECT_EQ(consumed[i].peer_sources, copied[i].peer_sources);
    EXPECT_EQ(consumed[i].source, copied[i].source);
  }
  EXPECT_EQ(consumed[0].pod.version, "c0");
  EXPECT_TRUE(a.pods.empty() && b.pods.empty() && c.pods.empty());
}

// The lists of a cycle, with every tie the configured order decides: equal times across
// seeds, a seed listing an address twice, a null time, an address only a late seed lists.
std::vector<model::PodList> tricky_lists() {
  std::vector<model::PodList> lists(4);
  lists[0].pods = {make_gossip_pod("1.1.1.1:9001", 100, "s0"), make_gossip_pod("2.2.2.2:9001", 5, "s0")};
  lists[1].pods = {make_gossip_pod("3.3.3.3:9001", 7, "s1"), make_gossip_pod("1.1.1.1:9001", 200, "s1"),
                   make_gossip_pod("1.1.1.1:9001", 200, "s1-again")};
  lists[2].pods = {make_gossip_pod("1.1.1.1:9001", 200, "s2"), make_gossip_pod("2.2.2.2:9001", 5, "s2"),
                   make_gossip_pod("4.4.4.4:9001", 1, "s2")};
  lists[3].pods = {make_gossip_pod("3.3.3.3:9001", 0, "s3"), make_gossip_pod("2.2.2.2:9001", 6, "s3")};
  lists[3].pods[0].last_seen_timestamp.reset();
  return lists;
}

// Lists merged as they arrive, in any order, give the configured order's view.
TEST(GossipMerger, AnyArrivalOrderGivesTheConfiguredOrdersView) {
  std::vector<model::PodList> lists = tricky_lists();
  std::vector<const model::PodList*> in_order;
  for (const auto& l : lists) in_order.push_back(&l);
  const auto expected = merge_gossip_views(in_order);
  ASSERT_EQ(expected.size(), 4u);
  EXPECT_EQ(expected[0].pod.version, "s1");  // 200 first met in seed 1, not seed 2
  EXPECT_EQ(expected[0].peer_sources, (std::vector<uint16_t>{0, 1, 2}));
  EXPECT_EQ(expected[1].pod.version, "s3");  // the newest
  EXPECT_EQ(expected[2].pod.version, "s1");  // a null time is the oldest
  EXPECT_EQ(expected[3].pod.address, "4.4.4.4:9001");

  std::vector<uint16_t> order = {0, 1, 2, 3};
  do {
    std::vector<model::PodList> copies = tricky_lists();
    GossipMerger merger;
    for (uint16_t seed : order) merger.add(seed, copies[seed]);
    const auto merged = merger.finish();
    ASSERT_EQ(merged.size(), expected.size());
    for (size_t i = 0; i < merged.size(); ++i) {
      EXPECT_EQ(merged[i].pod, expected[i].pod) << "node " << i;
      EXPECT_EQ(merged[i].peer_sources, expected[i].peer_sources) << "node " << i;
      EXPECT_EQ(merged[i].source, expected[i].source) << "node " << i;
    }
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST(GossipMerger, ListsAddedFromSeveralThreadsAtOnceMergeAlike) {
  std::vector<model::PodList> lists(8);
  for (uint16_t seed = 0; seed < lists.size(); ++seed)
    for (int i = 0; i < 2000; ++i)
      lists[seed].pods.push_back(make_gossip_pod("10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ":9001",
                                                 (i * 7 + seed * 13) % 50));
  std::vector<const model::PodList*> in_order;
  for (const auto& l : lists) in_order.push_back(&l);
  const auto expected = merge_gossip_views(in_order);
  GossipMerger merger;
  std::vector<std::thread> threads;
  for (uint16_t seed = 0; seed < lists.size(); ++seed)
    threads.emplace_back([&merger, &lists, seed] { merger.add(seed, lists[seed]); });
  for (auto& t : threads) t.join();
  const auto merged = merger.finish();
  ASSERT_EQ(merged.size(), expected.size());
  for (size_t i = 0; i < merged.size(); ++i) {
    EXPECT_EQ(merged[i].pod, expected[i].pod);
    EXPECT_EQ(merged[i].source, expected[i].source);
    EXPECT_EQ(merged[i].peer_sources, expected[i].peer_sources);
  }
}

}  // namespace
}  // namespace pnode::collect
