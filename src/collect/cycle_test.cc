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

TEST(Cycle, GossipTimesFarAheadOfOurClockAreDroppedAndCounted) {
  const int64_t now = 1765978692;
  // A hostile seed claims a sighting in 2099 for a:1, which would win the merge.
  auto hostile = make_seed_answer("s0", {make_gossip_pod("a:1", 4102444000), make_gossip_pod("b:1", now + 3600)});
  hostile.pods.rejected_fields = 2;  // what the parser already dropped from its answer
  auto honest = make_seed_answer("s1", {make_gossip_pod("a:1", now - 30, "0.7.3")});
  honest.poll.stats = model::NodeStats{};
  honest.poll.stats->rejected_fields = 1;
  Registry empty;
  auto r = assemble_cycle({hostile, honest}, empty, 1, now, now, {});
  const Snapshot& s = *r.snapshot;
  EXPECT_EQ(s.seeds[0].rejected_fields, 3u);  // 2 from the parser, the 2099 time
  EXPECT_EQ(s.seeds[1].rejected_fields, 1u);
  const auto* a = s.views->find("a:1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->last_seen, now - 30);  // the honest seed's copy won
  EXPECT_EQ(a->version, "0.7.3");
  EXPECT_EQ(s.views->find("b:1")->last_seen, now + 3600);  // an hour of clock skew is kept
  EXPECT_EQ(s.registry->find("a:1")->first_seen, now - 30);
}

TEST(Cycle, AnOnlineNodeWithoutAUsableGossipTimeGetsAValidFirstSeen) {
  const int64_t now = 1765978692;
  auto pod = make_gossip_pod("a:1", 0);
  pod.last_seen_timestamp.reset();  // as the parser leaves a -1 or a pre-2020 time
  Registry empty;
  auto r = assemble_cycle({make_seed_answer("s0", {pod})}, empty, 1, now, now, {});
  EXPECT_EQ(r.snapshot->registry->find("a:1")->first_seen, now);
  EXPECT_EQ(r.snapshot->views->find("a:1")->first_seen, now);
}

}  // namespace
}  // namespace pnode::collect
