#include "collect/registry_update.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "collect/merge.h"
#include "collect/test_pods.h"
#include "model/registry_sighting.h"

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

// Addresses whose rows the cycle writes.
std::vector<std::string> written(const RegistryUpdate& u) {
  std::vector<std::string> out;
  for (size_t i : u.changed) out.push_back(u.registry->entries[i].address);
  return out;
}

// A row only its sighting changed is skipped, but not when the sighting left a field null
// (the entry keeps a value the stored row may not have), when its gossip state changed,
// or when last_seen crossed the row's hourly mark.
TEST(UpdateRegistry, WritesEveryRowASightingAloneCannotRebuild) {
  Registry empty;
  const int64_t t0 = 1765000000;
  auto u1 = step(empty, {make_seed_answer("s0", {make_gossip_pod("a:1", t0), make_gossip_pod("b:1", t0)})}, t0);
  // One cycle later, b:1 without its version: the entry keeps "0.8.0"-like knowledge.
  model::Pod b = make_gossip_pod("b:1", t0 + 60);
  b.version.reset();
  auto u2 = step(*u1.registry, {make_seed_answer("s0", {make_gossip_pod("a:1", t0 + 60), b})}, t0 + 60);
  const bool a_crossed = model::last_seen_mark("a:1", t0) != model::last_seen_mark("a:1", t0 + 60);
  EXPECT_EQ(written(u2), a_crossed ? (std::vector<std::string>{"a:1", "b:1"}) : (std::vector<std::string>{"b:1"}));
  // Listed every minute for three hours: a:1's row is rewritten about once an hour, never
  // more than an hour apart, so a stored last_seen is never much older than that.
  Registry current = *u2.registry;
  int64_t last_write = a_crossed ? t0 + 60 : t0;
  int writes = 0;
  for (int64_t t = t0 + 120; t <= t0 + 3 * 3600; t += 60) {
    auto u = step(current, {make_seed_answer("s0", {make_gossip_pod("a:1", t)})}, t);
    const auto rows = written(u);
    if (std::find(rows.begin(), rows.end(), "a:1") != rows.end()) {
      EXPECT_LE(t - last_write, 3600);
      last_write = t;
      ++writes;
    }
    current = *u.registry;
  }
  EXPECT_GE(writes, 2);
  EXPECT_LE(writes, 3);
  EXPECT_LE(t0 + 3 * 3600 - last_write, 3600);
}

TEST(UpdateRegistry, ReportsChangedPositionsIncludingDrops) {
  Registry empty;
  auto u1 = step(empty, {make_seed_answer("s0", {make_gossip_pod("a:1", 1), make_gossip_pod("b:1", 1), make_gossip_pod("c:1", 1)})}, 10);
  auto u2 = step(*u1.registry, {make_seed_answer("s0", {make_gossip_pod("a:1", 2), make_gossip_pod("d:1", 2)})}, 20);
  std::vector<std::string> changed;
  for (size_t i : u2.changed) changed.push_back(u2.registry->entries[i].address);
  // a:1 is listed again and only its sighting changed: loading re-applies that from the
  // stored snapshot, so its row is not rewritten (model/registry_sighting.h).
  EXPECT_EQ(changed, (std::vector<std::string>{"b:1", "c:1", "d:1"}));
  EXPECT_EQ(u2.registry->find("d:1")->gossip_appearances, 1);
  // The previous registry is untouched (snapshots already published keep their view).
  EXPECT_EQ(u1.registry->entries.size(), 3u);
  EXPECT_TRUE(u1.registry->find("b:1")->in_gossip);
}

// ---- node identity across NAT port changes ----------------------------------------------

model::Pod pod_of(std::string address, std::string pubkey, int64_t last_seen) {
  model::Pod p = make_gossip_pod(std::move(address), last_seen);
  p.pubkey = std::move(pubkey);
  return p;
}

RegistryUpdate step_with(const Registry& reg, std::vector<SeedAnswer> answers, int64_t now, AdmissionRules rules) {
  Cycle c = cycle_of(std::move(answers));
  return update_registry(reg, c.nodes, c.seeds, now, rules);
}

