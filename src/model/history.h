// The history samples kept for every cycle: one network-wide row and one row per node.
// Written by the collector, stored by the store, read back by the analysis of trends.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

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

// One node's sample per cycle without its address (docs/reference-compat.md §3.6 with real
// scores and online flag).
struct NodeHistorySample {
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

  bool operator==(const NodeHistorySample&) const = default;
};

// A sample as the collector writes it: with the address of its node.
struct NodeHistoryRow : NodeHistorySample {
  std::string address;

  bool operator==(const NodeHistoryRow&) const = default;
};

// One node's history as a store reads it back: the address once (a month is ~43,000
// samples), the samples oldest first.
struct NodeHistory {
  std::string address;
  std::vector<NodeHistorySample> samples;

  bool operator==(const NodeHistory&) const = default;
};

}  // namespace pnode::model
