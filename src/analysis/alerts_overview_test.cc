#include "analysis/alerts_overview.h"

#include <gtest/gtest.h>

#include "analysis/test_nodes.h"

namespace pnode::analysis {
namespace {

using testing::offline_node;
using testing::online_node;

// Four nodes in build order:
//  a: online, 1800 s uptime, 1 peer, 50 %  -> low_uptime (critical), isolated (critical)
//  b: online, healthy                      -> none
//  c: online, 90 % full, 0.7.0, 2 peers    -> storage_warning, version_behind, weak_connectivity (3 warnings)
//  d: offline for 8 days                   -> offline (critical)
void fill(NodeViews& views) {
  views.latest_version = "0.8.0";
  views.nodes.push_back(online_node("a:9001", 1800, 50, "0.8.0", 1));
  views.nodes.push_back(online_node("b:9001", 10 * 86400, 50, "0.8.0", 3));
  views.nodes.push_back(online_node("c:9001", 10 * 86400, 90, "0.7.0", 2));
  views.nodes.push_back(offline_node("d:9001", 8 * 86400));
  views.online_count = 3;
}

TEST(CheckAllAlerts, OneListPerNodeWithHistoriesByAddress) {
  NodeViews views;
  fill(views);
  GossipHistories histories{{"b:9001", {{true, false, true, false, true}}}};
  auto all = check_all_alerts(views, &histories);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].size(), 2u);
  ASSERT_EQ(all[1].size(), 1u);  // only the flapping alert from its history
  EXPECT_EQ(all[1][0].type, AlertType::kGossipFlapping);
  EXPECT_EQ(all[2].size(), 3u);
  ASSERT_EQ(all[3].size(), 1u);
  EXPECT_EQ(all[3][0].message, "Node offline for 8 days");
  EXPECT_TRUE(check_all_alerts(views)[1].empty());
}

TEST(AlertsOverview, CriticalNodesSortedByAlertCountAndUnfiltered) {
  NodeViews views;
  fill(views);
  auto all = check_all_alerts(views);
  // Filtering on warnings: the summary counts c's three warnings only, but critical_nodes
  // still lists a (2 alerts) before d (1 alert).
  AlertsOverview r = alerts_overview(views.nodes, all, 100, Severity::kWarning, "");
  EXPECT_EQ(r.nodes_checked, 4);
  EXPECT_EQ(r.nodes_with_alerts, 3);  // a, c, d
  EXPECT_EQ(r.summary.total, 3);
  EXPECT_EQ(r.summary.warning, 3);
  EXPECT_EQ(r.summary.critical, 0);
  ASSERT_EQ(r.critical_nodes.size(), 2u);
  EXPECT_EQ(r.critical_nodes[0].address, "a:9001");
  EXPECT_EQ(r.critical_nodes[0].alert_count, 2);
  EXPECT_EQ(r.critical_nodes[0].critical_alerts.size(), 2u);
  EXPECT_EQ(r.critical_nodes[1].address, "d:9001");
  EXPECT_EQ(r.critical_nodes[1].alert_count, 1);
}

TEST(AlertsOverview, NoFilterCountsEverythingAndLimitChecksFirstNodes) {
  NodeViews views;
  fill(views);
  auto all = check_all_alerts(views);
  AlertsOverview r = alerts_overview(views.nodes, all, 100, std::nullopt, "");
  EXPECT_EQ(r.summary.total, 6);  // 2 + 0 + 3 + 1
  EXPECT_EQ(r.summary.critical, 3);
  EXPECT_EQ(r.summary.warning, 3);
  // limit 2 checks a and b only.
  r = alerts_overview(views.nodes, all, 2, std::nullopt, "");
  EXPECT_EQ(r.nodes_checked, 2);
  EXPECT_EQ(r.nodes_with_alerts, 1);
  EXPECT_EQ(r.summary.total, 2);
  // Type filter.
  r = alerts_overview(views.nodes, all, 100, Severity::kCritical, "offline");
  EXPECT_EQ(r.summary.total, 1);
  EXPECT_EQ(r.summary.by_type.at(0).first, "offline");
}

TEST(AlertsOverview, EmptyNetwork) {
  AlertsOverview r = alerts_overview({}, {}, 100, std::nullopt, "");
  EXPECT_EQ(r.nodes_checked, 0);
  EXPECT_EQ(r.nodes_with_alerts, 0);
  EXPECT_EQ(r.summary.total, 0);
  EXPECT_TRUE(r.critical_nodes.empty());
}

}  // namespace
}  // namespace pnode::analysis