TEST(NodeIdentity, APortChangeMovesTheEntryWithItsHistory) {
  Registry empty;
  auto u1 = step(empty, {make_seed_answer("s0", {pod_of("127.9.0.1:5000", "PK1", 90)})}, 100);
  auto u2 = step(*u1.registry, {make_seed_answer("s0", {pod_of("127.9.0.1:5001", "PK1", 150)})}, 160);
  ASSERT_EQ(u2.registry->entries.size(), 1u);
  const RegistryEntry& e = u2.registry->entries[0];
  EXPECT_EQ(e.address, "127.9.0.1:5001");
  EXPECT_EQ(e.previous_addresses, std::vector<std::string>{"127.9.0.1:5000"});
  EXPECT_EQ(e.first_seen, 90);
  EXPECT_EQ(e.created_at, 100);
  EXPECT_EQ(e.gossip_appearances, 1);  // a port change is neither an appearance nor a drop
  EXPECT_EQ(e.gossip_disappearances, 0);
  EXPECT_TRUE(u2.changes.appeared.empty());
  EXPECT_TRUE(u2.changes.dropped.empty());
  EXPECT_EQ(u2.changes.moved, (std::vector<AddressMove>{{"127.9.0.1:5000", "127.9.0.1:5001"}}));
  EXPECT_EQ(u2.removed, std::vector<std::string>{"127.9.0.1:5000"});
  EXPECT_EQ(u2.changed, std::vector<size_t>{0});
  EXPECT_EQ(u2.registry->find("127.9.0.1:5000"), nullptr);
  ASSERT_NE(u2.registry->find_moved("127.9.0.1:5000"), nullptr);
  EXPECT_EQ(u2.registry->find_moved("127.9.0.1:5000")->address, "127.9.0.1:5001");
}

// Admissions and a port change among known entries: the registry stays sorted by
// address, its index points at the right entries and `changed` names the written ones.
TEST(NodeIdentity, AdmittedAndMovedEntriesTakeTheirPlaceInAddressOrder) {
  Registry empty;
  auto u1 = step(empty,
                 {make_seed_answer("s0", {pod_of("127.9.0.2:5000", "PK2", 90), pod_of("127.9.0.4:5000", "PK4", 90),
                                          pod_of("127.9.0.6:5000", "PK6", 90), pod_of("127.9.0.6:3000", "PK7", 90)})},
                 100);
  // PK6 moves to a port that sorts before PK7's; two new nodes arrive around PK4.
  auto u2 = step(*u1.registry,
                 {make_seed_answer("s0", {pod_of("127.9.0.2:5000", "PK2", 150), pod_of("127.9.0.4:5000", "PK4", 150),
                                          pod_of("127.9.0.6:1000", "PK6", 150), pod_of("127.9.0.5:5000", "PK5", 150),
                                          pod_of("127.9.0.3:5000", "PK3", 150), pod_of("127.9.0.6:3000", "PK7", 150)})},
                 160);
  std::vector<std::string> addresses;
  for (const auto& e : u2.registry->entries) addresses.push_back(e.address);
  EXPECT_EQ(addresses, (std::vector<std::string>{"127.9.0.2:5000", "127.9.0.3:5000", "127.9.0.4:5000",
                                                 "127.9.0.5:5000", "127.9.0.6:1000", "127.9.0.6:3000"}));
  for (size_t i = 0; i < addresses.size(); ++i) EXPECT_EQ(u2.registry->find(addresses[i]), &u2.registry->entries[i]);
  EXPECT_EQ(u2.registry->find_moved("127.9.0.6:5000")->pubkey, "PK6");
  // Written: the two admissions and the moved node, at their sorted positions; PK2, PK4
  // and PK7 were only sighted again (model/registry_sighting.h).
  EXPECT_EQ(u2.changed, (std::vector<size_t>{1, 3, 4}));
}

