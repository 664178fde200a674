#include "store/snapshot_delta.h"

#include <gtest/gtest.h>

#include "store/snapshot_codec.h"
#include "store/store_test_support.h"

namespace pnode::store {
namespace {

using namespace testing_support;

// A snapshot of `n` nodes as a cycle's: every node seen at `at`, up `at` seconds.
model::Snapshot snapshot_of(uint64_t cycle, int64_t at, int n) {
  model::Snapshot s = *make_cycle(cycle, at, addresses(n)).snapshot;
  for (auto& node : s.nodes) node.pod.uptime = static_cast<uint64_t>(at);
  return s;
}

// The next cycle of `base`: every node seen and up a minute later, and the odd changes a
// real cycle brings.
model::Snapshot next_cycle(const model::Snapshot& base) {
  model::Snapshot s = base;
  s.cycle = base.cycle + 1;
  s.last_updated = base.last_updated + 60;
  for (auto& node : s.nodes) {
    *node.pod.last_seen_timestamp += 60;
    *node.pod.uptime += 60;
  }
  s.nodes[3].pod.pubkey.reset();               // a field becomes null
  s.nodes[4].pod.version = "0.8.1";            // a string changes
  s.nodes[5].peer_sources = {0, 1};            // another seed lists it
  s.nodes[5].source = 1;
  s.nodes[6].pod.storage_usage_percent = 0.1 + 0.2;  // a double that must come back exactly
  std::swap(s.nodes[10], s.nodes[11]);          // the order moves
  s.nodes.erase(s.nodes.begin() + 20);          // a node drops
  s.nodes.push_back({make_pod("10.9.9.9:9001"), {1}, 1});  // and one appears
  return s;
}

TEST(SnapshotDelta, RebuildsTheNextCycleExactlyFromTheBase) {
  model::Snapshot base = snapshot_of(7, 1765000000, 100);
  model::Snapshot next = next_cycle(base);
  const SnapshotBase remembered(base, encode_snapshot(base).size());
  std::string delta = encode_snapshot_delta(next, remembered);
  auto decoded = decode_snapshot(delta, &base);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  expect_same_snapshot(next, *decoded);
  EXPECT_LT(delta.size() * 3, encode_snapshot(next).size()) << "a delta of time and uptime changes is not small";
}

TEST(SnapshotDelta, AnUnchangedNodeIsItsBasePositionAlone) {
  model::Snapshot base = snapshot_of(7, 1765000000, 3);
  model::Snapshot same = base;
  same.cycle = 8;
  std::string delta = encode_snapshot_delta(same, SnapshotBase(base, 0));
  EXPECT_NE(delta.find("\"node_delta\":[0,1,2]"), std::string::npos) << delta;
  EXPECT_NE(delta.find("\"base_cycle\":7"), std::string::npos) << delta;
}

TEST(SnapshotDelta, ADeltaReadWithoutItsBaseOrWithAnotherIsCorrupt) {
  model::Snapshot base = snapshot_of(7, 1765000000, 30);
  std::string delta = encode_snapshot_delta(next_cycle(base), SnapshotBase(base, 0));
  auto alone = decode_snapshot(delta);
  ASSERT_FALSE(alone.ok());
  EXPECT_EQ(alone.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(alone.error().message.find("without its base"), std::string::npos) << alone.error().message;
  model::Snapshot other = base;
  other.cycle = 6;
  auto mismatched = decode_snapshot(delta, &other);
  ASSERT_FALSE(mismatched.ok());
  EXPECT_NE(mismatched.error().message.find("with the base of cycle 6"), std::string::npos)
      << mismatched.error().message;
}

// A stored delta is input like any other: an entry that does not fit the base fails the
// read as corrupt, never reads out of bounds.
TEST(SnapshotDelta, EntriesThatDoNotFitTheBaseAreCorrupt) {
  model::Snapshot base = snapshot_of(7, 1765000000, 2);
  const std::string good = encode_snapshot_delta(base, SnapshotBase(base, 0));
  const std::string entries = "\"node_delta\":[0,1]";
  ASSERT_NE(good.find(entries), std::string::npos) << good;
  for (const char* bad : {"[0,2]", "[0,-1]", "[[5,3,1]]", "[[0,13,1]]", "[[0,0,\"10.0.0.9:1\"]]", "[[0,3]]", "[[]]",
                          "[[0,3,\"x\"]]", "[[0,11,[70000]]]", "[\"x\"]", "[[\"10.0.0.9:1\"]]"}) {
    std::string body = good;
    body.replace(body.find(entries), entries.size(), std::string("\"node_delta\":") + bad);
    auto decoded = decode_snapshot(body, &base);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.error().code, ErrorCode::kCorrupt) << bad;
  }
}

// A probe round and an availability table of `pods` pods.
void add_probes(model::Snapshot& s, int pods) {
  auto round = std::make_shared<model::ProbeRound>();
  round->round = s.cycle;
  auto table = std::make_shared<model::AvailabilityTable>();
  table->computed_at = s.last_updated;
  for (const std::string& address : addresses(pods)) {
    model::PodProbe probe;
    probe.address = address;
    probe.endpoint = address;
    probe.reachable = true;
    probe.total_ms = 12.5;
    round->results.push_back(probe);
    model::PodAvailability a;
    a.uptime_24h = 0.99;
    table->by_address.emplace(address, a);
  }
  round->reindex();
  s.probe = round;
  s.availability = table;
}

// No new probe round finished since the base: the delta names the base's round and
// table instead of repeating them, and reads back the base's very objects.
TEST(SnapshotDelta, AProbeRoundAndAvailabilityTheBaseHoldsAreNamedNotRepeated) {
  model::Snapshot base = snapshot_of(7, 1765000000, 50);
  add_probes(base, 50);
  model::Snapshot next = next_cycle(base);
  std::string delta = encode_snapshot_delta(next, SnapshotBase(base, 0));
  EXPECT_NE(delta.find("\"probe_from_base\":true"), std::string::npos) << delta;
  EXPECT_NE(delta.find("\"availability_from_base\":true"), std::string::npos) << delta;
  EXPECT_EQ(delta.find("\"results\""), std::string::npos);
  auto decoded = decode_snapshot(delta, &base);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->probe, base.probe);
  EXPECT_EQ(decoded->availability, base.availability);

