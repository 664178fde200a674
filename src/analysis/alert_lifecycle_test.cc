#include "analysis/alert_lifecycle.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "analysis/test_nodes.h"
#include "testing/builders.h"

namespace pnode::analysis {
namespace {

constexpr int64_t kInterval = 60;

// A node with no alert under the default rules (long uptime, half full, latest version,
// five peers).
NodeView healthy(const std::string& address) { return testing::online_node(address, 30 * 86400, 50.0, "0.8.0", 5); }
NodeView with_usage(NodeView v, double usage) {
  v.storage_usage_percent = usage;
  return v;
}
NodeView down(const std::string& address) { return testing::offline_node(address, 0); }

// Drives the lifecycle one conclusive cycle at a time, 60 s apart.
class Cycles {
 public:
  explicit Cycles(RuleSet rules = RuleSet::defaults()) : rules_(std::move(rules)) {}

  std::vector<Event> next(std::vector<NodeView> nodes) {
    ++cycle_;
    time_ += kInterval;
    for (auto& n : nodes) {
      n.last_checked = time_;
      if (!n.is_online) n.last_seen = time_ - kInterval * 2;
    }
    auto views = pnode::testing::make_views(std::move(nodes));
    views->latest_version = "0.8.0";
    snapshot_ = std::make_shared<model::Snapshot>();
    snapshot_->cycle = cycle_;
    snapshot_->last_updated = time_;
    snapshot_->views = views;
    snapshot_->registry = registry_;
    return advance_alerts(states, conclusive_observation(*snapshot_), AlertInputs{&rules_, &silences, nullptr});
  }
  std::vector<Event> inconclusive() {
    time_ += kInterval;
    return advance_alerts(states, inconclusive_observation(cycle_, 1, time_, seeds_), AlertInputs{&rules_, &silences});
  }
  int64_t time() const { return time_; }
  void set_registry(std::shared_ptr<const model::Registry> r) { registry_ = std::move(r); }

  AlertStates states;
  SilenceSet silences;

 private:
  RuleSet rules_;
  uint64_t cycle_ = 0;
  int64_t time_ = 1'000'000;
  std::shared_ptr<model::Snapshot> snapshot_;
  std::shared_ptr<const model::Registry> registry_;
  std::vector<model::SeedPoll> seeds_;
};

const AlertTransition& transition(const Event& e) { return std::get<AlertTransition>(e.payload); }

Status set_for(RuleSet& rules, std::string_view rule, std::string text) {
  RuleOverride o;
  o.for_duration = std::move(text);
  return apply_rule_override(rules, rule, o);
}
Status set_threshold(RuleSet& rules, std::string_view rule, std::string text) {
  RuleOverride o;
  o.threshold = std::move(text);
  return apply_rule_override(rules, rule, o);
}
Status set_enabled(RuleSet& rules, std::string_view rule, bool enabled) {
  RuleOverride o;
  o.enabled = enabled;
  return apply_rule_override(rules, rule, o);
}

TEST(AlertLifecycle, OneMissedCycleDoesNotFireOfflineTwoDo) {
  Cycles c;
  EXPECT_TRUE(c.next({healthy("a:1")}).empty());
  EXPECT_TRUE(c.next({down("a:1")}).empty()) << "one missed cycle pages nobody";
  ASSERT_NE(c.states.find(AlertType::kOffline, "a:1"), nullptr);
  EXPECT_EQ(c.states.find(AlertType::kOffline, "a:1")->phase, AlertPhase::kPending);
  EXPECT_TRUE(c.next({healthy("a:1")}).empty()) << "back before `for`: the pending alert is forgotten";
  EXPECT_EQ(c.states.find(AlertType::kOffline, "a:1"), nullptr);

  EXPECT_TRUE(c.next({down("a:1")}).empty());
  auto fired = c.next({down("a:1")});
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].type, EventType::kAlertFiring);
  EXPECT_EQ(fired[0].address, "a:1");
  EXPECT_EQ(transition(fired[0]).rule, AlertType::kOffline);
  EXPECT_EQ(transition(fired[0]).severity, Severity::kWarning);
  EXPECT_EQ(transition(fired[0]).active_since, c.time() - kInterval);
  EXPECT_EQ(transition(fired[0]).firing_since, c.time());
  EXPECT_FALSE(transition(fired[0]).silenced);
  EXPECT_EQ(fired[0].id, "5.0:alert_firing:offline@a:1");
  EXPECT_TRUE(c.next({down("a:1")}).empty()) << "firing is told once";
}

