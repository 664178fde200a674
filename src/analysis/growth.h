// Network growth from the history samples the store keeps (one NetworkHistoryRow per
// cycle): the growth between two samples (/network/growth and the growth part of
// /network/analytics, docs/reference-compat.md §1.4.12) and the summary of a window of samples
// (/network/history, §1.4.11). The caller reads the samples from the store; nothing
// here touches it. Node counts are total_pnodes (the merged view's size); storage is
// total_storage_committed; connectivity is avg_peer_count.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/history.h"

namespace pnode::analysis {

inline constexpr const char* kInsufficientHistoryMessage = "Insufficient historical data for growth calculation";
inline constexpr const char* kNoHistoryMessage =
    "No historical data available yet. Wait a few minutes for snapshots to accumulate.";

// Growth percentages are round((end - start) / start * 100, 2), or 0 when start is 0.

struct GrowthComparison {  // JSON "comparison"
  int64_t start_time = 0;
  int64_t end_time = 0;
  std::string start_time_readable;  // UTC, readable_time.h
  std::string end_time_readable;
};
struct NodeCountGrowth {  // JSON "nodes"
  int64_t start_count = 0;
  int64_t end_count = 0;
  int64_t growth = 0;
  double growth_percent = 0;
};
struct CommittedGrowth {  // JSON "storage"
  uint64_t start_committed = 0;
  uint64_t end_committed = 0;
  int64_t growth = 0;
  double growth_percent = 0;
};
struct PeerCountChange {  // JSON "network_health"
  double start_peer_count = 0;
  double end_peer_count = 0;
  double peer_count_change = 0;  // round(end - start, 2)
};

// G of §1.4.12. available == false means the reference's
// {"available":false,"message":kInsufficientHistoryMessage}; the other fields are unset.
struct GrowthMetrics {
  bool available = false;
  int64_t period_hours = 0;
  GrowthComparison comparison;
  NodeCountGrowth nodes;
  CommittedGrowth storage;
  PeerCountChange network_health;
};

// `past` is the newest sample at or before now - hours*3600, `current` the newest at or
// before now (Store::network_sample_at_or_before). Either missing: not available.
GrowthMetrics growth_between(const std::optional<model::NetworkHistoryRow>& past,
                             const std::optional<model::NetworkHistoryRow>& current, int64_t period_hours);

// The trends of §1.4.11: "growing" | "declining" | "stable" by the sign of the growth.
struct NodeGrowthTrend {  // JSON "node_growth"
  int64_t start_count = 0;
  int64_t end_count = 0;
  int64_t growth = 0;
  double growth_percent = 0;
  std::string trend;
};
struct StorageGrowthTrend {  // JSON "storage_growth"
  uint64_t start_committed = 0;
  uint64_t end_committed = 0;
  int64_t growth = 0;
  double growth_percent = 0;
  std::string trend;
};
struct ConnectivityTrend {  // JSON "network_health"
  double start_avg_peers = 0;      // round(·, 2)
  double end_avg_peers = 0;
  double peer_change = 0;          // round(end - start, 2)
  std::string connectivity_trend;  // improving | declining | stable (sign of the unrounded change)
};
struct VersionStability {  // JSON "version_stability"
  int64_t start_version_count = 0;  // distinct versions in the first sample
  int64_t end_version_count = 0;
  std::string stability;  // improving (fewer) | fragmenting (more) | stable
};

struct HistoryTrends {
  int64_t start_timestamp = 0;
  int64_t end_timestamp = 0;
  std::string start_time_readable;  // UTC
  std::string end_time_readable;
  NodeGrowthTrend node_growth;
  StorageGrowthTrend storage_growth;
  ConnectivityTrend network_health;
  VersionStability version_stability;
};

// /network/history's "summary". Without samples, `trends` is nullopt and the summary is
// {"data_points":0,"time_range_hours":h,"message":kNoHistoryMessage}.
struct NetworkHistorySummary {
  int64_t data_points = 0;
  int64_t time_range_hours = 0;
  std::optional<HistoryTrends> trends;
};

// `rows` in any order; the oldest and newest by timestamp are compared.
NetworkHistorySummary summarize_network_history(const std::vector<model::NetworkHistoryRow>& rows,
                                                int64_t time_range_hours);

}  // namespace pnode::analysis
