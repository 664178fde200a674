#include "collect/node_memory.h"

#include <gtest/gtest.h>

#include "collect/cycle.h"
#include "collect/test_pods.h"

namespace pnode::collect {
namespace {

using testing::make_seed_answer;
using testing::make_gossip_pod;

TEST(NodeMemory, KeepsOnlineFlagsOldestFirstAndCapsThem) {
  NodeMemory memory;
  Registry reg;
  int64_t now = 1000;
  for (int i = 0; i < 25; ++i) {
    std::vector<model::Pod> pods{make_gossip_pod("a:1", now)};
    if (i % 2 == 0) pods.push_back(make_gossip_pod("b:1", now));
    auto c = assemble_cycle({make_seed_answer("s0", pods)}, reg, i + 1, now, now, {});
    reg = *c.snapshot->registry;
    memory.record(*c.snapshot->views, now);
    now += 60;
  }
  auto h = memory.gossip_histories();
  ASSERT_EQ(h["a:1"].online_flags.size(), NodeMemory::kFlagCount);
  for (bool f : h["a:1"].online_flags) EXPECT_TRUE(f);
  const auto& b = h["b:1"].online_flags;
  ASSERT_EQ(b.size(), NodeMemory::kFlagCount);
  EXPECT_TRUE(b.back());  // cycle 25 (i = 24) listed b
  EXPECT_FALSE(b[b.size() - 2]);
}

TEST(NodeMemory, GrowthTrendNeedsSpacedSamples) {
  NodeMemory memory;
  Registry reg;
  int64_t now = 1000;
  uint64_t used = 1000;
  for (int i = 0; i < 8; ++i) {
    auto pod = make_gossip_pod("a:1", now);
    pod.storage_used = used;
    auto c = assemble_cycle({make_seed_answer("s0", {pod})}, reg, i + 1, now, now, {});
    reg = *c.snapshot->registry;
    memory.record(*c.snapshot->views, now);
    now += NodeMemory::kSampleSpacing;
    used *= 2;  // doubling every 6 hours: as fast as growth gets
  }
  auto trends = memory.growth_trends();
  ASSERT_TRUE(trends.count("a:1"));
  EXPECT_DOUBLE_EQ(trends["a:1"], 1.0);
}

TEST(NodeMemory, FollowsAMovedNodeAndForgetsNodesTheViewsNoLongerHold) {
  NodeMemory memory;
  Registry reg;
  int64_t now = 1000;
  auto first = assemble_cycle({make_seed_answer("s0", {make_gossip_pod("a:1", now), make_gossip_pod("b:1", now)})}, reg,
                              1, now, now, {});
  memory.record(*first.snapshot->views, now);
  memory.rename("a:1", "a:2");
  ASSERT_EQ(memory.size(), 2u);
  EXPECT_EQ(memory.gossip_histories().count("a:2"), 1u);
  EXPECT_EQ(memory.gossip_histories().count("a:1"), 0u);
  // A cycle whose views hold only b:1 (a registry pruned or evicted meanwhile).
  auto second = assemble_cycle({make_seed_answer("s0", {make_gossip_pod("b:1", now + 60)})}, Registry{}, 2, now + 60,
                               now + 60, {});
  memory.record(*second.snapshot->views, now + 60);
  EXPECT_EQ(memory.size(), 1u);
  EXPECT_EQ(memory.gossip_histories().count("b:1"), 1u);
}

}  // namespace
}  // namespace pnode::collect
