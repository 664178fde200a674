#include "analysis/alerts.h"

#include <gtest/gtest.h>

#include <set>

#include "analysis/test_nodes.h"

namespace pnode::analysis {
namespace {

using testing::offline_node;
using testing::online_node;

// Each expected alert is written out from the table of docs/reference-compat.md §5.1.

TEST(NodeAlerts, OfflineForMoreThanSevenDaysIsCritical) {
  NodeView n = offline_node("a:9001", 700000);  // last_seen = 300000
  n.storage_usage_percent = 99;                   // ignored: offline nodes stop after the offline check
  auto alerts = check_node_alerts(n, "0.8.0");
  ASSERT_EQ(alerts.size(), 1u);
  const Alert& a = alerts[0];
  EXPECT_EQ(a.severity, Severity::kCritical);
  EXPECT_STREQ(alert_type_name(a.type), "offline");
  EXPECT_EQ(a.message, "Node offline for 8 days");  // 700000 // 86400 = 8
  EXPECT_EQ(a.metric, "offline_duration");
  EXPECT_EQ(a.value, AlertValue(int64_t{700000}));
  EXPECT_EQ(a.threshold, AlertValue(int64_t{604800}));
  EXPECT_EQ(a.recommendation, "Check if node is permanently down or needs restart");
  EXPECT_EQ(a.last_seen, 300000);
}

TEST(NodeAlerts, OfflineForThreeToSevenDaysIsWarning) {
  auto alerts = check_node_alerts(offline_node("b:9001", 300000), "0.8.0");
  ASSERT_EQ(alerts.size(), 1u);
  const Alert& a = alerts[0];
  EXPECT_EQ(a.severity, Severity::kWarning);
  EXPECT_EQ(a.type, AlertType::kOffline);
  EXPECT_EQ(a.message, "Node offline for 3 days");  // 300000 // 86400 = 3
  EXPECT_EQ(a.metric, "offline_duration");
  EXPECT_EQ(a.value, AlertValue(int64_t{300000}));
  EXPECT_EQ(a.threshold, AlertValue(int64_t{259200}));
  EXPECT_EQ(a.recommendation, "Monitor node closely");
  EXPECT_EQ(a.last_seen, 700000);
  // Exactly the threshold is not "more than": no alert, and nothing else for offline nodes.
  EXPECT_TRUE(check_node_alerts(offline_node("c:9001", 259200), "0.8.0").empty());
  // Exactly seven days is still a warning.
  EXPECT_EQ(check_node_alerts(offline_node("d:9001", 604800), "0.8.0")[0].severity, Severity::kWarning);
}

TEST(NodeAlerts, EveryCriticalOnlineCheck) {
  // uptime 1800 s, 97.25 % full, 0.6.2 two lines behind 0.8.0, one seed lists it.
  auto alerts = check_node_alerts(online_node("e:9001", 1800, 97.25, "0.6.2", 1), "0.8.0");
  ASSERT_EQ(alerts.size(), 4u);
  EXPECT_EQ(alerts[0], (Alert{Severity::kCritical, AlertType::kLowUptime, "Very low uptime: 30 minutes", "uptime",
                              int64_t{1800}, int64_t{3600}, "Node may be restarting frequently", std::nullopt}));
  // 97.25 is exact in binary; Python's {:.1f} rounds the tie to even: 97.2.
  EXPECT_EQ(alerts[1], (Alert{Severity::kCritical, AlertType::kStorageCritical, "Storage critically full: 97.2%",
                              "storage_usage_percent", 97.25, 95.0,
                              "Increase storage capacity immediately or risk data loss", std::nullopt}));
  EXPECT_EQ(alerts[2], (Alert{Severity::kCritical, AlertType::kVersionOutdated,
                              "Running very old version: 0.6.2 (latest: 0.8.0)", "version", std::string("0.6.2"),
                              std::string("0.8.0"), "Upgrade to latest version immediately for security and features",
                              std::nullopt}));
  EXPECT_EQ(alerts[3], (Alert{Severity::kCritical, AlertType::kIsolated, "Node isolated with only 1 peer(s)",
                              "peer_count", int64_t{1}, int64_t{1}, "Check network configuration and firewall settings",
                              std::nullopt}));
}

TEST(NodeAlerts, EveryWarningOnlineCheck) {
  // uptime 50000 s (13.9 h), 88.04 % full, a suffixed build one line behind, two seeds.
  auto alerts = check_node_alerts(online_node("f:9001", 50000, 88.04, "0.7.5-trynet.1", 2), "0.8.0");
  ASSERT_EQ(alerts.size(), 4u);
  EXPECT_EQ(alerts[0], (Alert{Severity::kWarning, AlertType::kLowUptime, "Low uptime: 13 hours", "uptime",
                              int64_t{50000}, int64_t{86400}, "Monitor for stability issues", std::nullopt}));
  EXPECT_EQ(alerts[1], (Alert{Severity::kWarning, AlertType::kStorageWarning, "Storage filling up: 88.0%",
                              "storage_usage_percent", 88.04, 85.0, "Plan to increase storage capacity soon",
                              std::nullopt}));
  EXPECT_EQ(alerts[2], (Alert{Severity::kWarning, AlertType::kVersionBehind,
                              "Running old version: 0.7.5-trynet.1 (latest: 0.8.0)", "version",
                              std::string("0.7.5-trynet.1"), std::string("0.8.0"), "Upgrade to latest version soon",
                              std::nullopt}));
  EXPECT_EQ(alerts[3], (Alert{Severity::kWarning, AlertType::kWeakConnectivity, "Weak connectivity with only 2 peers",
                              "peer_count", int64_t{2}, int64_t{2}, "Improve network connectivity for better reliability",
                              std::nullopt}));
}

TEST(NodeAlerts, HealthyNodeHasNone) {
  EXPECT_TRUE(check_node_alerts(online_node("g:9001", 10 * 86400, 50, "0.8.0", 3), "0.8.0").empty());
  // A newer node than the derived latest is not behind.
  EXPECT_TRUE(check_node_alerts(online_node("g:9001", 10 * 86400, 50, "0.9.1", 3), "0.8.0").empty());
}

TEST(NodeAlerts, UnderutilizedAndFlapping) {
  GossipHistory history{{true, false, true, false, true, true}};  // 4 changes in 6 samples
  auto alerts = check_node_alerts(online_node("h:9001", 2 * 86400, 3.14159, "unknown", 3), "0.8.0", &history);
  ASSERT_EQ(alerts.size(), 2u);  // "unknown" does not parse: no version alert
  EXPECT_EQ(alerts[0], (Alert{Severity::kInfo, AlertType::kUnderutilized, "Storage underutilized: 3.1%",
                              "storage_usage_percent", 3.14159, 5.0,
                              "Node may need more network usage or has excess capacity", std::nullopt}));
  EXPECT_EQ(alerts[1], (Alert{Severity::kWarning, AlertType::kGossipFlapping,
                              "Node frequently appears/disappears from gossip", "gossip_consistency", int64_t{4},
                              int64_t{3}, "Check for network instability or node restarts", std::nullopt}));
}

TEST(NodeAlerts, Boundaries) {
  // uptime exactly 3600 s is a warning ("1 hours"); exactly 86400 s is fine.
  auto a = check_node_alerts(online_node("i:9001", 3600, 50, "0.8.0", 3), "0.8.0");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].message, "Low uptime: 1 hours");
  EXPECT_TRUE(check_node_alerts(online_node("i:9001", 86400, 50, "0.8.0", 3), "0.8.0").empty());
  // 95.0 exactly is a warning, 85.0 and 5.0 exactly raise nothing.
  a = check_node_alerts(online_node("i:9001", 86400, 95.0, "0.8.0", 3), "0.8.0");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].type, AlertType::kStorageWarning);
  EXPECT_EQ(a[0].message, "Storage filling up: 95.0%");
  EXPECT_TRUE(check_node_alerts(online_node("i:9001", 86400, 85.0, "0.8.0", 3), "0.8.0").empty());
  EXPECT_TRUE(check_node_alerts(online_node("i:9001", 86400, 5.0, "0.8.0", 3), "0.8.0").empty());
  // Zero peers is isolated too.
  a = check_node_alerts(online_node("i:9001", 86400, 50, "0.8.0", 0), "0.8.0");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].message, "Node isolated with only 0 peer(s)");
}

