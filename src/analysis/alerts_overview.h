// Alerts across the network: every node's alerts computed once per cycle, and the
// /alerts report (docs/reference-compat.md §1.4.18; /alerts/critical is the same report
// with severity=critical and limit 1000, §1.4.19).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/alerts.h"
#include "analysis/node_view.h"

namespace pnode::analysis {

// Alerts of every node of `views`, position for position with views.nodes, against
// views.latest_version. `histories` (by address) feeds the flapping check; nodes without
// an entry, or a null map, get no flapping check.
std::vector<std::vector<Alert>> check_all_alerts(
    const NodeViews& views, const GossipHistories* histories = nullptr);

struct CriticalNode {
  std::string address;
  int64_t alert_count = 0;             // all of the node's alerts, before any filter
  std::vector<Alert> critical_alerts;  // JSON key "critical_alerts"
};

struct AlertsOverview {
  AlertSummary summary;  // over all checked alerts, or the filtered ones when a filter is given
  std::vector<CriticalNode> critical_nodes;  // by alert_count descending, ties in node order
  int64_t nodes_checked = 0;
  int64_t nodes_with_alerts = 0;
};

// The report over the first `limit` nodes (build order: online then offline, as
// views.nodes). `alerts_by_node` is check_all_alerts() of the same nodes. critical_nodes
// ignores the filters, as the reference does; an empty alert_type means no type filter.
AlertsOverview alerts_overview(const std::vector<NodeView>& nodes, const std::vector<std::vector<Alert>>& alerts_by_node,
                               size_t limit, std::optional<Severity> severity, std::string_view alert_type);

}  // namespace pnode::analysis
