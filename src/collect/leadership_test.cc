#include "collect/leadership.h"

#include <gtest/gtest.h>

#include "collect/test_lease_store.h"

namespace pnode::collect {
namespace {

using namespace std::chrono_literals;
using testing::EmptyStore;
using testing::LeaseStore;
using testing::TimePoint;

// Two instances on one store, on one clock the test moves.
struct Cluster {
  TimePoint clock = TimePoint{} + 1000s;
  LeaseStore store{clock};
  Leadership a{store, {"a", 15s}, [this] { return clock; }};
  Leadership b{store, {"b", 15s}, [this] { return clock; }};
};

TEST(Leadership, OneInstanceLeadsAndRenewsEveryThirdOfTheLease) {
  Cluster c;
  auto next = c.a.tick();
  c.b.tick();
  EXPECT_TRUE(c.a.is_leader());
  EXPECT_FALSE(c.b.is_leader());
  EXPECT_EQ(c.a.token(), (store::LeaseToken{"a", 1}));
  EXPECT_EQ(next, c.clock + 5s);
  for (int i = 0; i < 10; ++i) {  // a minute of renewals: a keeps it, b never gets it
    c.clock += 5s;
    c.a.tick();
    c.b.tick();
    ASSERT_TRUE(c.a.is_leader()) << i;
    ASSERT_FALSE(c.b.is_leader()) << i;
  }
  EXPECT_EQ(c.a.token()->epoch, 1);
}

// The paused leader (SIGSTOP past its lease): it stops counting itself leader on its own
// clock, another instance takes over with a larger epoch, and the old leader's late write
// is refused by the fence.
TEST(Leadership, APausedLeaderLosesTheLeaseAndItsLateWriteIsFenced) {
  Cluster c;
  c.a.tick();
  const store::LeaseToken old = *c.a.token();
  c.clock += 16s;  // a is frozen: no renewal
  EXPECT_FALSE(c.a.is_leader()) << "the local deadline passed";
  EXPECT_FALSE(c.a.token());
  c.b.tick();
  ASSERT_TRUE(c.b.is_leader());
  EXPECT_EQ(c.b.token()->epoch, 2);

  store::CycleWrite late;
  late.fence = old;
  auto written = c.store.write_cycle(late);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, ErrorCode::kNotLeader);
  store::CycleWrite current;
  current.fence = c.b.token();
  EXPECT_TRUE(c.store.write_cycle(current).ok());

  c.a.tick();  // a wakes up: its renewal fails and it stays a follower
  EXPECT_EQ(c.a.role(), Role::kFollower);
  EXPECT_TRUE(c.b.is_leader());
  // What the recorders' writes carry: a refusal for a, b's token for b.
  auto a_fence = c.a.write_fence();
  ASSERT_FALSE(a_fence.ok());
  EXPECT_EQ(a_fence.error().code, ErrorCode::kNotLeader);
  auto b_fence = c.b.write_fence();
  ASSERT_TRUE(b_fence.ok());
  EXPECT_EQ(*b_fence, c.b.token());
}

TEST(Leadership, AnUnreachableStoreEndsLeadershipAtTheLocalDeadline) {
  Cluster c;
  c.a.tick();
  c.store.reachable = false;
  c.clock += 5s;
  c.a.tick();
  EXPECT_TRUE(c.a.is_leader()) << "still within the lease";
  c.clock += 5s;
  c.a.tick();
  EXPECT_TRUE(c.a.is_leader());
  c.clock += 5s;  // 15 s since the last renewal
  c.a.tick();
  EXPECT_FALSE(c.a.is_leader());
  EXPECT_EQ(c.a.role(), Role::kFollower);
}

TEST(Leadership, ResigningHandsTheLeaseOverAtOnce) {
  Cluster c;
  c.a.tick();
  c.b.tick();
  ASSERT_FALSE(c.b.is_leader());
  c.a.resign();
  EXPECT_FALSE(c.a.is_leader());
  c.b.tick();  // no need to wait for the lease to run out
  EXPECT_TRUE(c.b.is_leader());
  EXPECT_EQ(c.b.token()->epoch, 2);
}

// A store without a lease (SQLite: one process) makes the instance leader for good.
TEST(Leadership, AStoreWithoutALeaseMeansTheOnlyInstance) {
  EmptyStore store;
  Leadership only(store, {"only", 15s});
  only.tick();
  EXPECT_EQ(only.role(), Role::kSoleInstance);
  EXPECT_TRUE(only.is_leader());
  EXPECT_FALSE(only.token()) << "nothing to fence with";
  auto fence = only.write_fence();
  ASSERT_TRUE(fence.ok()) << "the only instance writes";
  EXPECT_FALSE(*fence) << "unfenced";
}

}  // namespace
}  // namespace pnode::collect
