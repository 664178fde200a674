#include "api/snapshot_hub.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "api/per_snapshot.h"

namespace pnode::api {
namespace {

std::shared_ptr<const model::Snapshot> snapshot_of_cycle(uint64_t cycle) {
  auto s = std::make_shared<model::Snapshot>();
  s->cycle = cycle;
  s->last_updated = static_cast<int64_t>(cycle) * 60;
  return s;
}

TEST(SnapshotHub, IsEmptyUntilTheFirstPublication) {
  SnapshotHub hub;
  EXPECT_EQ(hub.current(), nullptr);
  EXPECT_EQ(hub.generation(), 0u);
  auto first = snapshot_of_cycle(1);
  hub.publish(first);
  EXPECT_EQ(hub.current(), first);
  EXPECT_EQ(hub.generation(), 1u);
}

TEST(SnapshotHub, AReaderKeepsTheSnapshotItStartedWith) {
  SnapshotHub hub(snapshot_of_cycle(1));
  auto held = hub.current();
  std::weak_ptr<const model::Snapshot> watch = held;
  hub.publish(snapshot_of_cycle(2));
  EXPECT_EQ(held->cycle, 1u);
  EXPECT_EQ(hub.current()->cycle, 2u);
  held.reset();
  EXPECT_TRUE(watch.expired());  // freed with its last reader
}

TEST(SnapshotHub, ConcurrentReadersSeeWholeSnapshotsInOrder) {
  SnapshotHub hub(snapshot_of_cycle(0));
  constexpr uint64_t kCycles = 2000;
  std::vector<std::thread> readers;
  std::vector<bool> ordered(2, true);
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&, r] {
      uint64_t last = 0;
      while (last < kCycles) {
        auto s = hub.current();
        if (s->cycle < last || s->last_updated != static_cast<int64_t>(s->cycle) * 60) ordered[r] = false;
        last = s->cycle;
      }
    });
  }
  for (uint64_t c = 1; c <= kCycles; ++c) hub.publish(snapshot_of_cycle(c));
  for (auto& t : readers) t.join();
  EXPECT_TRUE(ordered[0]);
  EXPECT_TRUE(ordered[1]);
  EXPECT_EQ(hub.generation(), kCycles);
}

TEST(PerSnapshot, ComputesOncePerSnapshot) {
  PerSnapshot<uint64_t> memo;
  int computed = 0;
  auto compute = [&](const model::Snapshot& s) {
    ++computed;
    return s.cycle * 10;
  };
  auto first = snapshot_of_cycle(1);
  EXPECT_EQ(*memo.get(first, compute), 10u);
  EXPECT_EQ(*memo.get(first, compute), 10u);
  EXPECT_EQ(computed, 1);
  auto second = snapshot_of_cycle(2);
  EXPECT_EQ(*memo.get(second, compute), 20u);
  EXPECT_EQ(computed, 2);
}

TEST(PerSnapshot, DoesNotKeepOldSnapshotsAliveOrConfuseThem) {
  PerSnapshot<uint64_t> memo;
  auto compute = [](const model::Snapshot& s) { return s.cycle; };
  auto first = snapshot_of_cycle(1);
  std::weak_ptr<const model::Snapshot> watch = first;
  auto value = memo.get(first, compute);
  first.reset();
  EXPECT_TRUE(watch.expired());
  EXPECT_EQ(*value, 1u);  // a value handed out stays valid
  // A new snapshot (possibly at the same address) gets its own value.
  EXPECT_EQ(*memo.get(snapshot_of_cycle(7), compute), 7u);
}

}  // namespace
}  // namespace pnode::api
