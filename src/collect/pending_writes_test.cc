#include "collect/pending_writes.h"

#include <gtest/gtest.h>

#include "testing/builders.h"

namespace pnode::collect {
namespace {

using ::pnode::testing::make_network_row;
using ::pnode::testing::make_registry_entry;

model::Registry registry_of(std::vector<model::RegistryEntry> entries) {
  model::Registry r;
  r.entries = std::move(entries);
  r.reindex();
  return r;
}

// A cycle's write at `ts` with registry rows and one node sample per address.
store::CycleWrite cycle_write(int64_t ts, const std::vector<std::string>& addresses) {
  store::CycleWrite w;
  auto snapshot = std::make_shared<model::Snapshot>();
  snapshot->last_updated = ts;
  w.snapshot = snapshot;
  w.network = make_network_row(ts, static_cast<int64_t>(addresses.size()));
  w.retention_cutoff = ts - 100;
  for (const auto& a : addresses) {
    w.registry_upserts.push_back(make_registry_entry(a, ts));
    model::NodeHistoryRow row;
    row.address = a;
    row.timestamp = ts;
    w.nodes.push_back(row);
  }
  return w;
}

TEST(PendingWrites, CombinesEveryFailedCycleWithTheRegistryAsItIsNow) {
  PendingWrites pending;
  EXPECT_TRUE(pending.empty());
  pending.remember(cycle_write(1000, {"a:1", "b:1"}));
  pending.remember(cycle_write(1060, {"a:1", "c:1"}));
  EXPECT_EQ(pending.cycles(), 2u);

  // Since then "a:1" moved on; "b:1" was pruned from the registry.
  auto registry = registry_of({make_registry_entry("a:1", 1120), make_registry_entry("c:1", 1060)});
  store::CycleWrite w = pending.combined(registry);
  ASSERT_EQ(w.registry_upserts.size(), 2u);
  EXPECT_EQ(w.registry_upserts[0].address, "a:1");
  EXPECT_EQ(w.registry_upserts[0].last_seen, 1120) << "the newest value is written";
  EXPECT_EQ(w.registry_upserts[1].address, "c:1");
  EXPECT_EQ(w.registry_deletes, std::vector<std::string>{"b:1"}) << "a row the registry no longer holds goes";
  EXPECT_EQ(w.network.timestamp, 1060);
  ASSERT_EQ(w.missed_network.size(), 1u);
  EXPECT_EQ(w.missed_network[0].timestamp, 1000);
  ASSERT_EQ(w.nodes.size(), 4u);
  EXPECT_EQ(w.nodes.front().timestamp, 1000) << "oldest first, so a newer sample at the same time wins";
  EXPECT_EQ(w.nodes.back().timestamp, 1060);
  ASSERT_TRUE(w.snapshot);
  EXPECT_EQ(w.snapshot->last_updated, 1060);
  EXPECT_EQ(w.retention_cutoff, 960);

  pending.clear();
  EXPECT_TRUE(pending.empty());
  store::CycleWrite after = pending.combined(registry);
  EXPECT_TRUE(after.registry_upserts.empty());
  EXPECT_TRUE(after.nodes.empty());
  EXPECT_TRUE(after.missed_network.empty());
}

// A failed cycle in which a node moved to a new port: its old row is deleted by the next
// write that succeeds, so a restart does not bring the old address back.
TEST(PendingWrites, CarriesTheDeletesOfAFailedCycle) {
  PendingWrites pending;
  store::CycleWrite moved = cycle_write(1000, {"10.0.0.1:5001"});
  moved.registry_deletes = {"10.0.0.1:5000"};
  pending.remember(std::move(moved));
  auto registry = registry_of({make_registry_entry("10.0.0.1:5001", 1000)});
  store::CycleWrite w = pending.combined(registry);
  ASSERT_EQ(w.registry_upserts.size(), 1u);
  EXPECT_EQ(w.registry_deletes, std::vector<std::string>{"10.0.0.1:5000"});
}

TEST(PendingWrites, KeepsAtMostTheConfiguredHistoryAndDropsTheOldestFirst) {
  PendingWrites pending(PendingLimits{.max_history_cycles = 2, .max_network_samples = 3});
  for (int64_t i = 0; i < 5; ++i) pending.remember(cycle_write(1000 + i * 60, {"a:1"}));
  EXPECT_EQ(pending.cycles(), 5u);
  EXPECT_EQ(pending.dropped_history_cycles(), 3);
  EXPECT_EQ(pending.dropped_network_samples(), 2);
  store::CycleWrite w = pending.combined(registry_of({make_registry_entry("a:1", 1240)}));
  ASSERT_EQ(w.nodes.size(), 2u);
  EXPECT_EQ(w.nodes[0].timestamp, 1180);
  EXPECT_EQ(w.nodes[1].timestamp, 1240);
  ASSERT_EQ(w.missed_network.size(), 2u);
  EXPECT_EQ(w.missed_network[0].timestamp, 1120);
  EXPECT_EQ(w.network.timestamp, 1240);
  EXPECT_EQ(w.registry_upserts.size(), 1u) << "registry rows are never dropped";
  pending.clear();
  EXPECT_EQ(pending.dropped_history_cycles(), 0);
}

store::EventRecord event_named(std::string id) {
  store::EventRecord e;
  e.id = std::move(id);
  return e;
}

TEST(PendingWrites, CarriesTheNewestMonitorState) {
  PendingWrites pending;
  EXPECT_FALSE(pending.combined(registry_of({})).monitor_state) << "none yet: the stored one stays";
  store::CycleWrite first = cycle_write(1000, {"a"});
  first.monitor_state = "after cycle 1";
  pending.remember(first);
  pending.remember(cycle_write(1060, {"a"}));  // a write without one keeps the earlier
  EXPECT_EQ(pending.combined(registry_of({})).monitor_state, "after cycle 1");
  pending.remember_monitor_state("after an inconclusive attempt");
  EXPECT_EQ(pending.combined(registry_of({})).monitor_state, "after an inconclusive attempt");
}

TEST(PendingWrites, CarriesEventsOfFailedWritesAndKeepsAtMostTheLimitDroppingTheOldest) {
  PendingLimits limits;
  limits.max_events = 3;
  PendingWrites pending(limits);
  store::CycleWrite failed = cycle_write(1000, {"a:1"});
  failed.events = {event_named("e1"), event_named("e2")};
  pending.remember(std::move(failed));
  pending.remember_events({event_named("e3"), event_named("e4")});
  EXPECT_EQ(pending.cycles(), 1u) << "events of an attempt without a cycle are not a failed cycle";
  EXPECT_EQ(pending.dropped_events(), 1);
  store::CycleWrite w = pending.combined(registry_of({make_registry_entry("a:1", 1000)}));
  ASSERT_EQ(w.events.size(), 3u);
  EXPECT_EQ(w.events[0].id, "e2");
  EXPECT_EQ(w.events[2].id, "e4");

  PendingWrites only_events;
  only_events.remember_events({event_named("e5")});
  EXPECT_FALSE(only_events.empty()) << "events alone wait for the next write";
}

}  // namespace
}  // namespace pnode::collect