TEST(NodeIdentity, AnOldAddressListedBesideTheNewOneIsFoldedInOnceItLeaves) {
  Registry empty;
  auto u1 = step(empty, {make_seed_answer("s0", {pod_of("127.9.0.1:5000", "PK1", 90)})}, 100);
  // For one cycle the seeds list both ports (their views lag): two entries.
  auto u2 = step(*u1.registry, {make_seed_answer("s0", {pod_of("127.9.0.1:5000", "PK1", 140),
                                                        pod_of("127.9.0.1:5001", "PK1", 150)})}, 160);
  ASSERT_EQ(u2.registry->entries.size(), 2u);
  auto u3 = step(*u2.registry, {make_seed_answer("s0", {pod_of("127.9.0.1:5001", "PK1", 210)})}, 220);
  ASSERT_EQ(u3.registry->entries.size(), 1u);
  const RegistryEntry& e = u3.registry->entries[0];
  EXPECT_EQ(e.address, "127.9.0.1:5001");
  EXPECT_EQ(e.first_seen, 90);
  EXPECT_EQ(e.created_at, 100);
  EXPECT_EQ(e.gossip_appearances, 1);
  EXPECT_EQ(e.gossip_disappearances, 0);
  EXPECT_TRUE(u3.changes.dropped.empty()) << "the old port leaving is not a drop";
  EXPECT_EQ(e.previous_addresses, std::vector<std::string>{"127.9.0.1:5000"});
  EXPECT_EQ(u3.removed, std::vector<std::string>{"127.9.0.1:5000"});
}

TEST(NodeIdentity, DistinctNodesStayDistinct) {
  Registry empty;
  // Two pubkeys behind one IP, and one pubkey listed at two ports at once.
  auto u1 = step(empty, {make_seed_answer("s0", {pod_of("127.9.0.1:5000", "PK1", 90), pod_of("127.9.0.1:5001", "PK2", 90),
                                                 pod_of("127.9.0.2:5000", "PK3", 90), pod_of("127.9.0.2:5001", "PK3", 90)})},
                 100);
  ASSERT_EQ(u1.registry->entries.size(), 4u);
  auto u2 = step(*u1.registry, {make_seed_answer("s0", {pod_of("127.9.0.1:5001", "PK2", 150), pod_of("127.9.0.2:5000", "PK3", 150),
                                                        pod_of("127.9.0.2:5001", "PK3", 150)})},
                 160);
  EXPECT_EQ(u2.registry->entries.size(), 4u);
  EXPECT_EQ(u2.changes.dropped, std::vector<std::string>{"127.9.0.1:5000"});  // PK1 left: a real drop
  EXPECT_TRUE(u2.changes.moved.empty());
}

TEST(NodeIdentity, ANodeWithoutAPubkeyOrAtAnotherIpIsNotMoved) {
  Registry empty;
  model::Pod anonymous = make_gossip_pod("127.9.0.1:5000", 90);
  anonymous.pubkey.reset();
  auto u1 = step(empty, {make_seed_answer("s0", {anonymous, pod_of("127.9.0.2:5000", "PK2", 90)})}, 100);
  model::Pod anonymous_moved = make_gossip_pod("127.9.0.1:5001", 150);
  anonymous_moved.pubkey.reset();
  auto u2 = step(*u1.registry, {make_seed_answer("s0", {anonymous_moved, pod_of("127.9.0.3:5000", "PK2", 150)})}, 160);
  EXPECT_EQ(u2.registry->entries.size(), 4u);
  EXPECT_TRUE(u2.changes.moved.empty());
  EXPECT_EQ(u2.changes.dropped.size(), 2u);
}

TEST(NodeIdentity, AReturnAtANewPortAfterADropIsAReappearance) {
  Registry empty;
  auto u1 = step(empty, {make_seed_answer("s0", {pod_of("127.9.0.1:5000", "PK1", 90), pod_of("127.9.0.9:1", "PK9", 90)})}, 100);
  auto u2 = step(*u1.registry, {make_seed_answer("s0", {pod_of("127.9.0.9:1", "PK9", 150)})}, 160);
  ASSERT_EQ(u2.changes.dropped, std::vector<std::string>{"127.9.0.1:5000"});
  auto u3 = step(*u2.registry, {make_seed_answer("s0", {pod_of("127.9.0.1:5002", "PK1", 210), pod_of("127.9.0.9:1", "PK9", 210)})},
                 220);
  const RegistryEntry* e = u3.registry->find("127.9.0.1:5002");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(u3.registry->entries.size(), 2u);
  EXPECT_EQ(e->gossip_appearances, 2);
  EXPECT_EQ(e->gossip_disappearances, 1);
  EXPECT_EQ(u3.changes.appeared, std::vector<std::string>{"127.9.0.1:5002"});
}

