// Alert routes over the test network: per-node alerts worked out from the table of
// docs/reference-compat.md §5.1, the network summary, the critical-only variant,
// filters, 404/422/503.
#include <gtest/gtest.h>

#include "api/route_test_support.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

class AlertRoutes : public RoutesTest {
 protected:
  std::string alerts_of(const char* address, const std::string& query = "") {
    auto body = get_json(std::string("/pnodes/") + address + "/alerts" + query);
    return to_text(body.at("alerts"));
  }
};

// Latest version 0.8.0. Each node's alerts in §5.1 order.
TEST_F(AlertRoutes, PerNodeAlertsFollowTheTable) {
  // A: 40 days up, 50 % used, 0.8.0, 3 peers: nothing to report.
  EXPECT_EQ(alerts_of(kA), "[]");
  // B: only 2 peers (<= 2): a weak_connectivity warning. Usage 10 % is not < 5.
  EXPECT_EQ(alerts_of(kB),
            R"j([{"severity":"warning","type":"weak_connectivity","message":"Weak connectivity with only 2 peers",)j"
            R"j("metric":"peer_count","value":2,"threshold":2,)j"
            R"j("recommendation":"Improve network connectivity for better reliability"}])j");
  // C: uptime 1800 < 3600 -> critical, 1800 // 60 = 30 minutes; usage 96.0 > 95 -> critical;
  // 0.7.2 is one line behind -> warning; 1 peer (<= 1) -> critical isolated.
  EXPECT_EQ(alerts_of(kC),
            R"j([{"severity":"critical","type":"low_uptime","message":"Very low uptime: 30 minutes",)j"
            R"j("metric":"uptime","value":1800,"threshold":3600,"recommendation":"Node may be restarting frequently"},)j"
            R"j({"severity":"critical","type":"storage_critical","message":"Storage critically full: 96.0%",)j"
            R"j("metric":"storage_usage_percent","value":96.0,"threshold":95.0,)j"
            R"j("recommendation":"Increase storage capacity immediately or risk data loss"},)j"
            R"j({"severity":"warning","type":"version_behind","message":"Running old version: 0.7.2 (latest: 0.8.0)",)j"
            R"j("metric":"version","value":"0.7.2","threshold":"0.8.0","recommendation":"Upgrade to latest version soon"},)j"
            R"j({"severity":"critical","type":"isolated","message":"Node isolated with only 1 peer(s)",)j"
            R"j("metric":"peer_count","value":1,"threshold":1,)j"
            R"j("recommendation":"Check network configuration and firewall settings"}])j");
  // D: 2 days up (>= 86400, no alert); 0.6.0 is two lines behind -> critical; 2 peers ->
  // warning; usage 2.0 < 5 -> info.
  EXPECT_EQ(alerts_of(kD),
            R"j([{"severity":"critical","type":"version_outdated","message":"Running very old version: 0.6.0 (latest: 0.8.0)",)j"
            R"j("metric":"version","value":"0.6.0","threshold":"0.8.0",)j"
            R"j("recommendation":"Upgrade to latest version immediately for security and features"},)j"
            R"j({"severity":"warning","type":"weak_connectivity","message":"Weak connectivity with only 2 peers",)j"
            R"j("metric":"peer_count","value":2,"threshold":2,)j"
            R"j("recommendation":"Improve network connectivity for better reliability"},)j"
            R"j({"severity":"info","type":"underutilized","message":"Storage underutilized: 2.0%",)j"
            R"j("metric":"storage_usage_percent","value":2.0,"threshold":5.0,)j"
            R"j("recommendation":"Node may need more network usage or has excess capacity"}])j");
  // E: uptime 36000 < 86400 -> warning, 36000 // 3600 = 10 hours; usage 88.0 > 85 -> warning.
  EXPECT_EQ(alerts_of(kE),
            R"j([{"severity":"warning","type":"low_uptime","message":"Low uptime: 10 hours",)j"
            R"j("metric":"uptime","value":36000,"threshold":86400,"recommendation":"Monitor for stability issues"},)j"
            R"j({"severity":"warning","type":"storage_warning","message":"Storage filling up: 88.0%",)j"
            R"j("metric":"storage_usage_percent","value":88.0,"threshold":85.0,)j"
            R"j("recommendation":"Plan to increase storage capacity soon"}])j");
  // F: offline for kT2 - (kT1 - 5) = 691305 s > 604800 -> critical; 691305 // 86400 = 8 days.
  EXPECT_EQ(alerts_of(kF),
            R"j([{"severity":"critical","type":"offline","message":"Node offline for 8 days",)j"
            R"j("metric":"offline_duration","value":691305,"threshold":604800,)j"
            R"j("recommendation":"Check if node is permanently down or needs restart","last_seen":1699999995}])j");
}

