#include "api/node_json.h"

#include "api/probe_json.h"

#include <string_view>
#include <unordered_map>

#include "util/py_format.h"
#include "util/saturating.h"

namespace pnode::api {
namespace {

void write_zero_scores(JsonWriter& w, const std::string& rating) {
  w.begin_object();
  w.key("trust").begin_object().field("score", 0).key("breakdown").begin_object().end_object().end_object();
  w.key("capacity").begin_object().field("score", 0).key("breakdown").begin_object().end_object().end_object();
  w.key("stake_confidence").begin_object().field("composite_score", 0).field("rating", rating).end_object();
  w.end_object();
}

// The reference's usage_balance is the int 40 inside the 20-80 % band and a float
// elsewhere; the formula reaches exactly 40.0 only inside the band, so 40.0 is the int.
void write_usage_balance(JsonWriter& w, double usage_balance) {
  if (usage_balance == 40.0) {
    w.field("usage_balance", 40);
  } else {
    w.field("usage_balance", usage_balance);
  }
}

}  // namespace

bool has_real_scores(const analysis::NodeScores& scores) {
  return scores.stake.rating != "offline" && scores.stake.rating != "unknown";
}

void write_trust_breakdown(JsonWriter& w, const analysis::NodeScores& scores) {
  w.begin_object();
  if (has_real_scores(scores)) {
    const analysis::TrustScore& t = scores.trust;
    w.field("uptime", t.uptime).field("gossip_presence", t.gossip_presence);
    w.field("version_compliance", t.version_compliance).field("gossip_consistency", t.gossip_consistency);
  }
  w.end_object();
}

void write_capacity_breakdown(JsonWriter& w, const analysis::NodeScores& scores) {
  w.begin_object();
  if (has_real_scores(scores)) {
    const analysis::CapacityScore& c = scores.capacity;
    w.field("storage_committed", c.storage_committed);
    write_usage_balance(w, c.usage_balance);
    w.field("growth_trend", c.growth_trend);
  }
  w.end_object();
}

void write_score_field(JsonWriter& w, std::string_view key, const analysis::NodeScores& scores, double value) {
  if (has_real_scores(scores)) {
    w.field(key, value);
  } else {
    w.field(key, 0);
  }
}

void write_scores(JsonWriter& w, const analysis::NodeScores& scores) {
  if (!has_real_scores(scores)) return write_zero_scores(w, scores.stake.rating);
  w.begin_object();
  w.key("trust").begin_object().field("score", scores.trust.score).key("breakdown");
  write_trust_breakdown(w, scores);
  w.end_object();
  w.key("capacity").begin_object().field("score", scores.capacity.score).key("breakdown");
  write_capacity_breakdown(w, scores);
  w.end_object();
  w.key("stake_confidence").begin_object();
  w.field("composite_score", scores.stake.composite_score).field("rating", scores.stake.rating);
  w.field("color", scores.stake.color()).field("emoji", scores.stake.emoji());
  w.end_object();
  w.end_object();
}

void write_score_v2_field(JsonWriter& w, const analysis::NodeView& node) {
  w.field("score_v2", node.score_v2 ? std::optional<double>(node.score_v2->score) : std::nullopt);
}

void write_score_v2_breakdown(JsonWriter& w, const analysis::ScoreV2* score) {
  if (!score) {
    w.null();
    return;
  }
  w.begin_object().field("score", score->score).field("known_weight", score->known_weight);
  w.key("factors").begin_object();
  for (size_t i = 0; i < analysis::kFactorV2Count; ++i) {
    const analysis::FactorV2Score& f = score->factors[i];
    w.key(analysis::kFactorsV2[i].name).begin_object();
    w.field("value", f.value ? std::optional<double>(py_round(*f.value, 4)) : std::nullopt);
    w.field("weight", analysis::kFactorsV2[i].weight).field("contribution", f.contribution);
    w.end_object();
  }
  w.end_object();
  w.key("unknown").begin_array();
  for (size_t i = 0; i < analysis::kFactorV2Count; ++i)
    if (!score->factors[i].value) w.value(analysis::kFactorsV2[i].name);
  w.end_array();
  w.end_object();
}

void write_peer_sources(JsonWriter& w, const std::vector<uint16_t>& peer_sources, const model::Snapshot& snapshot) {
  w.begin_array();
  for (uint16_t seed : peer_sources)
    if (seed < snapshot.seeds.size()) w.value(snapshot.seeds[seed].seed);
  w.end_array();
}

void write_node(JsonWriter& w, const analysis::NodeView& node, const model::Snapshot& snapshot) {
  w.begin_object();
  w.field("address", node.address).field("pubkey", node.pubkey).field("is_online", node.is_online);
  w.field("last_seen", node.last_seen).field("last_checked", node.last_checked);
  if (!node.is_online) w.field("offline_duration", node.last_checked - node.last_seen);
  w.field("version", node.version).field("uptime", node.uptime).field("is_public", node.is_public);
  w.field("rpc_port", node.rpc_port);
  w.field("storage_committed", node.storage_committed).field("storage_used", node.storage_used);
  w.field("storage_usage_percent", node.storage_usage_percent);
  w.key("peer_sources");
  write_peer_sources(w, node.peer_sources, snapshot);
  w.field("peer_count", node.peer_count());
  w.field("first_seen", node.first_seen);
  w.key("source_ips").begin_array();
  for (const std::string& ip : node.source_ips) w.value(ip);
  w.end_array();
  w.key("scores");
  write_scores(w, node.scores);
  write_score_field(w, "score", node.scores, node.score());
  w.field("tier", node.tier());
  write_score_v2_field(w, node);  // not in the reference: scoring v2 beside its score
  write_node_probe_field(w, node.address, snapshot);  // what the pod answered itself, apart from gossip
  write_node_availability_field(w, node.address, snapshot);  // and how often it did
  w.end_object();
}

NetworkStats compute_network_stats(const analysis::NodeViews& views) {
  NetworkStats stats;
  double uptime_hours_sum = 0;
  size_t online = 0;
  std::unordered_map<std::string_view, size_t> version_slot;
  for (const analysis::NodeView& node : views.nodes) {
    saturating_accumulate(stats.total_storage_committed, node.storage_committed);
    saturating_accumulate(stats.total_storage_used, node.storage_used);
    if (!node.is_online) continue;
    ++online;
    stats.online_storage_committed += node.storage_committed;
    stats.online_storage_used += node.storage_used;
    uptime_hours_sum += static_cast<double>(node.uptime) / 3600.0;
    auto [it, inserted] = version_slot.emplace(node.version, stats.version_distribution.size());
    if (inserted) stats.version_distribution.emplace_back(node.version, 0);
    ++stats.version_distribution[it->second].second;
  }
  if (online > 0) stats.avg_uptime_hours = py_round(uptime_hours_sum / static_cast<double>(online), 2);
  return stats;
}

void write_network_stats(JsonWriter& w, const NetworkStats& stats) {
  w.begin_object();
  w.field("total_storage_committed", stats.total_storage_committed);
  w.field("total_storage_used", stats.total_storage_used);
  if (stats.avg_uptime_hours) {
    w.field("avg_uptime_hours", *stats.avg_uptime_hours);
  } else {
    w.field("avg_uptime_hours", 0);
  }
  w.key("version_distribution").begin_object();
  for (const auto& [version, count] : stats.version_distribution) w.field(version, count);
  w.end_object();
  w.field("online_storage_committed", stats.online_storage_committed);
  w.field("online_storage_used", stats.online_storage_used);
  w.end_object();
}

int64_t snapshot_last_updated(const model::Snapshot& snapshot, int64_t now) {
  if (snapshot.summary.last_updated != 0) return snapshot.summary.last_updated;
  if (snapshot.last_updated != 0) return snapshot.last_updated;
  return now;
}

void write_pnodes_summary(JsonWriter& w, const analysis::NodeViews& views, const model::Snapshot& snapshot,
                          int64_t now) {
  int64_t total = static_cast<int64_t>(views.nodes.size());
  int64_t online = static_cast<int64_t>(views.online_count);
  int64_t last_updated = snapshot_last_updated(snapshot, now);
  w.begin_object();
  w.field("total_pnodes", total).field("online_pnodes", online).field("offline_pnodes", total - online);
  w.field("snapshot_age_seconds", now - last_updated).field("last_updated", last_updated);
  w.end_object();
}

}  // namespace pnode::api
