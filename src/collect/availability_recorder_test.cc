// AvailabilityRecorder over a real SQLite store: each round's probes and changed sessions
// stored, the summary published, and a restarted recorder continuing the open session.
#include "collect/availability_recorder.h"

#include <gtest/gtest.h>

#include <string>

#include "collect/test_lease_store.h"
#include "store/store_test_support.h"

namespace pnode::collect {
namespace {

using store::testing_support::open_ok;
using store::testing_support::TempDir;

constexpr int64_t kT0 = 100 * 86400;

model::ProbeRound round_at(int64_t at, bool a_answers) {
  model::ProbeRound r;
  r.round = static_cast<uint64_t>(at);
  r.started_at = r.finished_at = at;
  model::PodProbe a;
  a.address = "10.0.0.1:9001";
  a.reachable = a_answers;
  a.failure = a_answers ? "" : "refused";
  a.total_ms = a_answers ? 20 : 3;
  a.probed_at = at;
  model::PodProbe denied;
  denied.address = "8.8.8.8:9001";
  denied.failure = "denied";
  denied.probed_at = at;
  r.results = {a, denied};
  r.reindex();
  return r;
}

TEST(AvailabilityRecorder, StoresEachRoundAndPublishesTheSummary) {
  TempDir dir;
  auto store = open_ok(dir.file("a.db"));
  AvailabilityRecorder recorder(store.get(), {});
  EXPECT_FALSE(recorder.current());
  recorder.record(round_at(kT0, true));
  recorder.record(round_at(kT0 + 60, false));
  recorder.record(round_at(kT0 + 120, false));  // down from kT0 + 60
  auto table = recorder.current();
  ASSERT_TRUE(table);
  const model::PodAvailability* a = table->find("10.0.0.1:9001");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->down_since, kT0 + 60);
  EXPECT_DOUBLE_EQ(*a->uptime_24h, 0.5);
  EXPECT_FALSE(table->find("8.8.8.8:9001"));  // denied: nothing was measured

