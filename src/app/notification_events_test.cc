#include "app/notification_events.h"

#include <gtest/gtest.h>

#include "analysis/events.h"

namespace pnode::app {
namespace {

// A stored event as the collector writes it: the body from analysis::event_to_json.
store::StoredEvent stored(const analysis::Event& e, int64_t seq = 1) {
  return store::StoredEvent{seq, store::EventRecord{e.id, analysis::event_type_name(e.type), e.time, e.cycle,
                                                    e.address, e.pubkey, analysis::event_to_json(e)}};
}

analysis::Event alert_event(analysis::EventType type, const std::string& address, bool silenced = false,
                            analysis::Severity severity = analysis::Severity::kCritical) {
  analysis::AlertTransition t;
  t.rule = analysis::AlertType::kOffline;
  t.severity = severity;
  t.message = "Node " + address + " is offline";
  t.active_since = 1000;
  t.firing_since = 1060;
  t.reason = type == analysis::EventType::kAlertResolved ? "cleared" : "";
  t.silenced = silenced;
  const char* rule = "offline@";
  return analysis::Event{analysis::event_id(7, 0, type, rule + address), type, 1100, 7, address, "PK1", t};
}

analysis::Event node_event(analysis::EventType type, const std::string& address, const std::string& pubkey = "PK1") {
  return analysis::Event{analysis::event_id(7, 0, type, address), type, 1100, 7, address, pubkey,
                         analysis::NodeRestarted{100, 5}};
}

TEST(NotificationFor, AlertsBecomeFiringAndResolvedNotificationsOfOneAlert) {
  SubscriptionMatch all;
  auto firing = notification_for(stored(alert_event(analysis::EventType::kAlertFiring, "127.1.0.5:9001")), all);
  auto resolved = notification_for(stored(alert_event(analysis::EventType::kAlertResolved, "127.1.0.5:9001")), all);
  ASSERT_TRUE(firing && resolved);
  EXPECT_EQ(firing->kind, notify::Kind::kFiring);
  EXPECT_EQ(resolved->kind, notify::Kind::kResolved);
  EXPECT_EQ(firing->id, "7.0:alert_firing:offline@127.1.0.5:9001");
  EXPECT_EQ(firing->severity, "critical");
  EXPECT_EQ(firing->node, "127.1.0.5:9001");
  EXPECT_EQ(firing->labels, (std::map<std::string, std::string>{
                                {"alertname", "offline"}, {"node", "127.1.0.5:9001"}, {"pubkey", "PK1"}}));
  EXPECT_EQ(notify::fingerprint(*firing), notify::fingerprint(*resolved));
  EXPECT_EQ(firing->title, "Node 127.1.0.5:9001 is offline (127.1.0.5:9001)");
  EXPECT_EQ(resolved->title, "Resolved: Node 127.1.0.5:9001 is offline (127.1.0.5:9001)");
  EXPECT_NE(resolved->text.find("cleared"), std::string::npos);
  EXPECT_EQ(firing->started_at, notify::TimePoint(std::chrono::seconds(1060)));
}

TEST(NotificationFor, SilencedAlertsAreNeverTold) {
  SubscriptionMatch all;
  EXPECT_FALSE(notification_for(stored(alert_event(analysis::EventType::kAlertFiring, "a:1", true)), all));
  EXPECT_FALSE(notification_for(stored(alert_event(analysis::EventType::kAlertResolved, "a:1", true)), all));
}

TEST(NotificationFor, TypesRulesAndSeveritiesFilter) {
  SubscriptionMatch m;
  EXPECT_FALSE(notification_for(stored(node_event(analysis::EventType::kNodeRestarted, "a:1")), m))
      << "alert events only by default";
  m.events.insert("node_restarted");
  auto restarted = notification_for(stored(node_event(analysis::EventType::kNodeRestarted, "a:1")), m);
  ASSERT_TRUE(restarted);
  EXPECT_EQ(restarted->kind, notify::Kind::kEvent);
  EXPECT_EQ(restarted->labels.at("alertname"), "node_restarted");
  m.rules = {"low_uptime"};
  EXPECT_FALSE(notification_for(stored(alert_event(analysis::EventType::kAlertFiring, "a:1")), m));
  EXPECT_TRUE(notification_for(stored(node_event(analysis::EventType::kNodeRestarted, "a:1")), m))
      << "rules apply to alerts only";
  m.rules = {"offline"};
  m.severities = {"warning"};
  EXPECT_FALSE(notification_for(stored(alert_event(analysis::EventType::kAlertFiring, "a:1")), m));
  EXPECT_TRUE(notification_for(
      stored(alert_event(analysis::EventType::kAlertFiring, "a:1", false, analysis::Severity::kWarning)), m));
}

TEST(NotificationFor, NodesAndPubkeysSelectOneNodeOrOneOperator) {
  SubscriptionMatch m;
  m.nodes = {"a:1"};
  m.pubkeys = {"OPERATOR"};
  EXPECT_TRUE(notification_for(stored(alert_event(analysis::EventType::kAlertFiring, "a:1")), m));
  EXPECT_FALSE(notification_for(stored(alert_event(analysis::EventType::kAlertFiring, "b:1")), m));
  m.events.insert("node_restarted");
  EXPECT_TRUE(notification_for(stored(node_event(analysis::EventType::kNodeRestarted, "c:1", "OPERATOR")), m));
  // A network event has no node: only subscriptions to every node take it.
  m.events.insert("seed_unreachable");
  analysis::Event seeds{analysis::event_id(7, 1, analysis::EventType::kSeedUnreachable, ""),
                        analysis::EventType::kSeedUnreachable, 1100, 7, "", "", analysis::SeedTransition{}};
  EXPECT_FALSE(notification_for(stored(seeds), m));
  SubscriptionMatch network;
  network.events = {"seed_unreachable"};
  auto n = notification_for(stored(seeds), network);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->severity, "warning");
  EXPECT_EQ(n->title, "seed_unreachable: the network");
}

TEST(NotificationFor, ABodyThatDoesNotParseIsSkipped) {
  SubscriptionMatch all;
  store::StoredEvent broken = stored(alert_event(analysis::EventType::kAlertFiring, "a:1"));
  broken.event.body = "{not json";
  EXPECT_FALSE(notification_for(broken, all));
}

}  // namespace
}  // namespace pnode::app
