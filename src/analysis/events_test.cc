#include "analysis/events.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "testing/builders.h"

namespace pnode::analysis {
namespace {

// One node as a cycle sees it: its registry entry and whether gossip lists it.
struct NodeFacts {
  std::string address;
  bool online = true;
  std::optional<uint64_t> uptime = 5000;
  std::optional<std::string> version = "0.8.0";
  std::optional<uint64_t> committed = 1000;
  bool is_public = true;
  int64_t last_seen = 0;  // 0: the cycle time
  std::vector<std::string> previous_addresses;

  NodeFacts& offline() { return online = false, *this; }
  NodeFacts& with_uptime(uint64_t v) { return uptime = v, *this; }
  NodeFacts& with_version(std::string v) { return version = std::move(v), *this; }
  NodeFacts& with_committed(uint64_t v) { return committed = v, *this; }
  NodeFacts& with_public(bool v) { return is_public = v, *this; }
  NodeFacts& seen(int64_t v) { return last_seen = v, *this; }
  NodeFacts& moved_from(std::string old) { return previous_addresses.push_back(std::move(old)), *this; }
};
NodeFacts node(std::string address) {
  NodeFacts n;
  n.address = std::move(address);
  return n;
}

model::Snapshot cycle_of(uint64_t cycle, int64_t time, const std::vector<NodeFacts>& nodes,
                         std::vector<bool> seeds_ok = {true}) {
  model::Snapshot s;
  s.cycle = cycle;
  s.started_at = time - 1;
  s.last_updated = time;
  for (size_t i = 0; i < seeds_ok.size(); ++i) {
    model::SeedPoll poll;
    poll.seed = "127.0.0.1:" + std::to_string(16001 + i);
    if (!seeds_ok[i]) poll.pods_error = make_error(ErrorCode::kTimeout, "no answer");
    s.seeds.push_back(poll);
  }
  auto registry = std::make_shared<model::Registry>();
  for (const auto& n : nodes) {
    model::RegistryEntry e = pnode::testing::make_bare_registry_entry(n.address, time);
    e.pubkey = "pk-" + n.address;
    e.uptime = n.uptime;
    e.version = n.version;
    e.storage_committed = n.committed;
    e.is_public = n.is_public;
    e.last_seen = n.last_seen ? n.last_seen : time;
    e.previous_addresses = n.previous_addresses;
    registry->entries.push_back(e);
    if (n.online) s.nodes.push_back(model::MergedNode{pnode::testing::make_gossip_pod(n.address, e.last_seen), {0}, 0});
  }
  std::sort(registry->entries.begin(), registry->entries.end(),
            [](const auto& a, const auto& b) { return a.address < b.address; });
  registry->reindex();
  s.registry = registry;
  return s;
}

std::vector<EventType> types_of(const std::vector<Event>& events) {
  std::vector<EventType> out;
  for (const auto& e : events) out.push_back(e.type);
  return out;
}

TEST(Events, TheFirstSnapshotDiscoversEveryRegistryNode) {
  auto first = cycle_of(1, 1000, {node("10.0.0.1:9001"), node("10.0.0.2:9001").with_public(false)});
  auto events = node_events(nullptr, first);
  ASSERT_EQ(types_of(events), (std::vector{EventType::kNodeDiscovered, EventType::kNodeDiscovered}));
  EXPECT_EQ(events[0].address, "10.0.0.1:9001");
  EXPECT_EQ(events[0].pubkey, "pk-10.0.0.1:9001");
  EXPECT_EQ(events[1].payload, EventPayload(NodeDiscovered{"0.8.0", false, 1000}));
  EXPECT_EQ(events[0].time, 1000);
  EXPECT_EQ(events[0].cycle, 1u);
  // Nothing changed: nothing to tell.
  auto second = cycle_of(2, 1060, {node("10.0.0.1:9001"), node("10.0.0.2:9001").with_public(false)});
  EXPECT_TRUE(node_events(&first, second).empty());
}

TEST(Events, ANodeLeavingGossipIsOfflineOnceAndOnlineWhenItReturns) {
  auto up = cycle_of(1, 1000, {node("a:1").seen(990)});
  auto down = cycle_of(2, 1060, {node("a:1").offline().seen(990)});
  auto still_down = cycle_of(3, 1120, {node("a:1").offline().seen(990)});
  auto back = cycle_of(4, 1180, {node("a:1").seen(1175)});

  auto offline = node_events(&up, down);
  ASSERT_EQ(types_of(offline), std::vector{EventType::kNodeOffline});
  EXPECT_EQ(std::get<NodeOffline>(offline[0].payload).last_seen, 990);
  EXPECT_TRUE(node_events(&down, still_down).empty()) << "offline is told once, not every cycle";
  auto online = node_events(&still_down, back);
  ASSERT_EQ(types_of(online), std::vector{EventType::kNodeOnline});
  EXPECT_EQ(std::get<NodeOnline>(online[0].payload).last_seen_before, 990);
}

TEST(Events, UptimeGoingBackIsARestartButAnOlderGossipCopyIsNot) {
  auto before = cycle_of(1, 1000, {node("a:1").with_uptime(5000).seen(1000)});
  auto restarted = cycle_of(2, 1060, {node("a:1").with_uptime(30).seen(1055)});
  auto events = node_events(&before, restarted);
  ASSERT_EQ(types_of(events), std::vector{EventType::kNodeRestarted});
  EXPECT_EQ(events[0].payload, EventPayload(NodeRestarted{5000, 30}));

  auto stale_copy = cycle_of(2, 1060, {node("a:1").with_uptime(4990).seen(990)});
  EXPECT_TRUE(node_events(&before, stale_copy).empty()) << "an older sighting is a lagging seed, not a restart";
  auto growing = cycle_of(2, 1060, {node("a:1").with_uptime(5060).seen(1060)});
  EXPECT_TRUE(node_events(&before, growing).empty());
}

TEST(Events, VersionStorageAndVisibilityChangesSayFromAndTo) {
  auto before = cycle_of(1, 1000, {node("a:1").with_version("0.7.3").with_committed(1000).with_public(false)});
  auto after = cycle_of(2, 1060, {node("a:1").with_version("0.8.0").with_committed(4000).with_public(true)});
  auto events = node_events(&before, after);
  ASSERT_EQ(types_of(events), (std::vector{EventType::kVersionChanged, EventType::kStorageCommittedChanged,
                                           EventType::kVisibilityChanged}));
  EXPECT_EQ(events[0].payload, EventPayload(VersionChanged{"0.7.3", "0.8.0"}));
  EXPECT_EQ(events[1].payload, EventPayload(StorageCommittedChanged{1000, 4000}));
  EXPECT_EQ(events[2].payload, EventPayload(VisibilityChanged{false, true}));
  EXPECT_EQ(event_to_json(events[2]),
            R"({"id":"2.0:visibility_changed:a:1","type":"visibility_changed","time":1060,"cycle":2,)"
            R"("address":"a:1","pubkey":"pk-a:1","data":{"from":"private","to":"public"}})");
}

TEST(Events, ANodeThatMovedToANewPortIsNotDiscoveredAgain) {
  auto before = cycle_of(1, 1000, {node("10.0.0.1:9001")});
  auto after = cycle_of(2, 1060, {node("10.0.0.1:9002").moved_from("10.0.0.1:9001")});
  EXPECT_TRUE(node_events(&before, after).empty());
  auto new_node = cycle_of(2, 1060, {node("10.0.0.1:9002")});
  EXPECT_EQ(types_of(node_events(&before, new_node)), std::vector{EventType::kNodeDiscovered});
}

TEST(Events, AnUnknownPubkeyIsEmptyNotTheAddress) {
  auto s = cycle_of(1, 1000, {node("a:1")});
  auto registry = std::make_shared<model::Registry>(*s.registry);
  registry->entries[0].pubkey = "a:1";  // how the registry stores "never told"
  s.registry = registry;
  auto events = node_events(nullptr, s);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].pubkey, "");
  EXPECT_NE(event_to_json(events[0]).find(R"("pubkey":null)"), std::string::npos);
}

