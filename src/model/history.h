// The history samples kept for every cycle: one network-wide row and one row per node.
// Written by the collector, stored by the store, read back by the analysis of trends.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace pnode::model {

// One network-wide sample per cycle (docs/reference-compat.md §3.5, plus online_pnodes).
struct NetworkHistoryRow {
  int64_t timestamp = 0;
  int64_t total_pnodes = 0;
  int64_t online_pnodes = 0;
  int64_t total_ip_nodes = 0;
  int64_t public_pnodes = 0;
  int64_t private_pnodes = 0;
  double avg_cpu_percent = 0;
  double avg_ram_used_percent = 0;
  uint64_t total_active_streams = 0;
  uint64_t total_bytes_processed = 0;
  uint64_t total_storage_committed = 0;
  uint64_t total_storage_used = 0;
  double avg_storage_usage_percent = 0;
  double storage_utilization_ratio = 0;
  double avg_peer_count = 0;
  std::map<std::string, int64_t> version_distribution;

  bool operator==(const NetworkHistoryRow&) const = default;
};

// One node's sample per cycle (docs/reference-compat.md §3.6 with real scores and online flag).
struct NodeHistoryRow {
  std::string address;
  int64_t timestamp = 0;
  bool is_online = true;
  bool is_public = false;
  std::string version;
  uint64_t uptime = 0;
  uint64_t storage_committed = 0;
  uint64_t storage_used = 0;
  double storage_usage_percent = 0;
  int64_t peer_count = 0;
  double score = 0;
  double trust_score = 0;
  double capacity_score = 0;

  bool operator==(const NodeHistoryRow&) const = default;
};

}  // namespace pnode::model
