#include "analysis/recommendations.h"

#include <algorithm>

#include "util/py_format.h"

namespace pnode::analysis {
namespace {

bool passes(const NodeView& n, const RecommendationFilters& f) {
  if (!n.is_online) return false;
  if (static_cast<double>(n.uptime) < static_cast<double>(f.min_uptime_days) * 86400) return false;
  if (f.require_public && !n.is_public) return false;
  return !f.min_score || n.score() >= *f.min_score;
}

bool ranks_before(const NodeView* a, const NodeView* b) {
  if (a->score() != b->score()) return a->score() > b->score();
  if (a->uptime != b->uptime) return a->uptime > b->uptime;
  return a->address < b->address;
}

}  // namespace

StakingRecommendations recommend_for_staking(const std::vector<NodeView>& nodes, const RecommendationFilters& filters) {
  std::vector<const NodeView*> kept;
  for (const auto& n : nodes)
    if (passes(n, filters)) kept.push_back(&n);
  StakingRecommendations out;
  out.total_evaluated = static_cast<int64_t>(kept.size());
  size_t take = std::min(filters.limit, kept.size());
  std::partial_sort(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(take), kept.end(), ranks_before);
  for (size_t i = 0; i < take; ++i) {
    const NodeView* n = kept[i];
    out.items.push_back({n, py_round(static_cast<double>(n->uptime) / 86400, 1), py_round(n->storage_usage_percent, 2)});
  }
  return out;
}

}  // namespace pnode::analysis