TEST(Events, IdsAreTheSameWhenTheSameCycleIsDerivedAgainAndDifferOtherwise) {
  auto before = cycle_of(1, 1000, {node("a:1"), node("b:1")});
  auto after = cycle_of(2, 1060, {node("a:1").offline(), node("b:1").offline()});
  auto first = node_events(&before, after);
  auto again = node_events(&before, after);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first, again);
  EXPECT_EQ(first[0].id, "2.0:node_offline:a:1");
  EXPECT_NE(first[0].id, first[1].id);
  auto later = cycle_of(3, 1060, {node("a:1").offline(), node("b:1").offline()});
  EXPECT_NE(node_events(&before, later)[0].id, first[0].id) << "another cycle, another id";
}

TEST(Events, AnInconclusiveAttemptYieldsNoNodeEventsAndOneSeedUnreachableForAWholeOutage) {
  auto last = cycle_of(5, 1000, {node("a:1"), node("b:1")}, {true, true, true});
  SeedStates seeds = SeedStates::from_snapshot(last);
  std::vector<model::SeedPoll> failed = last.seeds;
  for (auto& p : failed) p.pods_error = make_error(ErrorCode::kRefused, "refused");

  std::vector<Event> all;
  for (uint32_t attempt = 1; attempt <= 3; ++attempt) {
    auto events = observation_events(seeds, &last, inconclusive_observation(5, attempt, 1000 + 10 * attempt, failed));
    all.insert(all.end(), events.begin(), events.end());
  }
  ASSERT_EQ(types_of(all), std::vector{EventType::kSeedUnreachable}) << "no node_offline, and the outage is told once";
  const auto& lost = std::get<SeedTransition>(all[0].payload);
  EXPECT_EQ(lost.seeds.size(), 3u);
  EXPECT_EQ(lost.seeds[0].error, "refused");
  EXPECT_EQ(lost.reachable, 0);
  EXPECT_EQ(lost.total, 3);
  EXPECT_FALSE(lost.conclusive);
  EXPECT_EQ(all[0].id, "5.1:seed_unreachable:");
  EXPECT_EQ(all[0].address, "");

  // The seeds answer again with the nodes still there: recovered, and no node event.
  auto next = cycle_of(6, 1100, {node("a:1"), node("b:1")}, {true, true, true});
  auto events = observation_events(seeds, &last, conclusive_observation(next));
  ASSERT_EQ(types_of(events), std::vector{EventType::kSeedRecovered});
  EXPECT_EQ(std::get<SeedTransition>(events[0].payload).seeds[1].since, 1010);
}

