#include "notify/grouping.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "notify/test_support.h"

namespace pnode::notify {
namespace {

using namespace std::chrono_literals;
using testing::kTestNow;

Notification alert(std::string rule, std::string node, Kind kind = Kind::kFiring) {
  Notification n;
  n.id = rule + "/" + node + "/" + std::string(kind_name(kind));
  n.kind = kind;
  n.title = rule + " on " + node;
  n.node = node;
  n.labels = {{"rule", rule}, {"node", node}};
  n.time = kTestNow;
  n.started_at = kTestNow;
  return n;
}

GroupingPolicy policy(std::vector<std::string> group_by = {"rule"}) {
  GroupingPolicy p;
  p.group_by = std::move(group_by);
  p.group_wait = 30s;
  p.group_interval = 5min;
  p.repeat_interval = 1h;
  return p;
}

std::vector<std::string> ids(const Message& message) {
  std::vector<std::string> out;
  for (const auto& n : message.notifications) out.push_back(n.id);
  std::sort(out.begin(), out.end());  // a group holds its alerts by fingerprint
  return out;
}

// A fake clock: the test moves `now` and asks what is due.
struct Clock {
  TimePoint now = kTestNow;
  void advance(std::chrono::milliseconds by) { now += by; }
};

// A grouper whose group of `alerts` (added at the clock's time) has had its first
// message, group_wait later.
Grouper after_first_send(const GroupingPolicy& p, const std::vector<Notification>& alerts, Clock& clock) {
  Grouper grouper(p);
  for (const auto& a : alerts) grouper.add(a, clock.now);
  clock.advance(p.group_wait);
  EXPECT_EQ(grouper.due(clock.now).size(), 1u);
  return grouper;
}

TEST(Grouper, ABurstGoesOutAsOneMessageAfterGroupWait) {
  Grouper grouper(policy());
  Clock clock;
  grouper.add(alert("offline", "a"), clock.now);
  clock.advance(10s);
  grouper.add(alert("offline", "b"), clock.now);
  clock.advance(19s);  // 29 s after the first
  EXPECT_TRUE(grouper.due(clock.now).empty());
  clock.advance(1s);
  const auto messages = grouper.due(clock.now);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(ids(messages[0]), (std::vector<std::string>{"offline/a/firing", "offline/b/firing"}));
  EXPECT_EQ(messages[0].group_key, R"({rule="offline"})");
  EXPECT_EQ(messages[0].status(), "firing");
}

TEST(Grouper, UnchangedFiringWaitsForRepeatInterval) {
  Clock clock;
  Grouper grouper = after_first_send(policy(), {alert("offline", "a")}, clock);
  for (int tick = 1; tick < 12; ++tick) {  // 11 group intervals: 55 min
    clock.advance(5min);
    EXPECT_TRUE(grouper.due(clock.now).empty()) << "tick " << tick;
  }
  clock.advance(5min);  // 60 min after the first send
  const auto repeated = grouper.due(clock.now);
  ASSERT_EQ(repeated.size(), 1u);
  EXPECT_EQ(ids(repeated[0]), (std::vector<std::string>{"offline/a/firing"}));
}

TEST(Grouper, ANewAlertWaitsForTheNextGroupInterval) {
  Clock clock;
  Grouper grouper = after_first_send(policy(), {alert("offline", "a")}, clock);
  clock.advance(1min);
  grouper.add(alert("offline", "b"), clock.now);
  EXPECT_TRUE(grouper.due(clock.now).empty());
  clock.advance(3min + 59s);
  EXPECT_TRUE(grouper.due(clock.now).empty());
  clock.advance(1s);  // group_interval after the first send
  const auto messages = grouper.due(clock.now);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(ids(messages[0]), (std::vector<std::string>{"offline/a/firing", "offline/b/firing"}));
}

TEST(Grouper, AResolvedAlertIsToldOnceAndItsGroupCloses) {
  Clock clock;
  Grouper grouper = after_first_send(policy(), {alert("offline", "a")}, clock);
  clock.advance(2min);
  grouper.add(alert("offline", "a", Kind::kResolved), clock.now);
  clock.advance(3min);
  const auto messages = grouper.due(clock.now);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].status(), "resolved");
  EXPECT_EQ(ids(messages[0]), (std::vector<std::string>{"offline/a/resolved"}));
  EXPECT_EQ(grouper.group_count(), 0u);
  EXPECT_FALSE(grouper.next_due());
  clock.advance(2h);
  EXPECT_TRUE(grouper.due(clock.now).empty());
}