TEST(NodeAlerts, VersionAlertsFollowTheDerivedLatest) {
  auto type_of = [](const std::string& version, const std::string& latest) {
    auto a = check_node_alerts(online_node("j:9001", 86400, 50, version, 3), latest);
    return a.empty() ? std::string("none") : std::string(alert_type_name(a[0].type));
  };
  EXPECT_EQ(type_of("0.9.0", "1.2.0"), "version_outdated");  // older major: "very old"
  EXPECT_EQ(type_of("1.0.0", "1.2.0"), "version_outdated");  // two minors behind
  EXPECT_EQ(type_of("1.1.3", "1.2.0"), "version_behind");
  EXPECT_EQ(type_of("0.8.0", "0.8.0"), "none");
  EXPECT_EQ(type_of("0.8.0-trynet.2", "0.8.0"), "none");
  EXPECT_EQ(type_of("0.6.0", "unknown"), "none");  // nothing to compare with
  auto a = check_node_alerts(online_node("j:9001", 86400, 50, "1.1.3", 3), "1.2.0");
  EXPECT_EQ(a[0].message, "Running old version: 1.1.3 (latest: 1.2.0)");
  EXPECT_EQ(a[0].threshold, AlertValue(std::string("1.2.0")));
}

TEST(DetectFlapping, NeedsFiveSamplesAndMoreThanThreeChanges) {
  EXPECT_FALSE(detect_flapping({}));
  EXPECT_FALSE(detect_flapping({true, false, true, false}));      // 3 changes, 4 samples
  EXPECT_FALSE(detect_flapping({true, true, false, true, false}));  // 3 changes
  EXPECT_EQ(detect_flapping({true, false, true, false, true}), 4);
  EXPECT_EQ(detect_flapping({false, true, false, true, false, true, true}), 5);
  EXPECT_FALSE(detect_flapping({true, true, true, true, true, true}));
}

