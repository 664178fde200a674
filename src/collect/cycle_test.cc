#include "collect/cycle.h"

#include <gtest/gtest.h>

#include "collect/test_pods.h"

namespace pnode::collect {
namespace {

using testing::make_seed_answer;
using testing::make_failed_seed_answer;
using testing::make_gossip_pod;

TEST(AssembleCycle, BuildsACompleteSnapshotAndItsWrite) {
  Registry empty;
  auto r = assemble_cycle({make_seed_answer("s0", {make_gossip_pod("a:1", 10), make_gossip_pod("b:1", 10)}), make_failed_seed_answer("s1"),
                           make_seed_answer("s2", {make_gossip_pod("b:1", 12), make_gossip_pod("c:1", 11)})},
                          empty, 7, 95, 100, {});
  const Snapshot& s = *r.snapshot;
  EXPECT_EQ(s.cycle, 7u);
  EXPECT_EQ(s.started_at, 95);
  EXPECT_EQ(s.last_updated, 100);
  ASSERT_EQ(s.seeds.size(), 3u);
  EXPECT_EQ(s.seeds[1].outcome(), "timeout");
  EXPECT_EQ(s.nodes.size(), 3u);
  EXPECT_EQ(s.summary.total_pnodes_raw, 4);
  EXPECT_EQ(s.summary.seeds_responding, 2);
  ASSERT_TRUE(s.views);
  EXPECT_EQ(s.views->online_count, 3u);
  EXPECT_EQ(s.views->find("b:1")->peer_count(), 2u);
  EXPECT_EQ(r.write.registry_upserts.size(), 3u);
  EXPECT_EQ(r.write.snapshot, r.snapshot);
  EXPECT_EQ(r.write.retention_cutoff, 100 - 30 * 86400);
}

TEST(AssembleCycle, OfflineNodesStayListedFromTheRegistry) {
  Registry empty;
  auto c1 = assemble_cycle({make_seed_answer("s0", {make_gossip_pod("a:1", 10), make_gossip_pod("b:1", 10)})}, empty, 1, 100, 100, {});
  auto c2 = assemble_cycle({make_seed_answer("s0", {make_gossip_pod("a:1", 150)})}, *c1.snapshot->registry, 2, 160, 160, {});
  const auto& views = *c2.snapshot->views;
  EXPECT_EQ(views.nodes.size(), 2u);
  EXPECT_EQ(views.online_count, 1u);
  EXPECT_FALSE(views.find("b:1")->is_online);
  EXPECT_EQ(views.find("b:1")->consistency_score, 0.5);
}

TEST(AssembleCycle, AllSeedsFailingGivesAnEmptyViewButKeepsTheRegistry) {
  Registry empty;
  auto c1 = assemble_cycle({make_seed_answer("s0", {make_gossip_pod("a:1", 10)})}, empty, 1, 100, 100, {});
  auto c2 = assemble_cycle({make_failed_seed_answer("s0")}, *c1.snapshot->registry, 2, 160, 160, {});
  EXPECT_EQ(c2.snapshot->nodes.size(), 0u);
  EXPECT_EQ(c2.snapshot->registry->entries.size(), 1u);
  EXPECT_TRUE(c2.snapshot->changes.dropped.empty());  // nobody answered: nothing observed
}

}  // namespace
}  // namespace pnode::collect