TEST(AlertLifecycle, RecoveryResolvesExactlyOnce) {
  Cycles c;
  c.next({down("a:1")});
  ASSERT_EQ(c.next({down("a:1")}).size(), 1u);
  auto resolved = c.next({healthy("a:1")});
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].type, EventType::kAlertResolved);
  EXPECT_EQ(transition(resolved[0]).reason, "cleared");
  EXPECT_EQ(c.states.find(AlertType::kOffline, "a:1")->phase, AlertPhase::kResolved);
  EXPECT_TRUE(c.next({healthy("a:1")}).empty());
  EXPECT_TRUE(c.next({healthy("a:1")}).empty());
}

TEST(AlertLifecycle, AnInconclusiveObservationChangesNothing) {
  Cycles c;
  c.next({down("a:1")});
  const AlertStates pending = c.states;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(c.inconclusive().empty());
  EXPECT_EQ(c.states, pending) << "not counted towards `for`, not reset either";
  EXPECT_EQ(c.next({down("a:1")}).size(), 1u);
}

TEST(AlertLifecycle, ASilencedFiringIsFlaggedAndToldWhenTheSilenceEnds) {
  Cycles c;
  Silence s;
  s.address = "a:1";
  s.starts_at = c.time();
  s.ends_at = c.time() + 3 * kInterval + 1;
  s.comment = "maintenance";
  s.author = "ops";
  ASSERT_EQ(*c.silences.add(s, c.time()), "s1");
  c.next({down("a:1"), down("b:1")});
  auto fired = c.next({down("a:1"), down("b:1")});
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_EQ(fired[0].address, "a:1");
  EXPECT_TRUE(transition(fired[0]).silenced);
  EXPECT_EQ(transition(fired[0]).silence_id, "s1");
  EXPECT_FALSE(transition(fired[1]).silenced) << "the silence matches a:1 only";
  EXPECT_TRUE(c.states.find(AlertType::kOffline, "a:1")->silenced) << "silenced, still visible";
  EXPECT_NE(event_to_json(fired[0]).find(R"("silenced":true,"silence_id":"s1")"), std::string::npos);

  EXPECT_TRUE(c.next({down("a:1"), down("b:1")}).empty());
  auto after = c.next({down("a:1"), down("b:1")});  // the silence has ended
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].type, EventType::kAlertFiring);
  EXPECT_TRUE(transition(after[0]).unsilenced);
  EXPECT_FALSE(transition(after[0]).silenced);
}

TEST(AlertLifecycle, ForInSecondsCountsTimeSinceTheConditionBegan) {
  RuleSet rules = RuleSet::defaults();
  ASSERT_TRUE(set_for(rules, "offline", "120s").ok());
  Cycles c(rules);
  EXPECT_TRUE(c.next({down("a:1")}).empty());
  EXPECT_TRUE(c.next({down("a:1")}).empty()) << "60 s of 120";
  EXPECT_EQ(c.next({down("a:1")}).size(), 1u);
}

TEST(AlertLifecycle, ForOfOneCycleFiresAtOnce) {
  RuleSet rules = RuleSet::defaults();
  ASSERT_TRUE(set_for(rules, "offline", "1 cycle").ok());
  Cycles c(rules);
  EXPECT_EQ(c.next({down("a:1")}).size(), 1u);
}

TEST(AlertLifecycle, ThresholdsComeFromTheRuleSet) {
  Cycles defaults;
  defaults.next({with_usage(healthy("a:1"), 60)});
  EXPECT_TRUE(defaults.next({with_usage(healthy("a:1"), 60)}).empty()) << "60 % is under the reference's 85 %";

  RuleSet rules = RuleSet::defaults();
  ASSERT_TRUE(set_threshold(rules, "storage_warning", "50").ok());
  Cycles c(rules);
  c.next({with_usage(healthy("a:1"), 60)});
  auto fired = c.next({with_usage(healthy("a:1"), 60)});
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(transition(fired[0]).rule, AlertType::kStorageWarning);
  EXPECT_EQ(transition(fired[0]).threshold, AlertValue(50.0));
}

TEST(AlertLifecycle, ADisabledRuleNeverFiresAndResolvesWhatFired) {
  Cycles c;
  c.next({down("a:1")});
  ASSERT_EQ(c.next({down("a:1")}).size(), 1u);
  RuleSet rules = RuleSet::defaults();
  ASSERT_TRUE(set_enabled(rules, "offline", false).ok());
  Cycles disabled(rules);
  disabled.states = c.states;
  auto events = disabled.next({down("a:1")});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(transition(events[0]).reason, "rule_disabled");
  EXPECT_TRUE(disabled.next({down("a:1")}).empty());
}