TEST(NodeIdentity, MovingBackAndForthKeepsOneEntryAndABoundedAddressHistory) {
  Registry reg;
  int64_t now = 100;
  RegistryUpdate u;
  for (int port = 5000; port < 5040; ++port) {
    u = step(reg, {make_seed_answer("s0", {pod_of("127.9.0.1:" + std::to_string(port % 2 ? 7000 : port), "PK1", now - 5)})},
             now);
    reg = *u.registry;
    now += 60;
  }
  ASSERT_EQ(reg.entries.size(), 1u);
  const RegistryEntry& e = reg.entries[0];
  EXPECT_EQ(e.previous_addresses.size(), RegistryEntry::kMaxPreviousAddresses);
  EXPECT_EQ(std::count(e.previous_addresses.begin(), e.previous_addresses.end(), e.address), 0);
  EXPECT_EQ(e.previous_addresses.back(), "127.9.0.1:5038");  // the newest move last
}

// ---- admission and the cap --------------------------------------------------------------

std::vector<model::Pod> fresh_pods(const std::string& prefix, int count) {
  std::vector<model::Pod> pods;
  for (int i = 0; i < count; ++i) pods.push_back(make_gossip_pod(prefix + std::to_string(i) + ":9001", 90));
  return pods;
}

TEST(Admission, OneSeedAloneAddsAtMostItsBudgetPerCycle) {
  AdmissionRules rules{.max_nodes = 1000, .new_nodes_per_seed = 3};
  Registry empty;
  auto u1 = step_with(empty, {make_seed_answer("s0", fresh_pods("127.5.0.", 5))}, 100, rules);
  EXPECT_EQ(u1.registry->entries.size(), 3u);
  EXPECT_EQ(u1.changes.admission_deferred, 2u);
  EXPECT_EQ(u1.changes.appeared.size(), 3u);
  auto u2 = step_with(*u1.registry, {make_seed_answer("s0", fresh_pods("127.5.0.", 5))}, 160, rules);
  EXPECT_EQ(u2.registry->entries.size(), 5u) << "the rest enter in the next cycle";
  EXPECT_EQ(u2.changes.admission_deferred, 0u);
}

TEST(Admission, NodesTwoSeedsListEnterAtOnce) {
  AdmissionRules rules{.max_nodes = 1000, .new_nodes_per_seed = 1};
  Registry empty;
  auto u = step_with(empty, {make_seed_answer("s0", fresh_pods("127.5.0.", 4)), make_seed_answer("s1", fresh_pods("127.5.0.", 4))},
                     100, rules);
  EXPECT_EQ(u.registry->entries.size(), 4u);
  EXPECT_EQ(u.changes.admission_deferred, 0u);
}

TEST(Admission, TheCapEvictsTheLongestOfflineAndNeverAListedNode) {
  AdmissionRules rules{.max_nodes = 4, .new_nodes_per_seed = 100};
  Registry empty;
  auto u1 = step_with(empty, {make_seed_answer("s0", fresh_pods("127.5.0.", 4))}, 100, rules);
  ASSERT_EQ(u1.registry->entries.size(), 4u);
  // 127.5.0.0 and .1 stay listed; .2 and .3 go offline (.3 seen later than .2).
  auto pods = fresh_pods("127.5.0.", 2);
  model::Pod later = make_gossip_pod("127.5.0.3:9001", 95);
  auto u2 = step_with(*u1.registry, {make_seed_answer("s0", {pods[0], pods[1], later})}, 160, rules);
  auto u3 = step_with(*u2.registry, {make_seed_answer("s0", {pods[0], pods[1]})}, 220, rules);
  ASSERT_EQ(u3.registry->entries.size(), 4u);
  // Three new nodes: one fits after evicting .2 and .3, the third waits.
  auto flood = fresh_pods("127.6.0.", 3);
  flood.push_back(pods[0]);
  flood.push_back(pods[1]);
  auto u4 = step_with(*u3.registry, {make_seed_answer("s0", flood)}, 280, rules);
  EXPECT_EQ(u4.registry->entries.size(), 4u);
  EXPECT_EQ(u4.changes.evicted, (std::vector<std::string>{"127.5.0.2:9001", "127.5.0.3:9001"}));
  EXPECT_EQ(u4.changes.admission_deferred, 1u);
  EXPECT_NE(u4.registry->find("127.5.0.0:9001"), nullptr);
  EXPECT_NE(u4.registry->find("127.5.0.1:9001"), nullptr);
  EXPECT_EQ(u4.removed, (std::vector<std::string>{"127.5.0.2:9001", "127.5.0.3:9001"}));
}

