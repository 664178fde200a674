// Staking recommendations (docs/reference-compat.md §1.4.7, ranking §4.6): online nodes
// with enough uptime (optionally public, optionally above a minimum score), best
// composite score first; ties by uptime descending, then address ascending
// (deterministic, unlike the reference's unspecified tie order).
// Thread-safety: pure function; the result points into the node list it was given.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "analysis/node_view.h"

namespace pnode::analysis {

struct RecommendationFilters {
  int64_t min_uptime_days = 7;       // 1-365 (validated by the caller)
  bool require_public = false;
  std::optional<double> min_score;   // documented by the reference but never implemented there
  size_t limit = 10;                 // 1-50
};

// One item. The JSON item is: address, pubkey, score (composite), tier, scores
// {trust: number, capacity: number, breakdown {trust {...}, capacity {...}}},
// uptime_days, version, storage_usage_percent, is_public, peer_count, first_seen,
// last_seen — all read from `node` except the two rounded values below.
struct StakingRecommendation {
  const NodeView* node = nullptr;     // valid while the node list lives
  double uptime_days = 0;             // round(uptime / 86400, 1)
  double storage_usage_percent = 0;   // round(storage_usage_percent, 2)
};

struct StakingRecommendations {
  std::vector<StakingRecommendation> items;  // at most filters.limit
  int64_t total_evaluated = 0;               // nodes that passed the filters, before limit
};

StakingRecommendations recommend_for_staking(const std::vector<NodeView>& nodes, const RecommendationFilters& filters);

}  // namespace pnode::analysis