TEST(AlertLifecycle, WhileANodeIsOfflineItsOtherAlertsStayAsTheyWere) {
  Cycles c;
  c.next({with_usage(healthy("a:1"), 90)});
  ASSERT_EQ(c.next({with_usage(healthy("a:1"), 90)}).size(), 1u);
  c.next({down("a:1")});
  EXPECT_EQ(c.states.find(AlertType::kStorageWarning, "a:1")->phase, AlertPhase::kFiring)
      << "its storage is unknown while offline, not healthy";
}

TEST(AlertLifecycle, ANodeGoneFromTheRegistryResolvesWithTheReason) {
  Cycles c;
  c.next({down("a:1")});
  c.next({down("a:1")});
  auto events = c.next({healthy("b:1")});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(transition(events[0]).reason, "node_removed");
}

TEST(AlertLifecycle, AWorseSiblingSupersedesTheWarning) {
  Cycles c;
  c.next({with_usage(healthy("a:1"), 90)});
  c.next({with_usage(healthy("a:1"), 90)});
  auto events = c.next({with_usage(healthy("a:1"), 97)});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(transition(events[0]).rule, AlertType::kStorageWarning);
  EXPECT_EQ(transition(events[0]).reason, "superseded");
  EXPECT_EQ(c.states.find(AlertType::kStorageCritical, "a:1")->phase, AlertPhase::kPending);
}

TEST(AlertLifecycle, AcknowledgementsMarkAFiringAlertUntilItResolves) {
  Cycles c;
  Acknowledgement ack{"ops", "looking", 5};
  c.next({down("a:1")});
  EXPECT_EQ(acknowledge(c.states, AlertType::kOffline, "a:1", ack).error().code, ErrorCode::kNotFound)
      << "pending alerts cannot be acknowledged";
  c.next({down("a:1")});
  ASSERT_TRUE(acknowledge(c.states, AlertType::kOffline, "a:1", ack).ok());
  EXPECT_EQ(c.states.find(AlertType::kOffline, "a:1")->acknowledgement, ack);
  EXPECT_FALSE(acknowledge(c.states, AlertType::kOffline, "a:1", {"ops", std::string(1025, 'x'), 5}).ok());
  EXPECT_FALSE(acknowledge(c.states, AlertType::kOffline, "a:1", {std::string(129, 'x'), "c", 5}).ok());
  EXPECT_FALSE(acknowledge(c.states, AlertType::kOffline, "a:1", {"", "c", 5}).ok());
  auto resolved = c.next({healthy("a:1")});
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_TRUE(transition(resolved[0]).acknowledged);
  EXPECT_FALSE(c.states.find(AlertType::kOffline, "a:1")->acknowledgement);
}

TEST(AlertLifecycle, StatesFollowANodeToItsNewPort) {
  Cycles c;
  c.next({down("10.0.0.1:9001")});
  auto registry = std::make_shared<model::Registry>();
  model::RegistryEntry e;
  e.address = "10.0.0.1:9002";
  e.previous_addresses = {"10.0.0.1:9001"};
  registry->entries.push_back(e);
  registry->reindex();
  c.set_registry(registry);
  auto fired = c.next({down("10.0.0.1:9002")});
  ASSERT_EQ(fired.size(), 1u) << "the pending state moved with the node and reached its `for`";
  EXPECT_EQ(fired[0].address, "10.0.0.1:9002");
}

TEST(AlertLifecycle, StatesRoundTripThroughRecordsAndDamagedOnesAreRefused) {
  Cycles c;
  c.next({down("a:1"), with_usage(healthy("b:1"), 90)});
  c.next({down("a:1"), with_usage(healthy("b:1"), 90)});
  ASSERT_TRUE(acknowledge(c.states, AlertType::kOffline, "a:1", {"ops", "on it", 7}).ok());
  auto restored = AlertStates::restore(c.states.records());
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(*restored, c.states);

  auto twice = c.states.records();
  twice.push_back(twice[0]);
  EXPECT_EQ(AlertStates::restore(twice).error().code, ErrorCode::kCorrupt);
  auto odd = c.states.records();
  odd[0].phase = AlertPhase::kPending;  // with firing times
  EXPECT_FALSE(AlertStates::restore(odd).ok());
  EXPECT_NE(alert_state_to_json(c.states.records()[0]).find(R"("state":"firing")"), std::string::npos);
}

