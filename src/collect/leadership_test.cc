#include "collect/leadership.h"

#include <gtest/gtest.h>

namespace pnode::collect {
namespace {

using namespace std::chrono_literals;
using TimePoint = std::chrono::steady_clock::time_point;

// A store with nothing in it; the lease calls keep their defaults (not implemented).
class EmptyStore : public store::Store {
 public:
  Status write_cycle(const store::CycleWrite&) override { return ok_status(); }
  Result<store::LoadedState> load() override { return store::LoadedState{}; }
  Result<std::vector<store::NetworkHistoryRow>> network_history(int64_t, int64_t) override {
    return std::vector<store::NetworkHistoryRow>{};
  }
  Result<std::optional<store::NetworkHistoryRow>> network_sample_at_or_before(int64_t) override {
    return std::optional<store::NetworkHistoryRow>();
  }
  Result<std::vector<store::NodeHistoryRow>> node_history(const std::string&, int64_t, int64_t) override {
    return std::vector<store::NodeHistoryRow>{};
  }
  Result<std::vector<store::HistoryStatusRow>> history_status(size_t) override {
    return std::vector<store::HistoryStatusRow>{};
  }
  Result<int64_t> prune_registry(int64_t) override { return 0; }
};

// A store holding one lease row on a clock the test moves (the store's own clock, as
// PostgreSQL's now()), fencing writes by it; `reachable` false fails every lease call.
class LeaseStore final : public EmptyStore {
 public:
  explicit LeaseStore(TimePoint& clock) : clock_(clock) {}
  bool reachable = true;
  int writes = 0;

  Result<std::optional<store::LeaseToken>> try_acquire_lease(const std::string& holder,
                                                             std::chrono::milliseconds ttl) override {
    if (!reachable) return unreachable();
    if (holder_ && expires_ > clock_) return std::optional<store::LeaseToken>();
    holder_ = store::LeaseToken{holder, ++epoch_};
    expires_ = clock_ + ttl;
    return std::optional<store::LeaseToken>(*holder_);
  }
  Result<bool> renew_lease(const store::LeaseToken& token, std::chrono::milliseconds ttl) override {
    if (!reachable) return unreachable();
    if (!holds(token)) return false;
    expires_ = clock_ + ttl;
    return true;
  }
  Status resign_lease(const store::LeaseToken& token) override {
    if (!reachable) return unreachable();
    if (holds(token)) holder_.reset();
    return ok_status();
  }
  Status write_cycle(const store::CycleWrite& write) override {
    if (write.fence && !holds(*write.fence)) return make_error(ErrorCode::kNotLeader, "fenced");
    ++writes;
    return ok_status();
  }

 private:
  bool holds(const store::LeaseToken& token) const { return holder_ && *holder_ == token && expires_ > clock_; }
  static Error unreachable() { return make_error(ErrorCode::kRefused, "connection refused"); }

  TimePoint& clock_;
  std::optional<store::LeaseToken> holder_;
  TimePoint expires_{};
  int64_t epoch_ = 0;
};

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
}

}  // namespace
}  // namespace pnode::collect
