// AvailabilityRecorder over a real SQLite store: each round's probes and changed sessions
// stored, the summary published, and a restarted recorder continuing the open session.
#include "collect/availability_recorder.h"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace pnode::collect
