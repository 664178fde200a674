#include "analysis/consistency.h"

#include <algorithm>

#include "analysis/readable_time.h"
#include "util/py_format.h"

namespace pnode::analysis {
namespace {

// now - t, or nullopt when t is unknown or 0 (the reference treats 0 as "never").
std::optional<int64_t> seconds_since(const std::optional<int64_t>& t, int64_t now) {
  if (!t || *t == 0) return std::nullopt;
  return now - *t;
}

bool online_in(const NodeViews& views, const std::string& address) {
  const NodeView* v = views.find(address);
  return v && v->is_online;
}

ConsistencyRow row_of(const model::RegistryEntry& e, bool is_online, int64_t now) {
  return ConsistencyRow{e.address,
                        py_round(e.consistency_score, 4),
                        e.gossip_appearances,
                        e.gossip_disappearances,
                        e.last_gossip_drop,
                        e.last_gossip_appearance,
                        seconds_since(e.last_gossip_drop, now),
                        seconds_since(e.last_gossip_appearance, now),
                        e.consistency_score < kFlappingBelow ? "flapping" : "stable",
                        is_online};
}

bool sorts_before(const model::RegistryEntry* a, const model::RegistryEntry* b, ConsistencySort key) {
  if (key == ConsistencySort::kConsistencyScore && a->consistency_score != b->consistency_score)
    return a->consistency_score > b->consistency_score;
  if (key == ConsistencySort::kGossipDisappearances && a->gossip_disappearances != b->gossip_disappearances)
    return a->gossip_disappearances < b->gossip_disappearances;
  return a->address < b->address;
}

ConsistencySummary summarize(const std::vector<model::RegistryEntry>& registry) {
  ConsistencySummary s;
  s.total_nodes = static_cast<int64_t>(registry.size());
  double sum = 0;
  for (const auto& e : registry) {
    sum += e.consistency_score;
    (e.consistency_score < kFlappingBelow ? s.flapping_nodes : s.stable_nodes) += 1;
    s.total_network_appearances += e.gossip_appearances;
    s.total_network_disappearances += e.gossip_disappearances;
  }
  double avg = registry.empty() ? 0 : sum / static_cast<double>(registry.size());
  s.avg_consistency_score = py_round(avg, 4);
  s.network_health = avg >= 0.9 ? "excellent" : avg >= 0.8 ? "good" : avg >= 0.7 ? "fair" : "poor";
  return s;
}

void fill_activity(RecentActivity& a, const model::RegistryEntry& e, int64_t now) {
  a.last_drop = e.last_gossip_drop;
  a.time_since_drop_seconds = seconds_since(e.last_gossip_drop, now);
  if (a.time_since_drop_seconds) {
    a.last_drop_readable = utc_readable(*e.last_gossip_drop);
    a.time_since_drop_hours = py_round(static_cast<double>(*a.time_since_drop_seconds) / 3600, 2);
  }
  a.last_appearance = e.last_gossip_appearance;
  a.time_since_appearance_seconds = seconds_since(e.last_gossip_appearance, now);
  if (a.time_since_appearance_seconds) {
    a.last_appearance_readable = utc_readable(*e.last_gossip_appearance);
    a.time_since_appearance_hours = py_round(static_cast<double>(*a.time_since_appearance_seconds) / 3600, 2);
  }
}

std::vector<ConsistencyRecommendation> recommendations_for(const model::RegistryEntry& e, int64_t now) {
  std::vector<ConsistencyRecommendation> out;
  double c = e.consistency_score;
  if (c < kFlappingBelow)
    out.push_back({"high", "Node is flapping (consistency: " + py_percent(c, 1) + ")",
                   "Check network stability, firewall rules, and gossip protocol configuration",
                   "Review node logs for restart patterns or network interruptions"});
  if (e.gossip_disappearances > 10)
    out.push_back({"medium", "Node has dropped from gossip " + std::to_string(e.gossip_disappearances) + " times",
                   "Investigate why the node keeps disappearing from gossip",
                   "Check for: network issues, frequent restarts, or gossip port accessibility"});
  auto since_drop = seconds_since(e.last_gossip_drop, now);
  if (since_drop && *since_drop > 0 && *since_drop < 3600)
    out.push_back({"warning",
                   "Node recently dropped from gossip (" + py_fixed(static_cast<double>(*since_drop) / 3600, 1) +
                       " hours ago)",
                   "Monitor closely for repeated drops", "Check if this is part of a flapping pattern"});
  if (out.empty())
    out.push_back({"info", "No issues detected", "Node has stable gossip presence", "Continue normal operations"});
  return out;
}

}  // namespace

std::optional<ConsistencySort> parse_consistency_sort(std::string_view name) {
  if (name == "consistency_score") return ConsistencySort::kConsistencyScore;
  if (name == "gossip_disappearances") return ConsistencySort::kGossipDisappearances;
  if (name == "address") return ConsistencySort::kAddress;
  return std::nullopt;
}

NetworkConsistency network_consistency(const std::vector<model::RegistryEntry>& registry, const NodeViews& views,
                                       const ConsistencyQuery& query, int64_t now) {
  std::vector<const model::RegistryEntry*> listed;
  for (const auto& e : registry)
    if (query.min_consistency <= 0 || e.consistency_score >= query.min_consistency) listed.push_back(&e);
  std::sort(listed.begin(), listed.end(), [&](auto* a, auto* b) { return sorts_before(a, b, query.sort_by); });
  if (listed.size() > query.limit) listed.resize(query.limit);
  NetworkConsistency out;
  for (const auto* e : listed) {
    out.nodes.push_back(row_of(*e, online_in(views, e->address), now));
    if (e->consistency_score < kFlappingBelow) out.flapping_nodes.push_back(out.nodes.back());
  }
  out.summary = summarize(registry);
  return out;
}

NodeConsistency node_consistency(const model::RegistryEntry& e, bool is_online, int64_t now) {
  NodeConsistency n;
  n.address = e.address;
  double c = e.consistency_score;
  n.score = py_round(c, 4);
  n.status = c < kFlappingBelow ? "flapping" : c < kUnstableBelow ? "unstable" : "stable";
  n.status_emoji = c < kFlappingBelow   ? "\xF0\x9F\x94\xB4"   // 🔴
                   : c < kUnstableBelow ? "\xF0\x9F\x9F\xA1"   // 🟡
                                        : "\xF0\x9F\x9F\xA2";  // 🟢
  n.appearances = e.gossip_appearances;
  n.disappearances = e.gossip_disappearances;
  n.ratio = std::to_string(n.appearances) + ":" + std::to_string(n.disappearances);
  n.total_events = n.appearances + n.disappearances;
  fill_activity(n.recent_activity, e, now);
  n.recommendations = recommendations_for(e, now);
  n.is_online = is_online;
  n.version = e.version.value_or("unknown");
  n.first_seen = e.first_seen;
  n.last_seen = e.last_seen;
  return n;
}

}  // namespace pnode::analysis