  auto probes = store->probe_history("10.0.0.1:9001", 0, kT0 + 1000, 100);
  ASSERT_TRUE(probes.ok());
  EXPECT_EQ(probes->size(), 3u);
  EXPECT_TRUE(store->probe_history("8.8.8.8:9001", 0, kT0 + 1000, 100)->empty());
  auto sessions = store->availability_sessions("10.0.0.1:9001", 0);
  ASSERT_EQ(sessions->size(), 2u);
  EXPECT_TRUE((*sessions)[0].up);
  EXPECT_EQ((*sessions)[0].ended_at, kT0 + 60);
  EXPECT_FALSE((*sessions)[1].up);
  EXPECT_FALSE((*sessions)[1].ended_at);
}

// Without the collector lease a round is not written (the store would refuse it under a
// stale fence anyway); its sessions wait like a failed write's and go with the next round
// written under the lease.
TEST(AvailabilityRecorder, ARoundRecordedWithoutTheLeaseIsNotWritten) {
  TempDir dir;
  auto store = open_ok(dir.file("fence.db"));
  AvailabilityRecorder recorder(store.get(), {});
  bool leader = false;
  recorder.set_write_fence([&leader]() -> Result<std::optional<store::LeaseToken>> {
    if (!leader) return make_error(ErrorCode::kNotLeader, "the lease was lost");
    return std::optional<store::LeaseToken>();
  });
  recorder.record(round_at(kT0, true));
  EXPECT_TRUE(store->probe_history("10.0.0.1:9001", 0, kT0 + 1000, 100)->empty());
  EXPECT_TRUE(store->availability_sessions("10.0.0.1:9001", 0)->empty());
  EXPECT_EQ(recorder.unwritten_sessions(), 1u);
  ASSERT_TRUE(recorder.current());  // the summary is still published

  leader = true;
  recorder.record(round_at(kT0 + 60, true));
  EXPECT_EQ(store->probe_history("10.0.0.1:9001", 0, kT0 + 1000, 100)->size(), 1u);  // this round's only
  EXPECT_EQ(store->availability_sessions("10.0.0.1:9001", 0)->size(), 1u);
  EXPECT_EQ(recorder.unwritten_sessions(), 0u);
}

TEST(AvailabilityRecorder, ARestartContinuesTheOpenSession) {
  TempDir dir;
  auto store = open_ok(dir.file("a.db"));
  {
    AvailabilityRecorder first(store.get(), {});
    first.record(round_at(kT0, true));
    first.record(round_at(kT0 + 60, true));
  }
  AvailabilityRecorder restarted(store.get(), {});
  ASSERT_TRUE(restarted.restore(kT0 + 90).ok());
  ASSERT_TRUE(restarted.current());
  EXPECT_EQ(restarted.current()->find("10.0.0.1:9001")->up_since, kT0);
  restarted.record(round_at(kT0 + 120, true));
  auto sessions = store->availability_sessions("10.0.0.1:9001", 0);
  ASSERT_EQ(sessions->size(), 1u);  // the same session, not a new one
  EXPECT_EQ((*sessions)[0].started_at, kT0);
  EXPECT_EQ((*sessions)[0].last_probe_at, kT0 + 120);
}

// Two instances on one store: the one that takes over continues the sessions the other
// wrote after it started, instead of its own stale memory.
TEST(AvailabilityRecorder, AnInstanceThatTakesOverContinuesWhatTheOtherWrote) {
  TempDir dir;
  auto store = open_ok(dir.file("a.db"));
  AvailabilityRecorder first(store.get(), {}), second(store.get(), {});
  ASSERT_TRUE(second.restore(kT0 - 10).ok());  // started before anything was probed
  first.record(round_at(kT0, true));
  first.record(round_at(kT0 + 60, false));
  second.record(round_at(kT0 + 120, false));  // its first round: the second failure in a row
  auto sessions = store->availability_sessions("10.0.0.1:9001", 0);
  ASSERT_EQ(sessions->size(), 2u);
  EXPECT_TRUE((*sessions)[0].up);
  EXPECT_EQ((*sessions)[0].ended_at, kT0 + 60);
  EXPECT_FALSE((*sessions)[1].up);
  EXPECT_EQ((*sessions)[1].started_at, kT0 + 60);
  EXPECT_EQ(second.current()->find("10.0.0.1:9001")->down_since, kT0 + 60);
}

TEST(AvailabilityRecorder, OldProbesGoAfterTheirRetention) {
  TempDir dir;
  auto store = open_ok(dir.file("a.db"));
  AvailabilityConfig config;
  config.probe_retention_days = 1;
  AvailabilityRecorder recorder(store.get(), config);
  recorder.record(round_at(kT0, true));
  recorder.record(round_at(kT0 + 2 * 86400, true));
  auto probes = store->probe_history("10.0.0.1:9001", 0, kT0 + 3 * 86400, 100);
  ASSERT_EQ(probes->size(), 1u);
  EXPECT_EQ((*probes)[0].at, kT0 + 2 * 86400);
}

// The cap on pods followed (REGISTRY_MAX_NODES in the server) reaches the tracker: a
// restart over a store holding more pods than it publishes the most recently probed.
TEST(AvailabilityRecorder, ARestartOverMorePodsThanTheCapPublishesTheMostRecentlyProbed) {
  TempDir dir;
  auto store = open_ok(dir.file("a.db"));
  {
    AvailabilityRecorder first(store.get(), {});
    for (int i = 0; i < 3; ++i) {
      model::ProbeRound r = round_at(kT0 + i, true);
      r.results.resize(1);  // without the denied probe
      r.results[0].address = "10.0.0." + std::to_string(i + 1) + ":9001";
      r.reindex();
      first.record(r);
    }
  }
  AvailabilityConfig config;
  config.rules.max_pods = 2;
  AvailabilityRecorder restarted(store.get(), config);
  ASSERT_TRUE(restarted.restore(kT0 + 10).ok());
  auto table = restarted.current();
  ASSERT_TRUE(table);
  EXPECT_EQ(table->by_address.size(), 2u);
  EXPECT_FALSE(table->find("10.0.0.1:9001"));  // probed first, never again
  EXPECT_TRUE(table->find("10.0.0.2:9001"));
  EXPECT_TRUE(table->find("10.0.0.3:9001"));
}

// A store whose probe-round writes fail as a full disk's would until `failing` is cleared;
// the sessions are read from, and then written to, a real SQLite store.
class FailingProbeWrites final : public testing::EmptyStore {
 public:
  explicit FailingProbeWrites(std::unique_ptr<store::Store> inner) : inner_(std::move(inner)) {}
  bool failing = true;

