#include "analysis/health.h"

#include <algorithm>
#include <map>
#include <set>

#include "util/py_format.h"

namespace pnode::analysis {
namespace {

std::string health_status(double score) {
  if (score >= 80) return "healthy";
  if (score >= 60) return "fair";
  if (score >= 40) return "degraded";
  return "critical";
}

// The unrounded factors over the online nodes (all zero but availability's share when none).
HealthFactors raw_factors(const std::vector<NodeView>& nodes) {
  HealthFactors f;
  std::map<std::string_view, size_t> versions;
  size_t online = 0, most_common = 0, peers = 0;
  double scores = 0;
  for (const auto& n : nodes) {
    if (!n.is_online) continue;
    ++online;
    most_common = std::max(most_common, ++versions[n.version]);
    scores += n.score();
    peers += n.peer_count();
  }
  f.availability = static_cast<double>(online) / static_cast<double>(nodes.size()) * 30;
  if (online == 0) return f;
  double o = static_cast<double>(online);
  f.version_consistency = static_cast<double>(most_common) / o * 25;
  f.node_quality = scores / o / 100 * 25;
  f.connectivity = std::min(static_cast<double>(peers) / o / 3, 1.0) * 20;
  return f;
}

size_t online_version_count(const std::vector<NodeView>& nodes) {
  std::set<std::string_view> versions;
  for (const auto& n : nodes)
    if (n.is_online) versions.insert(n.version);
  return versions.size();
}

}  // namespace

NetworkHealth network_health(const std::vector<NodeView>& nodes) {
  NetworkHealth h;
  if (nodes.empty()) return h;
  HealthFactors f = raw_factors(nodes);
  h.health_score = py_round(f.availability + f.version_consistency + f.node_quality + f.connectivity, 2);
  h.status = health_status(h.health_score);
  h.factors = HealthFactors{py_round(f.availability, 2), py_round(f.version_consistency, 2),
                            py_round(f.node_quality, 2), py_round(f.connectivity, 2)};
  return h;
}

std::vector<NetworkAlert> network_alerts(const std::vector<NodeView>& nodes, const NetworkHealth& health) {
  std::vector<NetworkAlert> alerts;
  size_t online = static_cast<size_t>(std::count_if(nodes.begin(), nodes.end(), [](auto& n) { return n.is_online; }));
  if (online < kLowNodeCount)
    alerts.push_back({online < kVeryLowNodeCount ? "high" : "medium", "low_node_count",
                      "Network has only " + std::to_string(online) + " active nodes",
                      "Monitor node availability closely"});
  size_t versions = online_version_count(nodes);
  if (versions > kMaxHealthyVersionCount)
    alerts.push_back({"medium", "version_fragmentation", "Network running " + std::to_string(versions) +
                      " different versions", "Consider coordinating version upgrades"});
  if (health.health_score < kLowHealthScore) {
    std::string score = health.factors ? py_repr(health.health_score) : "0";  // the reference's int 0
    alerts.push_back({"high", "low_health_score", "Network health score is " + score,
                      "Review network health factors"});
  }
  return alerts;
}

}  // namespace pnode::analysis
