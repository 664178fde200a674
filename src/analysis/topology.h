// The network graph of /network/topology (docs/reference-compat.md §1.4.8, §6.3): one vertex
// per configured seed (in configured order, so the graph is deterministic), one per
// online pNode, and one edge per (seed -> pNode) report of the current cycle.
// Thread-safety: pure functions; the result points into the node list it was given.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/node_view.h"
#include "model/snapshot.h"

namespace pnode::analysis {

// {"id":seed,"type":"ip_node","label":seed,"group":"ip","properties":{active_streams,
// uptime, cpu_percent, ram_used_percent, total_pods_reported}}. A seed that did not
// answer get-stats has zeros.
struct IpNodeVertex {
  std::string id;  // the seed as configured ("host:port"), as in peer_sources
  uint64_t active_streams = 0;
  uint64_t uptime = 0;
  double cpu_percent = 0;
  double ram_used_percent = 0;  // round(ram_used / ram_total * 100, 2); 0 without ram_total
  int64_t total_pods_reported = 0;
};

// {"id":address,"type":"pnode","label":label,"group":"public"|"private","properties":
// {pubkey, version, uptime, storage_committed, storage_used, storage_usage_percent,
// is_public, peer_count, last_seen}} with the properties read from `node`.
struct PnodeVertex {
  const NodeView* node = nullptr;
  std::string label;  // pnode_label(address)
  const char* group() const { return node->is_public ? "public" : "private"; }
};

struct TopologyEdge {  // {"source":ip_nodes[seed].id,"target":node->address,"type":"gossip_connection"}
  uint16_t seed = 0;  // index into NetworkTopology::ip_nodes (the seeds in configured order)
  const NodeView* node = nullptr;  // one edge per (seed, node) report: no strings copied
};

struct TopologyStats {  // plus "timestamp": now, written by the caller
  int64_t total_nodes = 0;  // ip nodes + pnodes
  int64_t ip_nodes = 0;
  int64_t pnodes = 0;
  int64_t total_connections = 0;
  double avg_connections_per_pnode = 0;  // round(edges / pnodes, 2), 0 without pnodes
};

struct NetworkTopology {
  std::vector<IpNodeVertex> ip_nodes;  // JSON "nodes" lists ip_nodes then pnodes
  std::vector<PnodeVertex> pnodes;
  std::vector<TopologyEdge> edges;
  TopologyStats stats;
};

// The host part of an address (before the first ':'); longer than 15 characters, its
// first 12 followed by "...".
std::string pnode_label(std::string_view address);

// `seeds` from Snapshot::seeds; `nodes` the unified list (offline nodes are skipped).
NetworkTopology build_topology(const std::vector<model::SeedPoll>& seeds, const std::vector<NodeView>& nodes);

}  // namespace pnode::analysis
