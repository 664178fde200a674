#include "analysis/availability.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace pnode::analysis {
namespace {

using model::AvailabilitySession;

constexpr const char* kPod = "10.0.0.1:9001";

// Feeds one pod's probes (at, reachable) and returns every session state written.
struct PodFeed {
  AvailabilityRules rules;
  std::optional<AvailabilitySession> open;
  std::vector<AvailabilitySession> closed;

  void probe(int64_t at, bool reachable) {
    for (auto& s : apply_probe(open, kPod, at, reachable, rules))
      if (s.ended_at) closed.push_back(s);
  }
  std::vector<AvailabilitySession> all() const {
    auto out = closed;
    if (open) out.push_back(*open);
    return out;
  }
};

TEST(Availability, AnIsolatedFailureDoesNotEndAnUpSession) {
  PodFeed feed;  // down after 2 failures in a row
  feed.probe(1000, true);
  feed.probe(1060, false);
  feed.probe(1120, true);
  ASSERT_TRUE(feed.open);
  EXPECT_TRUE(feed.open->up);
  EXPECT_EQ(feed.open->started_at, 1000);
  EXPECT_EQ(feed.open->failures, 0);
  EXPECT_TRUE(feed.closed.empty());
}

TEST(Availability, FailuresInARowMakeThePodDownFromTheFirstOfThem) {
  PodFeed feed;
  feed.probe(1000, true);
  feed.probe(1060, false);
  feed.probe(1120, false);
  ASSERT_EQ(feed.closed.size(), 1u);
  EXPECT_TRUE(feed.closed[0].up);
  EXPECT_EQ(feed.closed[0].ended_at, 1060);
  ASSERT_TRUE(feed.open);
  EXPECT_FALSE(feed.open->up);
  EXPECT_EQ(feed.open->started_at, 1060);
  EXPECT_EQ(feed.open->last_probe_at, 1120);
  EXPECT_EQ(feed.open->failures, 2);
}

TEST(Availability, TheToleranceIsASetting) {
  PodFeed feed;
  feed.rules.down_after = 3;
  feed.probe(1000, true);
  feed.probe(1060, false);
  feed.probe(1120, false);
  EXPECT_TRUE(feed.open->up);
  feed.probe(1180, false);
  EXPECT_FALSE(feed.open->up);
  EXPECT_EQ(feed.open->started_at, 1060);
}

TEST(Availability, OneAnswerAfterADownSessionOpensAnUpSession) {
  PodFeed feed;
  feed.probe(1000, false);  // a first probe opens a session of its own outcome
  EXPECT_FALSE(feed.open->up);
  feed.probe(1060, true);
  ASSERT_EQ(feed.closed.size(), 1u);
  EXPECT_FALSE(feed.closed[0].up);
  EXPECT_EQ(feed.closed[0].ended_at, 1060);
  EXPECT_TRUE(feed.open->up);
  EXPECT_EQ(feed.open->started_at, 1060);
}

TEST(Availability, AGapInProbingIsUnknownNotUpOrDown) {
  PodFeed feed;
  feed.probe(1000, true);
  feed.probe(1060, true);
  feed.probe(5000, true);  // the service was stopped for over max_gap_seconds
  ASSERT_EQ(feed.closed.size(), 1u);
  EXPECT_EQ(feed.closed[0].ended_at, 1060);
  EXPECT_EQ(feed.open->started_at, 5000);
  WindowTime t = window_time(feed.all(), 0, 6000);
  EXPECT_EQ(t.known_seconds, 60);
  EXPECT_EQ(t.up_seconds, 60);
}

TEST(Availability, AnOutOfOrderProbeChangesNothing) {
  PodFeed feed;
  feed.probe(1000, true);
  feed.probe(1060, true);
  std::optional<AvailabilitySession> before = feed.open;
  EXPECT_TRUE(apply_probe(feed.open, kPod, 1030, false, feed.rules).empty());
  EXPECT_EQ(feed.open, before);
}

TEST(Availability, UptimeShareIsUpOverKnownTimeClippedToTheWindow) {
  // Up 0..600, down 600..1000 (open, last probe 1000). Window [500, 2000]: up 100, down 400.
  std::vector<AvailabilitySession> s(2);
  s[0] = {kPod, true, 0, 600, 540, 0, 0};
  s[1] = {kPod, false, 600, std::nullopt, 1000, 7, 600};
  WindowTime t = window_time(s, 500, 2000);
  EXPECT_EQ(t.up_seconds, 100);
  EXPECT_EQ(t.known_seconds, 500);
  EXPECT_DOUBLE_EQ(*uptime_share(t), 0.2);
  EXPECT_FALSE(uptime_share(window_time(s, 5000, 6000)));  // nothing known there
}

TEST(Availability, LatencyMeanAndNearestRankP95) {
  std::vector<double> ms;
  for (int i = 1; i <= 20; ++i) ms.push_back(i);
  LatencyStats stats = latency_stats(ms);
  EXPECT_EQ(stats.samples, 20u);
  EXPECT_DOUBLE_EQ(*stats.mean_ms, 10.5);
  EXPECT_DOUBLE_EQ(*stats.p95_ms, 19);
  EXPECT_FALSE(latency_stats({}).p95_ms);
}

TEST(Availability, TimeBeforeTheFirstProbeIsUnknown) {
  const int64_t now = 10 * kDaySeconds;
  std::vector<AvailabilitySession> s = {{kPod, true, now - 3600, std::nullopt, now, 0, 0}};
  model::PodAvailability a = summarize_pod(s, {}, now, {});
  EXPECT_DOUBLE_EQ(*a.uptime_24h, 1.0);
  EXPECT_DOUBLE_EQ(*a.uptime_30d, 1.0);  // an hour known, all up: not 1/720
  EXPECT_NEAR(a.coverage_24h, 1.0 / 24, 1e-9);
  EXPECT_EQ(a.up_since, now - 3600);
  EXPECT_FALSE(a.down_since);
}

TEST(Availability, AStaleOpenSessionHasNoSinceButKeepsItsShares) {
  const int64_t now = 10 * kDaySeconds;
  std::vector<AvailabilitySession> s = {{kPod, false, now - 7200, std::nullopt, now - 3600, 3, now - 7200}};
  model::PodAvailability a = summarize_pod(s, {}, now, {});
  EXPECT_FALSE(a.down_since);
  EXPECT_FALSE(a.up_since);
  EXPECT_DOUBLE_EQ(*a.uptime_24h, 0.0);
}

model::ProbeRound round_of(int64_t at, std::vector<std::pair<std::string, bool>> pods) {
  model::ProbeRound r;
  r.started_at = r.finished_at = at;
  for (auto& [address, reachable] : pods) {
    model::PodProbe p;
    p.address = address;
    p.reachable = reachable;
    p.failure = reachable ? "" : "refused";
    p.total_ms = reachable ? 12.5 : 0;
    p.probed_at = at;
    r.results.push_back(p);
  }
  r.reindex();
  return r;
}

TEST(AvailabilityTracker, RoundsMakeSessionsAndSummaries) {
  AvailabilityTracker tracker;
  const int64_t t0 = 100 * kDaySeconds;
  auto first = tracker.record_round(round_of(t0, {{"a:1", true}, {"b:1", false}}));
  EXPECT_EQ(first.size(), 2u);
  tracker.record_round(round_of(t0 + 60, {{"a:1", false}, {"b:1", false}}));
  auto third = tracker.record_round(round_of(t0 + 120, {{"a:1", false}, {"b:1", true}}));
  // a: up closed at t0+60 and down opened; b: down closed at t0+120 and up opened.
  EXPECT_EQ(third.size(), 4u);
  model::AvailabilityTable table = tracker.summarize(t0 + 120);
  const model::PodAvailability* a = table.find("a:1");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->up);
  EXPECT_EQ(a->down_since, t0 + 60);
  EXPECT_DOUBLE_EQ(*a->uptime_24h, 0.5);
  EXPECT_EQ(a->latency_samples, 1u);
  EXPECT_DOUBLE_EQ(*a->latency_p95_ms, 12.5);
  const model::PodAvailability* b = table.find("b:1");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->up_since, t0 + 120);
  EXPECT_DOUBLE_EQ(*b->uptime_24h, 0.0);
}