TEST_F(AlertRoutes, NodeAlertsShapeSummaryAndNodeInfo) {
  auto body = get_json(std::string("/pnodes/") + kC + "/alerts");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"address", "alerts", "summary", "node_info", "timestamp"}));
  EXPECT_EQ(to_text(body.at("summary")),
            R"j({"total":4,"critical":3,"warning":1,"info":0,)j"
            R"j("by_type":{"low_uptime":1,"storage_critical":1,"version_behind":1,"isolated":1}})j");
  EXPECT_EQ(keys_of(body.at("node_info")), (std::vector<std::string>{"is_online", "uptime", "version",
                                                                     "storage_usage_percent", "peer_count", "last_seen"}));
  EXPECT_EQ(body.at("node_info").at("is_online"), true);
  EXPECT_JSON_INT(body.at("node_info").at("uptime"), 1800);
  EXPECT_JSON_FLOAT(body.at("node_info").at("storage_usage_percent"), 96.0);
  EXPECT_JSON_INT(body.at("node_info").at("peer_count"), 1);
  EXPECT_JSON_INT(body.at("timestamp"), now);

  // The severity filter applies to the list and the summary.
  auto warnings = get_json(std::string("/pnodes/") + kC + "/alerts?severity=warning");
  EXPECT_EQ(warnings.at("alerts").as_array().size(), 1u);
  EXPECT_EQ(to_text(warnings.at("summary")),
            R"j({"total":1,"critical":0,"warning":1,"info":0,"by_type":{"version_behind":1}})j");
  // A percent-encoded address is the same node.
  EXPECT_EQ(get_json("/pnodes/10.0.0.3%3A9001/alerts").at("address"), kC);
}

TEST_F(AlertRoutes, NodeAlertsErrors) {
  auto missing = get("/pnodes/10.9.9.9:1/alerts");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(body_text(missing),
            R"j({"error":"Node not found: 10.9.9.9:1","suggestion":"Check /registry for valid addresses"})j");
  EXPECT_EQ(get("/pnodes//alerts").status, 404);  // the empty address
  expect_422(std::string("/pnodes/") + kA + "/alerts?severity=high", "string_pattern_mismatch", "severity", "high");
  expect_422(std::string("/pnodes/") + kA + "/alerts?severity=Critical", "string_pattern_mismatch", "severity",
             "Critical");
  auto r = get_without_snapshot(std::string("/pnodes/") + kA + "/alerts");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(body_text(r), kSnapshotUnavailable);
}

// ---- /alerts ----

TEST_F(AlertRoutes, NetworkSummaryOverEveryCheckedNode) {
  auto body = get_json("/alerts");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"summary", "critical_nodes", "nodes_checked",
                                                     "nodes_with_alerts", "filters", "timestamp"}));
  // B 1 + C 4 + D 3 + E 2 + F 1 = 11 alerts: critical C 3 + D 1 + F 1 = 5, warning
  // B 1 + C 1 + D 1 + E 2 = 5, info D 1. Types in order of first occurrence over the build
  // order A, B, C, E, D, F.
  EXPECT_EQ(to_text(body.at("summary")),
            R"j({"total":11,"critical":5,"warning":5,"info":1,"by_type":{"weak_connectivity":2,"low_uptime":2,)j"
            R"j("storage_critical":1,"version_behind":1,"isolated":1,"storage_warning":1,"version_outdated":1,)j"
            R"j("underutilized":1,"offline":1}})j");
  // Nodes with a critical alert, by total alert count: C (4), D (3), F (1).
  const auto& critical = body.at("critical_nodes").as_array();
  ASSERT_EQ(critical.size(), 3u);
  EXPECT_EQ(critical[0].at("address"), kC);
  EXPECT_JSON_INT(critical[0].at("alert_count"), 4);
  EXPECT_EQ(critical[0].at("critical_alerts").as_array().size(), 3u);
  EXPECT_EQ(critical[1].at("address"), kD);
  EXPECT_EQ(critical[2].at("address"), kF);
  EXPECT_JSON_INT(body.at("nodes_checked"), 6);
  EXPECT_JSON_INT(body.at("nodes_with_alerts"), 5);
  EXPECT_EQ(to_text(body.at("filters")), R"j({"severity":null,"alert_type":null})j");
  EXPECT_EQ(get("/alerts").body, get("/alerts").body);  // the default form is cached
}