TEST(Grouper, WithoutSendResolvedAnEndedAlertIsDroppedSilently) {
  auto p = policy();
  p.send_resolved = false;
  Clock clock;
  Grouper grouper = after_first_send(p, {alert("offline", "a"), alert("offline", "b")}, clock);
  grouper.add(alert("offline", "a", Kind::kResolved), clock.now);
  clock.advance(5min);
  EXPECT_TRUE(grouper.due(clock.now).empty());  // b still fires, unchanged; a's end is not told
  grouper.add(alert("offline", "b", Kind::kResolved), clock.now);
  clock.advance(5min);
  EXPECT_TRUE(grouper.due(clock.now).empty());
  EXPECT_EQ(grouper.group_count(), 0u);
}

TEST(Grouper, AnAlertThatCameAndWentBeforeGroupWaitIsNeverTold) {
  Grouper grouper(policy());
  Clock clock;
  grouper.add(alert("offline", "a"), clock.now);
  clock.advance(10s);
  grouper.add(alert("offline", "a", Kind::kResolved), clock.now);
  clock.advance(20s);
  EXPECT_TRUE(grouper.due(clock.now).empty());
  EXPECT_EQ(grouper.group_count(), 0u);
}

TEST(Grouper, PartlyResolvedGroupTellsTheResolvedOneAndKeepsFiring) {
  Clock clock;
  Grouper grouper = after_first_send(policy(), {alert("offline", "a"), alert("offline", "b")}, clock);
  grouper.add(alert("offline", "a", Kind::kResolved), clock.now);
  clock.advance(5min);
  const auto messages = grouper.due(clock.now);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].status(), "firing");
  EXPECT_EQ(ids(messages[0]), (std::vector<std::string>{"offline/a/resolved", "offline/b/firing"}));
  EXPECT_EQ(grouper.group_count(), 1u);
}

TEST(Grouper, GroupByLabelsSplitsGroups) {
  Grouper grouper(policy({"rule"}));
  grouper.add(alert("offline", "a"), kTestNow);
  grouper.add(alert("offline", "b"), kTestNow);
  grouper.add(alert("low_score", "a"), kTestNow);
  EXPECT_EQ(grouper.group_count(), 2u);
  EXPECT_EQ(grouper.due(kTestNow + 30s).size(), 2u);

  Grouper everything(policy({}));
  everything.add(alert("offline", "a"), kTestNow);
  everything.add(alert("low_score", "b"), kTestNow);
  EXPECT_EQ(everything.group_count(), 1u);
  const auto one = everything.due(kTestNow + 30s);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].group_key, "{}");

  Grouper apart(policy({"..."}));
  apart.add(alert("offline", "a"), kTestNow);
  apart.add(alert("offline", "b"), kTestNow);
  EXPECT_EQ(apart.group_count(), 2u);
}

TEST(Grouper, EventsGoOutOnceWithTheirGroup) {
  Grouper grouper(policy({"node"}));
  Notification restarted;
  restarted.id = "event-1";
  restarted.kind = Kind::kEvent;
  restarted.labels = {{"node", "a"}, {"type", "node_restarted"}};
  grouper.add(restarted, kTestNow);
  const auto messages = grouper.due(kTestNow + 30s);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(ids(messages[0]), (std::vector<std::string>{"event-1"}));
  EXPECT_EQ(messages[0].status(), "event");
  EXPECT_EQ(grouper.group_count(), 0u);
  EXPECT_TRUE(grouper.due(kTestNow + 2h).empty());
}

TEST(Grouper, MessageIdsComeFromTheGroupAndWhatItTellsNotFromTheSendTime) {
  const auto first_send = [](TimePoint at, std::vector<Notification> alerts) {
    Grouper grouper(policy());
    for (auto& a : alerts) grouper.add(std::move(a), kTestNow);
    return grouper.due(at).at(0).id;
  };
  const auto a = alert("offline", "a");
  // The same events grouped again (after a restart, later) make the same id.
  EXPECT_EQ(first_send(kTestNow + 30s, {a}), first_send(kTestNow + 95s, {a}));
  EXPECT_NE(first_send(kTestNow + 30s, {a}), first_send(kTestNow + 30s, {a, alert("offline", "b")}));
  Notification other_event = a;
  other_event.id = "another-event";
  EXPECT_NE(first_send(kTestNow + 30s, {a}), first_send(kTestNow + 30s, {other_event}));
  EXPECT_EQ(first_send(kTestNow + 30s, {a}).size(), 32u);
}