TEST(AvailabilityTracker, DeniedProbesAreNoMeasurement) {
  AvailabilityTracker tracker;
  model::ProbeRound r = round_of(1000, {{"a:1", false}});
  r.results[0].failure = "denied";
  EXPECT_TRUE(tracker.record_round(r).empty());
  EXPECT_EQ(tracker.pods(), 0u);
}

TEST(AvailabilityTracker, ARestoredOpenSessionContinues) {
  AvailabilityTracker tracker;
  const int64_t t0 = 100 * kDaySeconds;
  tracker.restore({{"a:1", false, t0 - 600, t0 - 300, t0 - 360, 0, 0}, {"a:1", true, t0 - 300, std::nullopt, t0 - 60, 1, t0 - 60}});
  auto changed = tracker.record_round(round_of(t0, {{"a:1", false}}));  // second failure in a row
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_EQ(changed[0].ended_at, t0 - 60);
  EXPECT_FALSE(changed[1].up);
  EXPECT_EQ(changed[1].started_at, t0 - 60);
  EXPECT_DOUBLE_EQ(*tracker.summarize(t0).find("a:1")->uptime_24h, 240.0 / 600);
}

TEST(AvailabilityTracker, SessionsOlderThanThirtyDaysAreDropped) {
  AvailabilityTracker tracker;
  tracker.record_round(round_of(1000, {{"a:1", true}}));
  tracker.record_round(round_of(1000 + 31 * kDaySeconds, {{"b:1", true}}));
  EXPECT_EQ(tracker.pods(), 1u);
}