TEST(AlertTypes, TenDistinctNames) {
  std::set<std::string> names;
  for (AlertType t : all_alert_types()) names.insert(alert_type_name(t));
  EXPECT_EQ(names.size(), kAlertTypeCount);
  EXPECT_EQ(names, (std::set<std::string>{"offline", "low_uptime", "storage_critical", "storage_warning",
                                          "version_outdated", "version_behind", "isolated", "weak_connectivity",
                                          "underutilized", "gossip_flapping"}));
  EXPECT_EQ(parse_severity("warning"), Severity::kWarning);
  EXPECT_FALSE(parse_severity("high"));
  EXPECT_STREQ(severity_name(Severity::kInfo), "info");
}

std::vector<Alert> mixed_alerts() {
  GossipHistory history{{true, false, true, false, true}};
  std::vector<Alert> all;
  for (auto list : {check_node_alerts(online_node("e:9001", 1800, 97.25, "0.6.2", 1), "0.8.0"),
                    check_node_alerts(online_node("f:9001", 50000, 88.04, "0.7.5", 2), "0.8.0"),
                    check_node_alerts(online_node("h:9001", 2 * 86400, 1.0, "0.8.0", 3), "0.8.0", &history)})
    all.insert(all.end(), list.begin(), list.end());
  return all;
}

TEST(AlertSummary, CountsAndTypesInFirstOccurrenceOrder) {
  // e: 4 critical (low_uptime, storage_critical, version_outdated, isolated);
  // f: 4 warnings (low_uptime, storage_warning, version_behind, weak_connectivity);
  // h: underutilized (info) and gossip_flapping (warning).
  AlertSummary s = summarize_alerts(mixed_alerts());
  EXPECT_EQ(s.total, 10);
  EXPECT_EQ(s.critical, 4);
  EXPECT_EQ(s.warning, 5);
  EXPECT_EQ(s.info, 1);
  using P = std::pair<std::string, int64_t>;
  EXPECT_EQ(s.by_type, (std::vector<P>{P{"low_uptime", 2}, P{"storage_critical", 1}, P{"version_outdated", 1},
                                       P{"isolated", 1}, P{"storage_warning", 1}, P{"version_behind", 1},
                                       P{"weak_connectivity", 1}, P{"underutilized", 1}, P{"gossip_flapping", 1}}));
  EXPECT_EQ(summarize_alerts({}), AlertSummary{});
}

TEST(AlertFilter, BySeverityTypeOrBoth) {
  auto all = mixed_alerts();
  EXPECT_EQ(filter_alerts(all, std::nullopt, "").size(), 10u);
  EXPECT_EQ(filter_alerts(all, Severity::kWarning, "").size(), 5u);
  auto isolated = filter_alerts(all, std::nullopt, "isolated");
  ASSERT_EQ(isolated.size(), 1u);
  EXPECT_EQ(isolated[0].value, AlertValue(int64_t{1}));
  auto low = filter_alerts(all, Severity::kCritical, "low_uptime");
  ASSERT_EQ(low.size(), 1u);
  EXPECT_EQ(low[0].message, "Very low uptime: 30 minutes");
  EXPECT_TRUE(filter_alerts(all, std::nullopt, "bogus").empty());
  EXPECT_TRUE(filter_alerts(all, Severity::kInfo, "isolated").empty());
}

// Alert texts read back from the store are kept once each, where they stay valid, and no
// more than the capacity: a store full of distinct texts cannot grow the set further.
TEST(LastingTexts, KeepsEachTextOnceAndNoMoreThanItsCapacity) {
  LastingTexts texts(3);
  std::string first = "Check the node";
  std::string_view kept = texts.keep(first);
  first.assign("something else entirely");  // the caller's buffer changes; the kept text does not
  EXPECT_EQ(kept, "Check the node");
  EXPECT_EQ(texts.keep("Check the node").data(), kept.data());
  EXPECT_EQ(texts.keep("uptime"), "uptime");
  EXPECT_EQ(texts.keep("storage_usage_percent"), "storage_usage_percent");
  EXPECT_EQ(texts.size(), 3u);
  EXPECT_EQ(texts.keep("a fourth text"), "") << "beyond its capacity";
  EXPECT_EQ(texts.size(), 3u);
  EXPECT_EQ(texts.keep("uptime"), "uptime") << "a kept text is still found";
}

}  // namespace
}  // namespace pnode::analysis