TEST(Grouper, ARepeatOfTheSameContentIsANewMessage) {
  Clock clock;
  GroupingPolicy p = policy();
  Grouper grouper(p);
  grouper.add(alert("offline", "a"), clock.now);
  clock.advance(p.group_wait);
  const std::string first = grouper.due(clock.now).at(0).id;
  clock.advance(p.repeat_interval);
  auto repeat = grouper.due(clock.now);
  ASSERT_EQ(repeat.size(), 1u);
  EXPECT_NE(repeat[0].id, first);
}

TEST(Grouper, WaitingIdsAreWhatALaterMessageIsStillToTell) {
  Clock clock;
  GroupingPolicy p = policy();
  Grouper grouper(p);
  grouper.add(alert("offline", "a"), clock.now);
  EXPECT_EQ(grouper.waiting_ids(), std::set<std::string>{"offline/a/firing"});
  clock.advance(p.group_wait);
  ASSERT_EQ(grouper.due(clock.now).size(), 1u);
  EXPECT_TRUE(grouper.waiting_ids().empty()) << "told";
  // A newer firing notification of an alert already told waits for nothing.
  Notification again = alert("offline", "a");
  again.id = "offline/a/firing-again";
  grouper.add(again, clock.now);
  EXPECT_TRUE(grouper.waiting_ids().empty());
  grouper.add(alert("offline", "a", Kind::kResolved), clock.now);
  EXPECT_EQ(grouper.waiting_ids(), std::set<std::string>{"offline/a/resolved"});
  // An alert that fires and resolves before its group is first sent is never told.
  Grouper untold(p);
  untold.add(alert("offline", "b"), kTestNow);
  untold.add(alert("offline", "b", Kind::kResolved), kTestNow + 1s);
  EXPECT_EQ(untold.waiting_ids(), std::set<std::string>{"offline/b/resolved"});
  EXPECT_TRUE(untold.due(kTestNow + p.group_wait).empty());
  EXPECT_TRUE(untold.waiting_ids().empty());
}

TEST(Grouper, NextDueIsTheEarliestFlush) {
  Grouper grouper(policy());
  EXPECT_FALSE(grouper.next_due());
  grouper.add(alert("offline", "a"), kTestNow + 10s);
  grouper.add(alert("low_score", "a"), kTestNow);
  EXPECT_EQ(grouper.next_due(), kTestNow + 30s);
  grouper.due(kTestNow + 30s);
  EXPECT_EQ(grouper.next_due(), kTestNow + 40s);
}

TEST(Grouper, ARestoredAlertIsNotToldAgainAsNew) {
  Grouper grouper(policy());
  Clock clock;
  const TimePoint sent_at = clock.now;
  clock.advance(2min);  // the restart
  grouper.restore_sent(alert("offline", "a"), sent_at);
  EXPECT_EQ(grouper.next_due(), sent_at + 5min);
  for (int tick = 0; tick < 11; ++tick) {  // until 55 min after it was told
    clock.advance(5min);
    EXPECT_TRUE(grouper.due(clock.now).empty()) << "tick " << tick;
  }
  clock.advance(5min);
  ASSERT_EQ(grouper.due(clock.now).size(), 1u);  // the repeat, an hour after the send before the restart
}

TEST(Grouper, ARestoredAlertsResolutionAndNewcomersAreTold) {
  Grouper grouper(policy());
  Clock clock;
  grouper.restore_sent(alert("offline", "a"), clock.now);
  grouper.restore_sent(alert("offline", "b"), clock.now);
  clock.advance(1min);
  grouper.add(alert("offline", "a", Kind::kResolved), clock.now);
  grouper.add(alert("offline", "c"), clock.now);
  clock.advance(4min);
  const auto messages = grouper.due(clock.now);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(ids(messages[0]),
            (std::vector<std::string>{"offline/a/resolved", "offline/b/firing", "offline/c/firing"}));
}

TEST(Grouper, RestoringIgnoresResolvedAndEvents) {
  Grouper grouper(policy());
  grouper.restore_sent(alert("offline", "a", Kind::kResolved), kTestNow);
  EXPECT_EQ(grouper.group_count(), 0u);
}

}  // namespace
}  // namespace pnode::notify
