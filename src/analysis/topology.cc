#include "analysis/topology.h"

#include "util/py_format.h"

namespace pnode::analysis {
namespace {

IpNodeVertex ip_vertex(const model::SeedPoll& seed) {
  IpNodeVertex v;
  v.id = seed.seed;
  v.total_pods_reported = static_cast<int64_t>(seed.pod_count);
  if (!seed.stats) return v;
  const model::NodeStats& s = *seed.stats;
  v.active_streams = s.active_streams.value_or(0);
  v.uptime = s.uptime.value_or(0);
  v.cpu_percent = s.cpu_percent.value_or(0);
  uint64_t total = s.ram_total.value_or(0);
  if (total > 0)
    v.ram_used_percent = py_round(static_cast<double>(s.ram_used.value_or(0)) / static_cast<double>(total) * 100, 2);
  return v;
}

}  // namespace

std::string pnode_label(std::string_view address) {
  std::string_view host = address.substr(0, address.find(':'));
  if (host.size() > 15) return std::string(host.substr(0, 12)) + "...";
  return std::string(host);
}

NetworkTopology build_topology(const std::vector<model::SeedPoll>& seeds, const std::vector<NodeView>& nodes) {
  NetworkTopology t;
  t.ip_nodes.reserve(seeds.size());
  for (const auto& seed : seeds) t.ip_nodes.push_back(ip_vertex(seed));
  size_t online = 0, reports = 0;
  for (const auto& n : nodes) {
    if (!n.is_online) continue;
    ++online;
    reports += n.peer_sources.size();
  }
  t.pnodes.reserve(online);
  t.edges.reserve(reports);
  for (const auto& n : nodes) {
    if (!n.is_online) continue;
    t.pnodes.push_back({&n, pnode_label(n.address)});
    for (uint16_t source : n.peer_sources)
      if (source < seeds.size()) t.edges.push_back({source, &n});
  }
  t.stats.ip_nodes = static_cast<int64_t>(t.ip_nodes.size());
  t.stats.pnodes = static_cast<int64_t>(t.pnodes.size());
  t.stats.total_nodes = t.stats.ip_nodes + t.stats.pnodes;
  t.stats.total_connections = static_cast<int64_t>(t.edges.size());
  if (t.stats.pnodes > 0)
    t.stats.avg_connections_per_pnode =
        py_round(static_cast<double>(t.stats.total_connections) / static_cast<double>(t.stats.pnodes), 2);
  return t;
}

}  // namespace pnode::analysis