TEST(AlertLifecycle, DefaultsAreTheReferenceThresholdsButOfflineFiresWhenANodeGoesDown) {
  RuleSet rules = RuleSet::defaults();
  AlertThresholds reference;
  AlertThresholds expected = reference;
  expected.offline_warning_seconds = 0;
  EXPECT_EQ(rules.thresholds(), expected);
  for (const Rule& r : rules.rules) {
    EXPECT_TRUE(r.enabled);
    EXPECT_EQ(r.for_duration, (ForDuration{2, 0})) << alert_type_name(r.type);
  }
  // Lowering the uptime warning under the reference's critical band keeps them consistent.
  ASSERT_TRUE(set_threshold(rules, "low_uptime", "30m").ok());
  EXPECT_EQ(rules.thresholds().uptime_warning_seconds, 1800);
  EXPECT_EQ(rules.thresholds().uptime_critical_seconds, 1800);
}

TEST(AlertLifecycle, OverridesAreParsedAndBadOnesNamed) {
  EXPECT_EQ(*parse_for_duration("2 cycles"), (ForDuration{2, 0}));
  EXPECT_EQ(*parse_for_duration("1 cycle"), (ForDuration{1, 0}));
  EXPECT_EQ(*parse_for_duration("5m"), (ForDuration{0, 300}));
  EXPECT_EQ(*parse_for_duration("90"), (ForDuration{0, 90}));
  EXPECT_EQ(*parse_for_duration("0"), (ForDuration{0, 0}));
  EXPECT_FALSE(parse_for_duration("2 weeks").ok());
  EXPECT_FALSE(parse_for_duration("-1m").ok());
  EXPECT_FALSE(parse_for_duration("1.5 cycles").ok());
  EXPECT_FALSE(parse_for_duration("20000 cycles").ok());
  EXPECT_FALSE(parse_for_duration("400d").ok());
  EXPECT_EQ(format_for_duration({2, 0}), "2 cycles");
  EXPECT_EQ(format_for_duration({0, 300}), "300s");

  RuleSet rules = RuleSet::defaults();
  EXPECT_FALSE(set_enabled(rules, "nope", true).ok());
  auto bad = set_threshold(rules, "storage_critical", "120");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("storage_critical.threshold"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(set_threshold(rules, "isolated", "1.5").ok());
  EXPECT_FALSE(set_threshold(rules, "version_behind", "0").ok());
  EXPECT_EQ(rules, RuleSet::defaults()) << "a refused override changes nothing";
  ASSERT_TRUE(set_threshold(rules, "offline", "3d").ok());
  EXPECT_EQ(rules.rule(AlertType::kOffline).threshold, 259200);
}

Silence valid_silence(int64_t now) {
  Silence s;
  s.rule = AlertType::kOffline;
  s.starts_at = now;
  s.ends_at = now + 3600;
  s.comment = "planned upgrade";
  s.author = "ops";
  return s;
}

TEST(AlertLifecycle, SilencesFromTheApiAreBounded) {
  const int64_t now = 1000;
  AlertLimits limits;
  EXPECT_TRUE(validate_silence(valid_silence(now), now, limits).ok());
  auto refused = [&](auto change) {
    Silence s = valid_silence(now);
    change(s);
    return !validate_silence(s, now, limits).ok();
  };
  EXPECT_TRUE(refused([](Silence& s) { s.rule.reset(); })) << "at least one matcher";
  EXPECT_TRUE(refused([&](Silence& s) { s.comment = std::string(limits.max_comment_bytes + 1, 'c'); }));
  EXPECT_FALSE(refused([&](Silence& s) { s.comment = std::string(limits.max_comment_bytes, 'c'); }));
  EXPECT_TRUE(refused([](Silence& s) { s.comment.clear(); }));
  EXPECT_TRUE(refused([&](Silence& s) { s.author = std::string(limits.max_author_bytes + 1, 'a'); }));
  EXPECT_TRUE(refused([&](Silence& s) { s.address = std::string(limits.max_matcher_bytes + 1, 'x'); }));
  EXPECT_TRUE(refused([&](Silence& s) { s.pubkey = std::string(limits.max_matcher_bytes + 1, 'x'); }));
  EXPECT_TRUE(refused([](Silence& s) { s.pubkey = "pk\r\nX-Injected: 1"; }));
  EXPECT_FALSE(refused([](Silence& s) { s.comment = "two\nlines"; }));
  EXPECT_TRUE(refused([](Silence& s) { s.ends_at = s.starts_at; }));
  EXPECT_TRUE(refused([&](Silence& s) { s.starts_at = now - 7200, s.ends_at = now; })) << "already over";
  EXPECT_TRUE(refused([&](Silence& s) { s.ends_at = s.starts_at + limits.max_silence_seconds + 1; }));
}

TEST(AlertLifecycle, TheNumberOfSilencesIsBoundedAndExpiredOnesMakeRoom) {
  AlertLimits limits;
  limits.max_silences = 3;
  SilenceSet set;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(set.add(valid_silence(1000), 1000, limits).ok());
  auto full = set.add(valid_silence(1000), 1000, limits);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, ErrorCode::kTooLarge);
  auto later = set.add(valid_silence(5000), 5000, limits);  // the first three have ended
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(*later, "s4") << "ids are never reused";
  EXPECT_EQ(set.silences.size(), 1u);
  EXPECT_TRUE(set.remove("s4"));
  EXPECT_FALSE(set.remove("s4"));
}

