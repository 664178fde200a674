#include "analysis/alerts_overview.h"

#include <algorithm>
#include <cassert>

namespace pnode::analysis {
namespace {

std::optional<CriticalNode> critical_node(const NodeView& node, const std::vector<Alert>& alerts) {
  CriticalNode c{node.address, static_cast<int64_t>(alerts.size()), {}};
  for (const auto& a : alerts)
    if (a.severity == Severity::kCritical) c.critical_alerts.push_back(a);
  if (c.critical_alerts.empty()) return std::nullopt;
  return c;
}

}  // namespace

std::vector<std::vector<Alert>> check_all_alerts(const NodeViews& views,
                                                 const GossipHistories* histories) {
  std::vector<std::vector<Alert>> out;
  out.reserve(views.nodes.size());
  for (const auto& node : views.nodes) {
    const GossipHistory* history = nullptr;
    if (histories) {
      auto it = histories->find(node.address);
      if (it != histories->end()) history = &it->second;
    }
    out.push_back(check_node_alerts(node, views.latest_version, history));
  }
  return out;
}

AlertsOverview alerts_overview(const std::vector<NodeView>& nodes, const std::vector<std::vector<Alert>>& alerts_by_node,
                               size_t limit, std::optional<Severity> severity, std::string_view alert_type) {
  assert(nodes.size() == alerts_by_node.size());
  size_t checked = std::min({limit, nodes.size(), alerts_by_node.size()});
  AlertsOverview report;
  report.nodes_checked = static_cast<int64_t>(checked);
  std::vector<Alert> matching;
  for (size_t i = 0; i < checked; ++i) {
    const auto& alerts = alerts_by_node[i];
    if (alerts.empty()) continue;
    ++report.nodes_with_alerts;
    if (auto c = critical_node(nodes[i], alerts)) report.critical_nodes.push_back(std::move(*c));
    auto kept = filter_alerts(alerts, severity, alert_type);
    matching.insert(matching.end(), kept.begin(), kept.end());
  }
  std::stable_sort(report.critical_nodes.begin(), report.critical_nodes.end(),
                   [](const CriticalNode& a, const CriticalNode& b) { return a.alert_count > b.alert_count; });
  report.summary = summarize_alerts(matching);
  return report;
}

}  // namespace pnode::analysis