// A round whose pods were probed at `at`, `at` + 1, ... in the order given, all answering.
model::ProbeRound round_in_turn(int64_t at, const std::vector<std::string>& addresses) {
  std::vector<std::pair<std::string, bool>> pods;
  for (const auto& address : addresses) pods.emplace_back(address, true);
  model::ProbeRound r = round_of(at, pods);
  for (size_t i = 0; i < r.results.size(); ++i) r.results[i].probed_at = at + static_cast<int64_t>(i);
  r.finished_at = at + static_cast<int64_t>(r.results.size());
  return r;
}

std::vector<std::string> kept(const AvailabilityTracker& tracker, int64_t now) {
  std::vector<std::string> out;
  for (const auto& [address, summary] : tracker.summarize(now).by_address) out.push_back(address);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(AvailabilityTracker, ARoundBeyondTheCapKeepsTheMostRecentlyProbedPods) {
  AvailabilityTracker tracker({.max_pods = 3});
  const int64_t t0 = 100 * kDaySeconds;
  auto changed = tracker.record_round(round_in_turn(t0, {"p0:1", "p1:1", "p2:1", "p3:1", "p4:1"}));
  EXPECT_EQ(changed.size(), 5u);  // every probe is still stored: only memory is capped
  EXPECT_EQ(tracker.pods(), 3u);
  EXPECT_EQ(kept(tracker, t0 + 10), (std::vector<std::string>{"p2:1", "p3:1", "p4:1"}));
}

TEST(AvailabilityTracker, APodProbedAgainStaysWhileOneNeverProbedAgainGoes) {
  AvailabilityTracker tracker({.max_pods = 2});
  const int64_t t0 = 100 * kDaySeconds;
  tracker.record_round(round_in_turn(t0, {"old:1", "once:1"}));  // "once" probed after "old"
  tracker.record_round(round_in_turn(t0 + 60, {"old:1", "new:1"}));
  EXPECT_EQ(tracker.pods(), 2u);
  EXPECT_EQ(kept(tracker, t0 + 70), (std::vector<std::string>{"new:1", "old:1"}));
  // The kept pod's history goes on: its session opened at the first round.
  EXPECT_EQ(tracker.summarize(t0 + 70).find("old:1")->up_since, t0);
}

TEST(AvailabilityTracker, RestoringMoreStoredPodsThanTheCapKeepsTheMostRecentlyProbed) {
  AvailabilityTracker tracker({.max_pods = 2});
  const int64_t t0 = 100 * kDaySeconds;
  tracker.restore({
      {"closed-old:1", true, t0 - 1000, t0 - 100, t0 - 160, 0, 0},
      {"open-new:1", true, t0 - 1000, std::nullopt, t0 - 50, 0, 0},
      {"closed-new:1", false, t0 - 1000, t0 - 10, t0 - 10, 2, t0 - 1000},  // ended after open-new's last probe
      {"open-old:1", true, t0 - 1000, std::nullopt, t0 - 500, 0, 0},
  });
  EXPECT_EQ(tracker.pods(), 2u);
  EXPECT_EQ(kept(tracker, t0), (std::vector<std::string>{"closed-new:1", "open-new:1"}));
}

// A pod that answers once, then fails twice, round after round: each three rounds close an
// up session (60 s) and a down one (120 s).
std::vector<model::AvailabilitySession> flap(AvailabilityTracker& tracker, int64_t t0, int rounds) {
  std::vector<model::AvailabilitySession> changed;
  for (int i = 0; i < rounds; ++i)
    for (auto& s : tracker.record_round(round_of(t0 + 60 * i, {{"flap:1", i % 3 == 0}}))) changed.push_back(s);
  return changed;
}

TEST(AvailabilityTracker, AFlappingPodKeepsAtMostTheCapOfClosedSessionsAndSharesOfTheKeptSpan) {
  AvailabilityTracker tracker({.max_sessions_per_pod = 10});
  const int64_t t0 = 100 * kDaySeconds;
  auto changed = flap(tracker, t0, 300);
  const auto ended = std::count_if(changed.begin(), changed.end(), [](const auto& s) { return s.ended_at.has_value(); });
  EXPECT_EQ(ended, 199) << "every closed session is still returned for the store: only memory is capped";
  EXPECT_EQ(tracker.closed_sessions("flap:1"), 10u);
  // Kept: the newest 10 closed sessions, from the down one opened at round 283, and the
  // open down session since round 298: 960 s known, of which the 5 up sessions' 300 s.
  const int64_t now = t0 + 60 * 299;
  const model::PodAvailability* pod = tracker.summarize(now).find("flap:1");
  ASSERT_TRUE(pod);
  EXPECT_DOUBLE_EQ(pod->coverage_24h, 960.0 / kDaySeconds) << "the 5 h probed, less what was dropped";
  EXPECT_DOUBLE_EQ(pod->coverage_30d, 960.0 / (30 * kDaySeconds));
  for (const auto& share : {pod->uptime_24h, pod->uptime_7d, pod->uptime_30d}) {
    ASSERT_TRUE(share);
    EXPECT_DOUBLE_EQ(*share, 300.0 / 960);
  }
  EXPECT_EQ(pod->down_since, now - 60);
}

TEST(AvailabilityTracker, RestoringMoreSessionsOfAPodThanTheCapKeepsTheNewest) {
  AvailabilityTracker tracker({.max_sessions_per_pod = 5});
  const int64_t t0 = 100 * kDaySeconds;
  std::vector<model::AvailabilitySession> stored;
  // An open session superseded by a newer one: restored as closed, the oldest of all.
  stored.push_back({"a:1", true, t0 - 1000, std::nullopt, t0 - 900, 0, 0});
  for (int64_t i = 49; i >= 0; --i)  // 100 s each, up and down in turn, newest first
    stored.push_back({"a:1", i % 2 == 0, t0 + 100 * i, t0 + 100 * (i + 1), t0 + 100 * (i + 1) - 10, 0, 0});
  stored.push_back({"a:1", true, t0 + 5000, std::nullopt, t0 + 5050, 0, 0});
  tracker.restore(stored);
  EXPECT_EQ(tracker.closed_sessions("a:1"), 5u);
  // Kept: sessions 45..49 (up: 46 and 48) and the open one: 550 s known, 250 s up.
  const model::PodAvailability* pod = tracker.summarize(t0 + 5050).find("a:1");
  ASSERT_TRUE(pod);
  EXPECT_DOUBLE_EQ(pod->coverage_24h, 550.0 / kDaySeconds);
  EXPECT_DOUBLE_EQ(*pod->uptime_24h, 250.0 / 550);
  EXPECT_EQ(pod->up_since, t0 + 5000);
}

}  // namespace
}  // namespace pnode::analysis