TEST(Events, AConclusiveCycleWithOneSeedDownToldOnceAndNodeEventsStillCome) {
  auto first = cycle_of(1, 1000, {node("a:1")}, {true, true});
  SeedStates seeds = SeedStates::from_snapshot(first);
  auto second = cycle_of(2, 1060, {node("a:1").offline()}, {true, false});
  auto events = observation_events(seeds, &first, conclusive_observation(second));
  ASSERT_EQ(types_of(events), (std::vector{EventType::kSeedUnreachable, EventType::kNodeOffline}));
  EXPECT_TRUE(std::get<SeedTransition>(events[0].payload).conclusive);
  auto third = cycle_of(3, 1120, {node("a:1").offline()}, {true, false});
  EXPECT_TRUE(observation_events(seeds, &second, conclusive_observation(third)).empty());
  EXPECT_EQ(event_to_json(events[0]),
            R"({"id":"2.0:seed_unreachable:","type":"seed_unreachable","time":1060,"cycle":2,"address":null,)"
            R"("pubkey":null,"data":{"seeds":[{"seed":"127.0.0.1:16002","error":"timeout"}],"reachable":1,)"
            R"("total":2,"conclusive":true}})");
}

TEST(Events, ASeedSeenForTheFirstTimeIsToldOnlyWhenItIsDown) {
  SeedStates seeds;
  auto s = cycle_of(1, 1000, {}, {true, false});
  auto events = seed_events(seeds, conclusive_observation(s));
  ASSERT_EQ(types_of(events), std::vector{EventType::kSeedUnreachable});
  EXPECT_EQ(std::get<SeedTransition>(events[0].payload).seeds.size(), 1u);
  EXPECT_EQ(seeds.seeds.size(), 2u);
  EXPECT_TRUE(seeds.seeds.at("127.0.0.1:16001").reachable);
}

TEST(Events, TypeNamesRoundTrip) {
  ASSERT_EQ(all_event_types().size(), kEventTypeCount);
  for (EventType t : all_event_types()) EXPECT_EQ(parse_event_type(event_type_name(t)), t);
  EXPECT_EQ(parse_event_type("node_exploded"), std::nullopt);
  EXPECT_STREQ(event_type_name(EventType::kStorageCommittedChanged), "storage_committed_changed");
}

}  // namespace
}  // namespace pnode::analysis