TEST_F(AlertRoutes, FiltersNarrowTheSummaryButNotCriticalNodes) {
  auto warnings = get_json("/alerts?severity=warning");
  EXPECT_EQ(to_text(warnings.at("summary")),
            R"j({"total":5,"critical":0,"warning":5,"info":0,"by_type":{"weak_connectivity":2,"version_behind":1,)j"
            R"j("low_uptime":1,"storage_warning":1}})j");
  EXPECT_EQ(warnings.at("critical_nodes").as_array().size(), 3u);
  EXPECT_EQ(to_text(warnings.at("filters")), R"j({"severity":"warning","alert_type":null})j");

  auto typed = get_json("/alerts?alert_type=weak_connectivity");
  EXPECT_JSON_INT(typed.at("summary").at("total"), 2);
  EXPECT_EQ(typed.at("filters").at("alert_type"), "weak_connectivity");
  EXPECT_JSON_INT(get_json("/alerts?alert_type=nonsense").at("summary").at("total"), 0);

  // limit counts nodes checked, in build order: A, B, C.
  auto first3 = get_json("/alerts?limit=3");
  EXPECT_JSON_INT(first3.at("nodes_checked"), 3);
  EXPECT_JSON_INT(first3.at("nodes_with_alerts"), 2);
  EXPECT_JSON_INT(first3.at("summary").at("total"), 5);
}

TEST_F(AlertRoutes, IncludeAlertsListsEveryCheckedAlertWithItsNode) {
  EXPECT_FALSE(get_json("/alerts").as_object().contains("alerts"));
  auto body = get_json("/alerts?include_alerts=true");
  const auto& alerts = body.at("alerts").as_array();
  ASSERT_EQ(alerts.size(), 11u);  // the 11 alerts of the summary above
  EXPECT_EQ(alerts[0].at("address"), kB);  // build order A, B, C, E, D, F; A has none
  size_t from_c = 0;
  for (const auto& a : alerts) from_c += a.at("address") == kC;
  EXPECT_EQ(from_c, 4u);
  auto critical = get_json("/alerts?include_alerts=true&severity=critical").at("alerts").as_array();
  EXPECT_EQ(critical.size(), 5u);
  for (const auto& a : critical) EXPECT_EQ(a.at("severity"), "critical");
  EXPECT_EQ(get_json("/alerts?include_alerts=true&limit=3").at("alerts").as_array().size(), 5u);
  expect_422("/alerts?include_alerts=maybe", "bool_parsing", "include_alerts", "maybe");
}

TEST_F(AlertRoutes, AlertsValidatesEveryParameter) {
  expect_422("/alerts?severity=bad", "string_pattern_mismatch", "severity", "bad");
  expect_422("/alerts?limit=0", "greater_than_equal", "limit", "0");
  expect_422("/alerts?limit=501", "less_than_equal", "limit", "501");
  expect_422("/alerts?limit=ten", "int_parsing", "limit", "ten");
  expect_422("/alerts?limit=", "int_parsing", "limit", "");
  EXPECT_EQ(get("/alerts?limit=500").status, 200);
  EXPECT_EQ(get("/alerts?limit=1").status, 200);
  for (const char* target : {"/alerts", "/alerts/critical"}) {
    auto r = get_without_snapshot(target);
    EXPECT_EQ(r.status, 503) << target;
    EXPECT_EQ(body_text(r), kSnapshotUnavailable) << target;
  }
}

// ---- /alerts/critical ----

TEST_F(AlertRoutes, CriticalIsTheCriticalFilterWithCorrectCounts) {
  auto body = get_json("/alerts/critical");
  EXPECT_EQ(to_text(body.at("summary")),
            R"j({"total":5,"critical":5,"warning":0,"info":0,"by_type":{"low_uptime":1,"storage_critical":1,)j"
            R"j("isolated":1,"version_outdated":1,"offline":1}})j");
  EXPECT_EQ(to_text(body.at("filters")), R"j({"severity":"critical","alert_type":null})j");
  EXPECT_EQ(body.at("critical_nodes").as_array().size(), 3u);
  EXPECT_JSON_INT(body.at("nodes_checked"), 6);
  // The same as /alerts?severity=critical (whose limit may not exceed 500).
  auto same = get_json("/alerts?severity=critical&limit=500");
  body.as_object().erase("timestamp");
  same.as_object().erase("timestamp");
  EXPECT_EQ(body, same);
}

}  // namespace
}  // namespace pnode::api
