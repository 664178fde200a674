#include "collect/registry_update.h"

#include <gtest/gtest.h>

#include "collect/merge.h"
#include "collect/test_pods.h"

namespace pnode::collect {
namespace {

using testing::make_seed_answer;
using testing::make_failed_seed_answer;
using testing::make_gossip_pod;

struct Cycle {
  std::vector<SeedPoll> seeds;
  std::vector<MergedNode> nodes;
};

Cycle cycle_of(std::vector<SeedAnswer> answers) {
  Cycle c;
  std::vector<const model::PodList*> lists;
  for (auto& a : answers) {
    c.seeds.push_back(a.poll);
    lists.push_back(a.poll.ok() ? &a.pods : nullptr);
  }
  c.nodes = merge_gossip_views(lists);
  return c;
}

RegistryUpdate step(const Registry& reg, std::vector<SeedAnswer> answers, int64_t now) {
  Cycle c = cycle_of(std::move(answers));
  return update_registry(reg, c.nodes, c.seeds, now);
}

TEST(UpdateRegistry, FirstCycleInitialisesGossipCounters) {
  Registry empty;
  auto u = step(empty, {make_seed_answer("s0", {make_gossip_pod("b:1", 90), make_gossip_pod("a:1", 95)})}, 100);
  ASSERT_EQ(u.registry->entries.size(), 2u);
  EXPECT_TRUE(u.changes.first_cycle);
  EXPECT_EQ(u.changes.appeared.size(), 2u);
  const RegistryEntry& a = u.registry->entries[0];  // sorted by address
  EXPECT_EQ(a.address, "a:1");
  EXPECT_EQ(a.gossip_appearances, 1);
  EXPECT_EQ(a.gossip_disappearances, 0);
  EXPECT_EQ(a.last_gossip_appearance, 100);
  EXPECT_DOUBLE_EQ(a.consistency_score, 1.0);
  EXPECT_TRUE(a.in_gossip);
  EXPECT_EQ(a.created_at, 100);
  EXPECT_EQ(a.first_seen, 95);
  EXPECT_EQ(a.last_ip, "s0");
  EXPECT_EQ(u.registry->find("b:1")->pubkey, "pk-b:1");
}

TEST(UpdateRegistry, DropAfterFirstCycleHalvesConsistencyNotZero) {
  Registry empty;
  auto u1 = step(empty, {make_seed_answer("s0", {make_gossip_pod("a:1", 90), make_gossip_pod("b:1", 90)})}, 100);
  auto u2 = step(*u1.registry, {make_seed_answer("s0", {make_gossip_pod("a:1", 150)})}, 160);
  ASSERT_EQ(u2.changes.dropped, std::vector<std::string>{"b:1"});
  const RegistryEntry* b = u2.registry->find("b:1");
  EXPECT_EQ(b->gossip_disappearances, 1);
  EXPECT_DOUBLE_EQ(b->consistency_score, 0.5);  // the reference would say 0.0 ("flapping")
  EXPECT_EQ(b->last_gossip_drop, 160);
  EXPECT_FALSE(b->in_gossip);
  // It comes back: a second appearance.
  auto u3 = step(*u2.registry, {make_seed_answer("s0", {make_gossip_pod("a:1", 210), make_gossip_pod("b:1", 215)})}, 220);
  const RegistryEntry* back = u3.registry->find("b:1");
  EXPECT_EQ(back->gossip_appearances, 2);
  EXPECT_NEAR(back->consistency_score, 2.0 / 3.0, 1e-12);
  EXPECT_EQ(u3.changes.appeared, std::vector<std::string>{"b:1"});
  // Staying present changes no counter.
  auto u4 = step(*u3.registry, {make_seed_answer("s0", {make_gossip_pod("a:1", 270), make_gossip_pod("b:1", 275)})}, 280);
  EXPECT_TRUE(u4.changes.appeared.empty());
  EXPECT_EQ(u4.registry->find("b:1")->gossip_appearances, 2);
}

TEST(UpdateRegistry, SeedOutageIsNotADrop) {
  Registry empty;
  auto u1 = step(empty, {make_seed_answer("s0", {make_gossip_pod("a:1", 90)}), make_seed_answer("s1", {make_gossip_pod("b:1", 90)})}, 100);
  auto u2 = step(*u1.registry, {make_seed_answer("s0", {make_gossip_pod("a:1", 150)}), make_failed_seed_answer("s1")}, 160);
  EXPECT_TRUE(u2.changes.dropped.empty());
  EXPECT_EQ(u2.registry->find("b:1")->gossip_disappearances, 0);
  EXPECT_TRUE(u2.registry->find("b:1")->in_gossip);
  // When s1 answers again without b, that is an observed drop.
  auto u3 = step(*u2.registry, {make_seed_answer("s0", {make_gossip_pod("a:1", 210)}), make_seed_answer("s1", {})}, 220);
  EXPECT_EQ(u3.changes.dropped, std::vector<std::string>{"b:1"});
}

TEST(UpdateRegistry, FallbackNullsKeepKnownValuesAndSourcesAccumulate) {
  Registry empty;
  auto u1 = step(empty, {make_seed_answer("s1", {make_gossip_pod("a:1", 90)})}, 100);
  model::Pod bare;
  bare.address = "a:1";
  bare.last_seen_timestamp = 80;  // older gossip timestamp than before
  auto u2 = step(*u1.registry, {make_seed_answer("s0", {bare})}, 160);
  const RegistryEntry* a = u2.registry->find("a:1");
  EXPECT_EQ(a->storage_committed, 100u);
  EXPECT_EQ(a->uptime, 1000u);
  EXPECT_EQ(a->version, "0.8.0");
  EXPECT_EQ(a->source_ips, (std::vector<std::string>{"s0", "s1"}));
  EXPECT_EQ(a->first_seen, 80);
  EXPECT_EQ(a->last_seen, 80);
  EXPECT_EQ(a->last_checked, 160);
  EXPECT_EQ(a->created_at, 100);
  EXPECT_EQ(a->pubkey, "pk-a:1");
}

TEST(UpdateRegistry, ReportsChangedPositionsIncludingDrops) {
  Registry empty;
  auto u1 = step(empty, {make_seed_answer("s0", {make_gossip_pod("a:1", 1), make_gossip_pod("b:1", 1), make_gossip_pod("c:1", 1)})}, 10);
  auto u2 = step(*u1.registry, {make_seed_answer("s0", {make_gossip_pod("a:1", 2), make_gossip_pod("d:1", 2)})}, 20);
  std::vector<std::string> changed;
  for (size_t i : u2.changed) changed.push_back(u2.registry->entries[i].address);
  EXPECT_EQ(changed, (std::vector<std::string>{"a:1", "b:1", "c:1", "d:1"}));
  EXPECT_EQ(u2.registry->find("d:1")->gossip_appearances, 1);
  // The previous registry is untouched (snapshots already published keep their view).
  EXPECT_EQ(u1.registry->entries.size(), 3u);
  EXPECT_TRUE(u1.registry->find("b:1")->in_gossip);
}

}  // namespace
}  // namespace pnode::collect
