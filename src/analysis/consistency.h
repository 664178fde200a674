// Gossip consistency views (docs/reference-compat.md §1.4.21 /network/consistency and
// §1.4.22 /node/{address}/consistency) over the registry's gossip counters (collect's
// registry_update keeps them: appearances, drops, last times, the score A/(A+D)).
// "is_online" follows the one definition used everywhere: the node is in the latest
// merged gossip view (NodeViews), not the reference's last_seen-within-2×TTL test.
// The two views keep the reference's two scales: 2 levels in the network table
// (flapping < 0.8 <= stable) and 3 in the node view (flapping < 0.8 <= unstable < 0.9 <= stable).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/node_view.h"
#include "model/snapshot.h"

namespace pnode::analysis {

inline constexpr double kFlappingBelow = 0.8;
inline constexpr double kUnstableBelow = 0.9;

enum class ConsistencySort { kConsistencyScore, kGossipDisappearances, kAddress };
// "consistency_score" | "gossip_disappearances" | "address".
std::optional<ConsistencySort> parse_consistency_sort(std::string_view name);

struct ConsistencyQuery {
  double min_consistency = 0;  // 0-1; when > 0 only nodes with a score >= it are listed
  ConsistencySort sort_by = ConsistencySort::kConsistencyScore;  // score descending, others ascending
  size_t limit = 100;
};

// One row of /network/consistency "nodes" (JSON keys as named; last_drop and
// last_appearance are JSON null when unknown; the time_since fields are null when the
// time is unknown or 0).
struct ConsistencyRow {
  std::string address;
  double consistency_score = 1;  // round(·, 4)
  int64_t gossip_appearances = 0;
  int64_t gossip_disappearances = 0;
  std::optional<int64_t> last_drop;
  std::optional<int64_t> last_appearance;
  std::optional<int64_t> time_since_last_drop_seconds;
  std::optional<int64_t> time_since_last_appearance_seconds;
  std::string status;  // "flapping" | "stable"
  bool is_online = false;
};

// Over every registry entry, whatever the query.
struct ConsistencySummary {
  int64_t total_nodes = 0;
  double avg_consistency_score = 0;  // round(mean, 4); 0 for an empty registry
  int64_t flapping_nodes = 0;
  int64_t stable_nodes = 0;
  int64_t total_network_appearances = 0;
  int64_t total_network_disappearances = 0;
  std::string network_health;  // excellent >= 0.9, good >= 0.8, fair >= 0.7, else poor
};

struct NetworkConsistency {
  std::vector<ConsistencyRow> nodes;           // filtered, sorted (ties by address), limited
  ConsistencySummary summary;
  std::vector<ConsistencyRow> flapping_nodes;  // the listed nodes with a score < 0.8
};

NetworkConsistency network_consistency(const std::vector<model::RegistryEntry>& registry, const NodeViews& views,
                                       const ConsistencyQuery& query, int64_t now);

// /node/{address}/consistency.
struct ConsistencyRecommendation {  // severities high | medium | warning | info
  std::string severity;
  std::string issue;
  std::string recommendation;
  std::string action;

  bool operator==(const ConsistencyRecommendation&) const = default;
};

// JSON "recent_activity". last_drop / last_appearance are the stored times (null when
// unknown); the readable (UTC, "%Y-%m-%d %H:%M:%S UTC"), seconds and hours fields are
// null when the time is unknown or 0.
struct RecentActivity {
  std::optional<int64_t> last_drop;
  std::optional<std::string> last_drop_readable;
  std::optional<int64_t> time_since_drop_seconds;
  std::optional<double> time_since_drop_hours;  // round(seconds / 3600, 2)
  std::optional<int64_t> last_appearance;
  std::optional<std::string> last_appearance_readable;
  std::optional<int64_t> time_since_appearance_seconds;
  std::optional<double> time_since_appearance_hours;
};

struct NodeConsistency {
  std::string address;
  // JSON "consistency"
  double score = 1;  // round(·, 4)
  std::string status;        // flapping | unstable | stable
  std::string status_emoji;  // 🔴 | 🟡 | 🟢
  int64_t appearances = 0;
  int64_t disappearances = 0;
  std::string ratio;  // "A:D"
  int64_t total_events = 0;
  RecentActivity recent_activity;
  std::vector<ConsistencyRecommendation> recommendations;  // never empty
  // JSON "node_info"
  bool is_online = false;
  std::string version;  // "unknown" when unknown
  int64_t first_seen = 0;
  int64_t last_seen = 0;
};

// `is_online`: whether the node is in the latest merged view (NodeViews::find()->is_online).
NodeConsistency node_consistency(const model::RegistryEntry& entry, bool is_online, int64_t now);

}  // namespace pnode::analysis
