#include "analysis/node_history.h"

#include <algorithm>
#include <numeric>

#include "analysis/readable_time.h"
#include "util/py_format.h"
#include "util/saturating.h"

namespace pnode::analysis {
namespace {

int64_t signed_change(uint64_t from, uint64_t to) { return saturating_difference(from, to); }

double percent(int64_t part, int64_t total) {
  return py_round(static_cast<double>(part) / static_cast<double>(total) * 100, 2);
}

int64_t count_online(NodeSamples rows) {
  return std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.is_online; });
}

NodeHistoryTrends trends_between(const model::NodeHistorySample& first, const model::NodeHistorySample& last) {
  NodeHistoryTrends t;
  t.uptime_change_seconds = signed_change(first.uptime, last.uptime);
  t.uptime_change_hours = py_round(static_cast<double>(t.uptime_change_seconds) / 3600, 1);
  t.storage_used_change_bytes = signed_change(first.storage_used, last.storage_used);
  t.storage_used_change_gb = py_round(static_cast<double>(t.storage_used_change_bytes) / (1024.0 * 1024.0 * 1024.0), 2);
  double change = last.score - first.score;
  t.score_change = py_round(change, 2);
  t.score_trend = change > 0 ? "improving" : change < 0 ? "declining" : "stable";
  return t;
}

std::vector<const model::NodeHistorySample*> by_time(NodeSamples rows) {
  std::vector<const model::NodeHistorySample*> ordered;
  for (const auto& r : rows) ordered.push_back(&r);
  std::stable_sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->timestamp < b->timestamp; });
  return ordered;
}

}  // namespace

std::optional<NodeHistoryAnalysis> analyse_node_history(NodeSamples rows) {
  if (rows.empty()) return std::nullopt;
  auto ordered = by_time(rows);
  const model::NodeHistorySample& first = *ordered.front();
  const model::NodeHistorySample& last = *ordered.back();
  NodeHistoryAnalysis h;
  h.data_points = static_cast<int64_t>(rows.size());
  h.time_range = {first.timestamp, last.timestamp, utc_readable(first.timestamp), utc_readable(last.timestamp)};
  h.trends = trends_between(first, last);
  int64_t online = count_online(rows);
  h.availability = {online, h.data_points - online, h.data_points, percent(online, h.data_points)};
  h.current_status = {last.is_online, last.score, last.uptime, last.storage_usage_percent};
  return h;
}

std::optional<NodeMetricsSummary> summarize_node_metrics(NodeSamples rows) {
  if (rows.empty()) return std::nullopt;
  NodeMetricsSummary m;
  auto n = static_cast<int64_t>(rows.size());
  m.snapshots_analyzed = n;
  m.availability_percent = percent(count_online(rows), n);
  std::vector<double> scores;
  double usage = 0, peers = 0;
  for (const auto& r : rows) {
    if (r.score > 0) scores.push_back(r.score);
    usage += r.storage_usage_percent;
    peers += static_cast<double>(r.peer_count);
  }
  m.avg_storage_usage = py_round(usage / static_cast<double>(n), 2);
  m.avg_peer_count = py_round(peers / static_cast<double>(n), 2);
  if (scores.empty()) return m;
  double sum = std::accumulate(scores.begin(), scores.end(), 0.0);
  m.avg_score = py_round(sum / static_cast<double>(scores.size()), 2);
  auto [low, high] = std::minmax_element(scores.begin(), scores.end());
  m.min_score = *low;
  m.max_score = *high;
  return m;
}

std::vector<bool> online_flags(NodeSamples rows) {
  std::vector<bool> flags;
  for (const auto* r : by_time(rows)) flags.push_back(r->is_online);
  return flags;
}

std::vector<StorageSample> storage_samples(NodeSamples rows) {
  std::vector<StorageSample> samples;
  samples.reserve(rows.size());
  for (const auto& r : rows) samples.push_back({r.timestamp, r.storage_used});
  return samples;
}

}  // namespace pnode::analysis