TEST(AlertLifecycle, SilenceMatchersAllMustMatch) {
  Silence s = valid_silence(1000);
  s.address = "a:1";
  EXPECT_TRUE(s.matches(AlertType::kOffline, "a:1", "pk"));
  EXPECT_FALSE(s.matches(AlertType::kLowUptime, "a:1", "pk"));
  EXPECT_FALSE(s.matches(AlertType::kOffline, "b:1", "pk"));
  Silence by_operator;
  by_operator.pubkey = "pk";
  EXPECT_TRUE(by_operator.matches(AlertType::kIsolated, "z:9", "pk"));
  EXPECT_TRUE(s.active_at(1000));
  EXPECT_FALSE(s.active_at(4600)) << "the end is exclusive";
}

TEST(AlertLifecycle, OfflineAtThresholdZeroCountsANodeWhoseClockIsAhead) {
  NodeView v = down("a:1");
  v.last_checked = 1000;
  v.last_seen = 1030;  // its clock is 30 s ahead of ours
  AlertThresholds t;
  EXPECT_TRUE(check_node_alerts(v, "0.8.0", nullptr, t).empty()) << "the reference's 3 days";
  t.offline_warning_seconds = 0;
  ASSERT_EQ(check_node_alerts(v, "0.8.0", nullptr, t).size(), 1u);
}

TEST(AlertLifecycle, AllSeedsDownForThreeAttemptsTellsOneSeedEventAndNothingElse) {
  auto views = pnode::testing::make_views({down("a:1"), healthy("b:1")});
  views->latest_version = "0.8.0";
  auto last = pnode::testing::make_snapshot(1'000'000, {"127.0.0.1:16001", "127.0.0.1:16002"}, views);
  MonitorState state;
  auto first = derive_events(state, nullptr, conclusive_observation(*last), {});
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].type, EventType::kNodeDiscovered);
  ASSERT_NE(state.alerts.find(AlertType::kOffline, "a:1"), nullptr) << "a:1 is pending offline";

  std::vector<model::SeedPoll> failed = last->seeds;
  for (auto& p : failed) p.pods_error = make_error(ErrorCode::kConnectTimeout, "no answer");
  const MonitorState before_outage = state;
  std::vector<Event> outage;
  for (uint32_t attempt = 1; attempt <= 3; ++attempt) {
    auto events = derive_events(state, last.get(), inconclusive_observation(0, attempt, 1'000'000 + 60 * attempt, failed), {});
    outage.insert(outage.end(), events.begin(), events.end());
  }
  ASSERT_EQ(outage.size(), 1u) << "no node_offline, no alert transition: one network event";
  EXPECT_EQ(outage[0].type, EventType::kSeedUnreachable);
  EXPECT_EQ(state.alerts, before_outage.alerts) << "a:1 stays pending: the outage does not count towards `for`";
}

TEST(AlertLifecycle, SilencesAreWrittenWithTheirMatchers) {
  SilenceSet set;
  Silence s = valid_silence(1000);
  s.pubkey = "pk-operator";
  ASSERT_TRUE(set.add(s, 1000).ok());
  JsonWriter out;
  write_silence_json(out, set.silences[0]);
  EXPECT_EQ(out.str(), R"({"id":"s1","matchers":{"pubkey":"pk-operator","rule":"offline"},"starts_at":1000,)"
                       R"("ends_at":4600,"comment":"planned upgrade","author":"ops","created_at":1000})");
}

}  // namespace
}  // namespace pnode::analysis
