#include "model/registry_sighting.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace pnode::model {
namespace {

constexpr int64_t kNow = 1765000000;

std::vector<SeedPoll> seeds() {
  std::vector<SeedPoll> out(2);
  out[0].seed = "127.0.0.1:6000";
  out[1].seed = "127.0.0.1:6001";
  return out;
}

MergedNode sighting(const std::string& address, int64_t last_seen) {
  MergedNode m;
  m.pod.address = address;
  m.pod.pubkey = "PkA";
  m.pod.is_public = true;
  m.pod.last_seen_timestamp = last_seen;
  m.pod.rpc_port = 6000;
  m.pod.storage_committed = 100;
  m.pod.storage_used = 10;
  m.pod.storage_usage_percent = 10.0;
  m.pod.uptime = 500;
  m.pod.version = "0.8.0";
  m.peer_sources = {0, 1};
  return m;
}

RegistryEntry entry_after(const MergedNode& m, int64_t now) {
  RegistryEntry e;
  e.address = m.pod.address;
  e.created_at = now - 600;
  apply_sighting(e, m, seeds(), now);
  return e;
}

TEST(RegistrySighting, ApplyingASightingTwiceChangesNothing) {
  const MergedNode m = sighting("127.1.0.1:9001", kNow - 5);
  RegistryEntry once = entry_after(m, kNow);
  RegistryEntry twice = once;
  apply_sighting(twice, m, seeds(), kNow);
  EXPECT_EQ(once, twice);
  EXPECT_EQ(once.last_seen, kNow - 5);
  EXPECT_EQ(once.last_checked, kNow);
  EXPECT_EQ(once.last_ip, "127.0.0.1:6000");
  EXPECT_EQ(once.source_ips, (std::vector<std::string>{"127.0.0.1:6000", "127.0.0.1:6001"}));
}

TEST(RegistrySighting, OnlyACompleteSightingRebuildsARow) {
  MergedNode m = sighting("127.1.0.1:9001", kNow);
  EXPECT_TRUE(sighting_is_complete(m.pod));
  for (const auto& drop : std::vector<std::function<void(Pod&)>>{
           [](Pod& p) { p.pubkey.reset(); }, [](Pod& p) { p.rpc_port.reset(); }, [](Pod& p) { p.is_public.reset(); },
           [](Pod& p) { p.storage_committed.reset(); }, [](Pod& p) { p.storage_used.reset(); },
           [](Pod& p) { p.storage_usage_percent.reset(); }, [](Pod& p) { p.uptime.reset(); },
           [](Pod& p) { p.version.reset(); }, [](Pod& p) { p.version = "unknown"; }}) {
    Pod p = m.pod;
    drop(p);
    EXPECT_FALSE(sighting_is_complete(p));
  }
}

// Every field a sighting does not set is compared: a change to any of them is written.
TEST(RegistrySighting, AChangeOutsideTheSightingIsAlwaysWritten) {
  const MergedNode before_sighting = sighting("127.1.0.1:9001", kNow - 60);
  const RegistryEntry before = entry_after(before_sighting, kNow - 60);
  const MergedNode now_sighting = sighting("127.1.0.1:9001", kNow);
  RegistryEntry after = before;
  apply_sighting(after, now_sighting, seeds(), kNow);
  const bool crossed = last_seen_mark(before.address, kNow - 60) != last_seen_mark(before.address, kNow);
  EXPECT_EQ(row_rebuilt_by_sighting(before, after, now_sighting), !crossed);
  for (const auto& change : std::vector<std::function<void(RegistryEntry&)>>{
           [](RegistryEntry& e) { e.address = "127.1.0.2:9001"; }, [](RegistryEntry& e) { e.first_seen -= 1; },
           [](RegistryEntry& e) { e.created_at -= 1; }, [](RegistryEntry& e) { e.source_ips.push_back("x"); },
           [](RegistryEntry& e) { e.gossip_appearances += 1; }, [](RegistryEntry& e) { e.gossip_disappearances += 1; },
           [](RegistryEntry& e) { e.last_gossip_appearance = kNow; }, [](RegistryEntry& e) { e.last_gossip_drop = kNow; },
           [](RegistryEntry& e) { e.consistency_score = 0.5; }, [](RegistryEntry& e) { e.in_gossip = !e.in_gossip; },
           [](RegistryEntry& e) { e.previous_addresses.push_back("127.1.0.9:9001"); }}) {
    RegistryEntry changed = after;
    change(changed);
    EXPECT_FALSE(same_apart_from_sighting(before, changed));
    EXPECT_FALSE(row_rebuilt_by_sighting(before, changed, now_sighting));
  }
}

TEST(RegistrySighting, AStoredLastSeenIsRewrittenOnceAnHour) {
  const std::string address = "127.1.0.1:9001";
  int crossings = 0;
  for (int64_t t = kNow; t < kNow + 6 * 3600; t += 60)
    crossings += last_seen_mark(address, t) != last_seen_mark(address, t + 60);
  EXPECT_EQ(crossings, 6);
}

TEST(RegistrySighting, RestoringPutsTheSnapshotsSightingsIntoStaleRows) {
  const MergedNode old_sighting = sighting("127.1.0.1:9001", kNow - 3000);
  Snapshot snapshot;
  snapshot.seeds = seeds();
  snapshot.last_updated = kNow;
  snapshot.nodes = {sighting("127.1.0.1:9001", kNow - 2)};
  snapshot.nodes[0].pod.uptime = 9000;
  Registry registry;
  registry.entries = {entry_after(old_sighting, kNow - 3000)};
  registry.reindex();
  restore_sightings(registry, snapshot);
  RegistryEntry expected = entry_after(old_sighting, kNow - 3000);
  apply_sighting(expected, snapshot.nodes[0], snapshot.seeds, kNow);
  EXPECT_EQ(registry.entries[0], expected);
  EXPECT_EQ(registry.entries[0].last_seen, kNow - 2);
  EXPECT_EQ(registry.entries[0].last_checked, kNow);
  EXPECT_EQ(registry.entries[0].uptime, 9000u);
}

}  // namespace
}  // namespace pnode::model
