#include "analysis/analytics.h"

#include <algorithm>

#include "analysis/version.h"
#include "util/py_format.h"

namespace pnode::analysis {
namespace {

double percent_of(int64_t part, int64_t total) {
  return total > 0 ? py_round(static_cast<double>(part) / static_cast<double>(total) * 100, 2) : 0;
}

VersionAnalysis analyse_versions(const std::vector<const NodeView*>& online, std::string_view latest) {
  VersionAnalysis v;
  v.latest_version = std::string(latest);
  for (const NodeView* n : online) {
    auto it = std::find_if(v.distribution.begin(), v.distribution.end(), [&](auto& e) { return e.first == n->version; });
    if (it == v.distribution.end()) v.distribution.emplace_back(n->version, 1);
    else ++it->second;
    auto gap = version_gap(n->version, latest);
    v.latest_version_count += gap == 0;
    v.outdated_count += gap.value_or(0) >= 1;
  }
  auto total = static_cast<int64_t>(online.size());
  v.compliance_percent = percent_of(v.latest_version_count, total);
  v.fragmentation_index = static_cast<int64_t>(v.distribution.size());
  v.health = v.compliance_percent > 70 ? "good" : v.compliance_percent > 50 ? "fair" : "poor";
  return v;
}

StorageAnalysis analyse_storage(const std::vector<const NodeView*>& online) {
  StorageAnalysis s;
  StorageBuckets& b = s.distribution;
  for (const NodeView* n : online) {
    double u = n->storage_usage_percent;
    if (u < 10) ++b.empty;
    else if (u < 30) ++b.low;
    else if (u < 70) ++b.optimal;
    else if (u < 90) ++b.high;
    else ++b.critical;
  }
  s.optimal_nodes = b.optimal;
  s.optimal_percent = percent_of(b.optimal, static_cast<int64_t>(online.size()));
  s.critical_nodes = b.critical;
  s.health = b.optimal > b.critical ? "good" : "fair";
  return s;
}

ConnectivityAnalysis analyse_connectivity(const std::vector<const NodeView*>& online) {
  ConnectivityAnalysis c;
  ConnectivityBuckets& b = c.distribution;
  for (const NodeView* n : online) {
    size_t peers = n->peer_count();
    if (peers <= 1) ++b.isolated;
    else if (peers == 2) ++b.weak;
    else if (peers <= 4) ++b.good;
    else ++b.excellent;
  }
  c.well_connected = b.good + b.excellent;
  c.well_connected_percent = percent_of(c.well_connected, static_cast<int64_t>(online.size()));
  c.isolated_nodes = b.isolated;
  c.health = static_cast<double>(b.isolated) < 0.1 * static_cast<double>(online.size()) ? "good" : "fair";
  return c;
}

std::string upgrade_action(std::string_view latest) {
  if (!parse_version(latest)) return "Encourage operators to upgrade to the latest version";
  return "Encourage operators to upgrade to v" + std::string(latest);
}

std::vector<AnalyticsRecommendation> recommend(const NetworkAnalytics& a, size_t online) {
  std::vector<AnalyticsRecommendation> out;
  double n = static_cast<double>(online);
  double compliance = a.version_analysis.compliance_percent;
  if (compliance < 70) {
    // The reference prints round(compliance, 1) with repr, and a bare 0 when N = 0.
    std::string shown = online == 0 ? "0" : py_repr(py_round(compliance, 1));
    out.push_back({"version", compliance < 50 ? "high" : "medium",
                   "Only " + shown + "% of nodes are on the latest version",
                   upgrade_action(a.version_analysis.latest_version)});
  }
  const StorageBuckets& s = a.storage_analysis.distribution;
  if (static_cast<double>(s.critical) > 0.1 * n)
    out.push_back({"storage", "high", std::to_string(s.critical) + " nodes at critical storage capacity (>90%)",
                   "Monitor these nodes closely or increase storage allocation"});
  if (static_cast<double>(s.empty) > 0.3 * n)
    out.push_back({"storage", "low", std::to_string(s.empty) + " nodes are underutilized (<10% usage)",
                   "Network may be over-provisioned or needs more usage"});
  int64_t isolated = a.connectivity_analysis.distribution.isolated;
  if (static_cast<double>(isolated) > 0.1 * n)
    out.push_back({"connectivity", "high", std::to_string(isolated) + " nodes have weak connectivity (\xE2\x89\xA4" "1 peer)",
                   "Check network configuration and gossip protocol health"});
  if (out.empty()) out.push_back({"general", "info", "Network health is good", "Continue monitoring"});
  return out;
}

}  // namespace

NetworkAnalytics network_analytics(const std::vector<NodeView>& nodes, std::string_view latest_version) {
  std::vector<const NodeView*> online;
  for (const auto& n : nodes)
    if (n.is_online) online.push_back(&n);
  NetworkAnalytics a;
  auto total = static_cast<int64_t>(online.size());
  a.current_state.total_pnodes = total;
  a.current_state.public_nodes = std::count_if(online.begin(), online.end(), [](auto* n) { return n->is_public; });
  a.current_state.private_nodes = total - a.current_state.public_nodes;
  a.current_state.public_ratio_percent = percent_of(a.current_state.public_nodes, total);
  a.version_analysis = analyse_versions(online, latest_version);
  a.storage_analysis = analyse_storage(online);
  a.connectivity_analysis = analyse_connectivity(online);
  a.recommendations = recommend(a, online.size());
  return a;
}

}  // namespace pnode::analysis
