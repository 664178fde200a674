#include "analysis/growth.h"

#include <algorithm>

#include "analysis/readable_time.h"
#include "util/py_format.h"
#include "util/saturating.h"

namespace pnode::analysis {
namespace {

template <class Count>
double growth_percent(Count start, Count end) {
  if (start <= 0) return 0;
  double s = static_cast<double>(start);
  return py_round((static_cast<double>(end) - s) / s * 100, 2);
}

int64_t difference(uint64_t start, uint64_t end) { return saturating_difference(start, end); }

std::string growth_trend_word(double change) { return change > 0 ? "growing" : change < 0 ? "declining" : "stable"; }

}  // namespace

GrowthMetrics growth_between(const std::optional<model::NetworkHistoryRow>& past,
                             const std::optional<model::NetworkHistoryRow>& current, int64_t period_hours) {
  GrowthMetrics g;
  if (!past || !current) return g;
  g.available = true;
  g.period_hours = period_hours;
  g.comparison = {past->timestamp, current->timestamp, utc_readable(past->timestamp), utc_readable(current->timestamp)};
  g.nodes = {past->total_pnodes, current->total_pnodes, current->total_pnodes - past->total_pnodes,
             growth_percent(past->total_pnodes, current->total_pnodes)};
  g.storage = {past->total_storage_committed, current->total_storage_committed,
               difference(past->total_storage_committed, current->total_storage_committed),
               growth_percent(past->total_storage_committed, current->total_storage_committed)};
  g.network_health = {past->avg_peer_count, current->avg_peer_count,
                      py_round(current->avg_peer_count - past->avg_peer_count, 2)};
  return g;
}

NetworkHistorySummary summarize_network_history(const std::vector<model::NetworkHistoryRow>& rows,
                                                int64_t time_range_hours) {
  NetworkHistorySummary s;
  s.data_points = static_cast<int64_t>(rows.size());
  s.time_range_hours = time_range_hours;
  if (rows.empty()) return s;
  auto by_time = [](const auto& a, const auto& b) { return a.timestamp < b.timestamp; };
  const model::NetworkHistoryRow& first = *std::min_element(rows.begin(), rows.end(), by_time);
  const model::NetworkHistoryRow& last = *std::max_element(rows.begin(), rows.end(), by_time);
  HistoryTrends t;
  t.start_timestamp = first.timestamp;
  t.end_timestamp = last.timestamp;
  t.start_time_readable = utc_readable(first.timestamp);
  t.end_time_readable = utc_readable(last.timestamp);
  int64_t nodes = last.total_pnodes - first.total_pnodes;
  t.node_growth = {first.total_pnodes, last.total_pnodes, nodes, growth_percent(first.total_pnodes, last.total_pnodes),
                   growth_trend_word(static_cast<double>(nodes))};
  int64_t bytes = difference(first.total_storage_committed, last.total_storage_committed);
  t.storage_growth = {first.total_storage_committed, last.total_storage_committed, bytes,
                      growth_percent(first.total_storage_committed, last.total_storage_committed),
                      growth_trend_word(static_cast<double>(bytes))};
  double peers = last.avg_peer_count - first.avg_peer_count;
  t.network_health = {py_round(first.avg_peer_count, 2), py_round(last.avg_peer_count, 2), py_round(peers, 2),
                      peers > 0 ? "improving" : peers < 0 ? "declining" : "stable"};
  auto start_versions = static_cast<int64_t>(first.version_distribution.size());
  auto end_versions = static_cast<int64_t>(last.version_distribution.size());
  t.version_stability = {start_versions, end_versions,
                         end_versions < start_versions   ? "improving"
                         : end_versions > start_versions ? "fragmenting"
                                                         : "stable"};
  s.trends = std::move(t);
  return s;
}

}  // namespace pnode::analysis