  Status write_probe_round(const store::ProbeRoundWrite& write) override {
    if (failing) return make_error(ErrorCode::kDiskFull, "writing the probe round: database or disk is full");
    return inner_->write_probe_round(write);
  }
  Result<std::vector<model::AvailabilitySession>> availability_sessions(const std::string& address,
                                                                        int64_t ended_after) override {
    return inner_->availability_sessions(address, ended_after);
  }

 private:
  std::unique_ptr<store::Store> inner_;
};

// Round `i` of a pod that answers once, then fails twice (each three rounds end an up
// and a down session); "10.0.0.2:9001" answers in round 0 only.
model::ProbeRound flapping_round(int i) {
  model::ProbeRound r = round_at(kT0 + 60 * i, i % 3 == 0);
  r.results.resize(1);  // without the denied probe
  if (i == 0) {
    r.results.push_back(r.results[0]);
    r.results[1].address = "10.0.0.2:9001";
  }
  r.reindex();
  return r;
}

TEST(AvailabilityRecorder, WhileWritesFailTheUnwrittenSessionsStayBoundedAndTheKeptOnesAreWrittenAfter) {
  TempDir dir;
  FailingProbeWrites store(open_ok(dir.file("a.db")));
  AvailabilityConfig config;
  config.rules.max_pods = 2;  // at most 4 unwritten sessions
  AvailabilityRecorder recorder(&store, config);
  ASSERT_EQ(recorder.max_unwritten(), 4u);
  for (int i = 0; i < 30; ++i) {
    recorder.record(flapping_round(i));
    EXPECT_LE(recorder.unwritten_sessions(), 4u) << "round " << i;
  }
  EXPECT_EQ(recorder.unwritten_sessions(), 4u);  // 20 sessions changed

  store.failing = false;
  recorder.record(flapping_round(30));  // ends the down session opened at round 28
  EXPECT_EQ(recorder.unwritten_sessions(), 0u);
  // The pod probed once: its open session, older than every ended one, was kept.
  auto once = store.availability_sessions("10.0.0.2:9001", 0);
  ASSERT_EQ(once->size(), 1u);
  EXPECT_EQ((*once)[0].started_at, kT0);
  EXPECT_FALSE((*once)[0].ended_at);
  // The flapping pod: the two newest ended sessions and the open one were kept, and this
  // round ended that one and opened another.
  auto flapping = store.availability_sessions("10.0.0.1:9001", 0);
  ASSERT_EQ(flapping->size(), 4u);
  EXPECT_EQ((*flapping)[0].started_at, kT0 + 60 * 25);  // down, ended at round 27
  EXPECT_FALSE((*flapping)[0].up);
  EXPECT_EQ((*flapping)[1].started_at, kT0 + 60 * 27);  // up, ended at round 28
  EXPECT_EQ((*flapping)[2].started_at, kT0 + 60 * 28);
  EXPECT_EQ((*flapping)[2].ended_at, kT0 + 60 * 30);
  EXPECT_EQ((*flapping)[3].started_at, kT0 + 60 * 30);
  EXPECT_TRUE((*flapping)[3].up);
}

TEST(AvailabilityRecorder, SessionsUnderTheBoundAreAllWrittenOnceTheStoreComesBack) {
  TempDir dir;
  FailingProbeWrites failing(open_ok(dir.file("failing.db")));
  auto healthy = open_ok(dir.file("healthy.db"));
  AvailabilityRecorder after_failures(&failing, {}), throughout(healthy.get(), {});
  for (int i = 0; i < 10; ++i) {
    if (i == 9) failing.failing = false;
    after_failures.record(flapping_round(i));
    throughout.record(flapping_round(i));
  }
  for (const std::string address : {"10.0.0.1:9001", "10.0.0.2:9001"}) {
    auto expected = healthy->availability_sessions(address, 0);
    ASSERT_FALSE(expected->empty());
    EXPECT_EQ(*failing.availability_sessions(address, 0), *expected) << address;
  }
}

}  // namespace
}  // namespace pnode::collect