TEST(Admission, AFloodingSeedCannotGrowTheRegistryPastItsCap) {
  AdmissionRules rules{.max_nodes = 500, .new_nodes_per_seed = 200};
  Registry reg;
  for (int cycle = 0; cycle < 10; ++cycle) {
    auto u = step_with(reg, {make_seed_answer("s0", fresh_pods("127." + std::to_string(cycle + 10) + ".0.", 1000))},
                       100 + cycle * 60, rules);
    reg = *u.registry;
    EXPECT_LE(reg.entries.size(), 500u);
  }
  EXPECT_EQ(reg.entries.size(), 500u);
}

// The cycle hands the views each merged node's entry, so they need not look it up: it is
// the entry find() gives for the node's address, after admissions, a move and entries
// reordered, and none for a node the budget left out.
TEST(UpdateRegistry, EachMergedNodesEntryPositionIsTheEntryOfItsAddress) {
  AdmissionRules rules{.max_nodes = 1000, .new_nodes_per_seed = 3};
  auto check = [](const RegistryUpdate& u, const std::vector<MergedNode>& nodes) -> size_t {
    if (u.node_entries.size() != nodes.size()) {
      ADD_FAILURE() << u.node_entries.size() << " positions for " << nodes.size() << " nodes";
      return 0;
    }
    size_t absent = 0;
    for (size_t j = 0; j < nodes.size(); ++j) {
      const RegistryEntry* found = u.registry->find(nodes[j].pod.address);
      if (u.node_entries[j] == model::kNoRegistryEntry) {
        EXPECT_EQ(found, nullptr) << nodes[j].pod.address;
        ++absent;
      } else {
        EXPECT_EQ(&u.registry->entries.at(u.node_entries[j]), found) << nodes[j].pod.address;
      }
    }
    return absent;
  };
  Registry empty;
  Cycle c1 = cycle_of({make_seed_answer("s0", {pod_of("127.9.0.4:5000", "PK4", 90), pod_of("127.9.0.6:5000", "PK6", 90),
                                               pod_of("127.9.0.2:5000", "PK2", 90)})});
  auto u1 = update_registry(empty, c1.nodes, c1.seeds, 100, rules);
  check(u1, c1.nodes);
  // PK6 moves to a port that sorts first; five new nodes arrive, of which the budget
  // admits three.
  std::vector<model::Pod> pods = {pod_of("127.9.0.6:1000", "PK6", 150), pod_of("127.9.0.4:5000", "PK4", 150),
                                  pod_of("127.9.0.2:5000", "PK2", 150)};
  for (const auto& p : fresh_pods("127.9.0.", 5)) pods.push_back(p);
  Cycle c2 = cycle_of({make_seed_answer("s0", pods)});
  auto u2 = update_registry(*u1.registry, c2.nodes, c2.seeds, 160, rules);
  EXPECT_EQ(check(u2, c2.nodes), 2u);
  Cycle c3 = cycle_of({make_seed_answer("s0", pods)});
  auto u3 = update_registry(*u2.registry, c3.nodes, c3.seeds, 220, rules);
  EXPECT_EQ(check(u3, c3.nodes), 0u);
}

}  // namespace
}  // namespace pnode::collect