  add_probes(next, 50);  // a new round: equal content, another object
  delta = encode_snapshot_delta(next, SnapshotBase(base, 0));
  EXPECT_EQ(delta.find("_from_base"), std::string::npos) << delta;
  decoded = decode_snapshot(delta, &base);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_NE(decoded->probe, nullptr);
  EXPECT_NE(decoded->probe, base.probe);
  EXPECT_EQ(decoded->probe->results.size(), 50u);
  EXPECT_EQ(decoded->availability->by_address.size(), 50u);
}

TEST(SnapshotDelta, APartNamedAsTheBasesInAFullDocumentIsCorrupt) {
  model::Snapshot base = snapshot_of(7, 1765000000, 2);
  std::string full = encode_snapshot(base);
  full.insert(full.size() - 1, ",\"probe_from_base\":true");
  auto decoded = decode_snapshot(full, &base);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message.find("not a delta"), std::string::npos) << decoded.error().message;
}

// The choice weighs the nodes alone: a new probe round of many pods written whole does
// not make a cycle whose nodes barely changed go in full.
TEST(SnapshotEncoder, WeighsTheNodesPartAloneAgainstTheBases) {
  SnapshotEncoder encoder;
  model::Snapshot first = snapshot_of(1, 1765000000, 100);
  encoder.committed(first, encoder.encode(first));
  model::Snapshot second = next_cycle(first);
  add_probes(second, 2000);
  EncodedSnapshot encoded = encoder.encode(second);
  EXPECT_EQ(encoded.base_cycle, std::optional<uint64_t>(1));
  EXPECT_GT(encoded.body.size(), encode_snapshot(first).size()) << "the probe round is the bulk of this delta";
  EXPECT_LT(encoded.nodes_bytes * 2, encode_snapshot(first).size());
}

TEST(SnapshotEncoder, WritesInFullUntilABaseIsCommittedThenDeltasAgainstIt) {
  SnapshotEncoder encoder;
  model::Snapshot first = snapshot_of(1, 1765000000, 100);
  EncodedSnapshot encoded = encoder.encode(first);
  EXPECT_FALSE(encoded.base_cycle) << "no base yet";
  EXPECT_FALSE(encoder.encode(next_cycle(first)).base_cycle) << "a base that was never committed";
  encoder.committed(first, encoded);

  model::Snapshot second = next_cycle(first);
  EncodedSnapshot delta = encoder.encode(second);
  ASSERT_EQ(delta.base_cycle, std::optional<uint64_t>(1));
  encoder.committed(second, delta);  // a committed delta keeps the base
  model::Snapshot third = next_cycle(second);
  EncodedSnapshot again = encoder.encode(third);
  ASSERT_EQ(again.base_cycle, std::optional<uint64_t>(1));
  auto decoded = decode_snapshot(again.body, &first);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  expect_same_snapshot(third, *decoded);
}

TEST(SnapshotEncoder, RewritesTheBaseWhenADeltaWouldBeHalfItsSizeOrMore) {
  SnapshotEncoder encoder;
  model::Snapshot first = snapshot_of(1, 1765000000, 100);
  encoder.committed(first, encoder.encode(first));
  model::Snapshot replaced = snapshot_of(2, 1765000060, 100);
  for (auto& node : replaced.nodes) node.pod.address.insert(0, "1");  // every node is new
  EXPECT_FALSE(encoder.encode(replaced).base_cycle);
}

}  // namespace
}  // namespace pnode::store
