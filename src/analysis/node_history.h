// One node's history (the per-cycle samples the store keeps, with real scores and
// online flags): the trends, availability and current status of /node/{address}/history
// (docs/reference-compat.md §1.4.14) and the aggregates of
// /node/{address}/metrics-summary (§1.4.15);
// plus the series other analyses take from it (flapping flags, storage samples).
// The caller reads the rows from the store; nothing here touches it.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/growth_trend.h"
#include "model/history.h"

namespace pnode::analysis {

// A node's samples as Store::node_history reads them (model::NodeHistory::samples).
using NodeSamples = std::span<const model::NodeHistorySample>;

// The unavailable forms' texts (the response is a 200 with "available":false).
inline constexpr const char* kNoNodeHistoryMessage = "No historical data available for this node yet";
inline constexpr const char* kNoNodeHistoryNote =
    "History is accumulated over time. Check back after the node has been online for a while.";
inline constexpr const char* kNoMetricsMessage = "No data available for this time period";

struct NodeHistoryTimeRange {  // JSON "time_range" (the caller adds "days")
  int64_t start = 0;
  int64_t end = 0;
  std::string start_readable;  // UTC
  std::string end_readable;
};

struct NodeHistoryTrends {  // deltas are newest - oldest
  int64_t uptime_change_seconds = 0;
  double uptime_change_hours = 0;  // round(·/3600, 1)
  int64_t storage_used_change_bytes = 0;
  double storage_used_change_gb = 0;  // round(·/1024^3, 2)
  double score_change = 0;            // round(·, 2)
  std::string score_trend;            // improving | declining | stable (sign of the unrounded change)
};

struct NodeAvailability {
  int64_t online_snapshots = 0;
  int64_t offline_snapshots = 0;
  int64_t total_snapshots = 0;
  double availability_percent = 0;  // round(online / total * 100, 2)
};

struct NodeCurrentStatus {  // from the newest row
  bool is_online = false;
  double score = 0;
  uint64_t uptime = 0;
  double storage_usage_percent = 0;
};

struct NodeHistoryAnalysis {
  int64_t data_points = 0;
  NodeHistoryTimeRange time_range;
  NodeHistoryTrends trends;
  NodeAvailability availability;
  NodeCurrentStatus current_status;
};

// Rows in any order (oldest and newest by timestamp). nullopt without rows.
std::optional<NodeHistoryAnalysis> analyse_node_history(NodeSamples rows);

// The available form of metrics-summary (the caller adds time_range_hours).
struct NodeMetricsSummary {
  int64_t snapshots_analyzed = 0;
  double availability_percent = 0;  // round(online / n * 100, 2)
  double avg_score = 0;             // round(mean of the scores > 0, 2), 0 when none
  double avg_storage_usage = 0;     // round(mean storage_usage_percent, 2)
  double avg_peer_count = 0;        // round(mean peer_count, 2)
  double min_score = 0;             // over scores > 0, 0 when none
  double max_score = 0;
};

// nullopt without rows.
std::optional<NodeMetricsSummary> summarize_node_metrics(NodeSamples rows);

// The rows' is_online flags, oldest first (the flapping check's GossipHistory).
std::vector<bool> online_flags(NodeSamples rows);

// The rows' storage_used over time, for growth_trend().
std::vector<StorageSample> storage_samples(NodeSamples rows);

}  // namespace pnode::analysis
