#include "collect/merge.h"

#include <gtest/gtest.h>

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

// The consuming merge moves kept pods out of the lists (addresses long enough to live on
// the heap, a copy replaced by a newer one twice): the same result as the copying merge.
TEST(MergeGossipViews, ConsumingMergeGivesTheSameViewAndKeepsTheListsAddresses) {
  const std::string long_a = "203.113.200.201:65001", long_b = "198.151.100.102:65002";
  model::PodList a, b, c;
  a.pods = {make_gossip_pod(long_a, 100, "a0"), make_gossip_pod("1.1.1.1:9001", 100, "a1")};
  b.pods = {make_gossip_pod(long_a, 150, "b0"), make_gossip_pod(long_b, 90, "b1")};
  c.pods = {make_gossip_pod(long_a, 200, "c0"), make_gossip_pod(long_b, 95, "c1"), make_gossip_pod("1.1.1.1:9001", 50)};
  auto copied = merge_gossip_views({&a, &b, &c});
  auto consumed = merge_gossip_views_consuming({&a, &b, &c});
  ASSERT_EQ(consumed.size(), 3u);
  for (size_t i = 0; i < copied.size(); ++i) {
    EXPECT_EQ(consumed[i].pod, copied[i].pod);
    EXPECT_EQ(consumed[i].peer_sources, copied[i].peer_sources);
    EXPECT_EQ(consumed[i].source, copied[i].source);
  }
  EXPECT_EQ(consumed[0].pod.version, "c0");
  EXPECT_FALSE(c.pods[0].version.has_value() && *c.pods[0].version == "c0");  // moved out, not copied
  EXPECT_EQ(c.pods[0].address, long_a);
}

}  // namespace
}  // namespace pnode::collect
