// JSON views of the unified node list (docs/reference-compat.md §1.3, §1.4.6), shared by every
// route that shows nodes: one node with its scores, in the reference's exact field order
// and JSON types; and the list-level summary and network_stats blocks of /pnodes (which
// /network/health repeats). Everything reads the precomputed NodeViews of a Snapshot;
// nothing here scores or sorts.
// Thread-safety: pure functions of immutable data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/node_view.h"
#include "model/snapshot.h"
#include "util/json_writer.h"

namespace pnode::api {

// Whether a node carries computed scores (false for offline and unscored nodes, whose
// scores the reference writes as integer zeros with empty breakdowns).
bool has_real_scores(const analysis::NodeScores& scores);

// {"trust":{...},"capacity":{...},"stake_confidence":{...}}. Offline (and unscored) nodes
// get the reference's zero form: integer zeros, empty breakdowns, and no color or emoji.
void write_scores(JsonWriter& w, const analysis::NodeScores& scores);

// The breakdown objects alone: {"uptime","gossip_presence","version_compliance" (int),
// "gossip_consistency"} and {"storage_committed","usage_balance","growth_trend"}; {} for
// nodes without real scores.
void write_trust_breakdown(JsonWriter& w, const analysis::NodeScores& scores);
void write_capacity_breakdown(JsonWriter& w, const analysis::NodeScores& scores);

// key: value, or key: 0 (an integer) for a node without real scores.
void write_score_field(JsonWriter& w, std::string_view key, const analysis::NodeScores& scores, double value);

// Scoring v2 (analysis/scoring_v2.h, docs/scoring.md), written beside the reference's
// fields: "score_v2" is the number (null for a node without one: offline); the breakdown is
// {"score","known_weight","factors":{<name>:{"value","weight","contribution"}},"unknown":[names]}
// with factors in kFactorsV2 order, value null when its input was unknown, or null.
void write_score_v2_field(JsonWriter& w, const analysis::NodeView& node);
void write_score_v2_breakdown(JsonWriter& w, const analysis::ScoreV2* score);

// ["seed", ...]: peer_sources (indices into snapshot.seeds) as the configured seed strings.
void write_peer_sources(JsonWriter& w, const std::vector<uint16_t>& peer_sources, const model::Snapshot& snapshot);

// One unified node object. Online and offline nodes have the reference's two forms (the
// offline one adds offline_duration = last_checked - last_seen after last_checked).
// peer_sources are written as the seed strings of snapshot.seeds.
void write_node(JsonWriter& w, const analysis::NodeView& node, const model::Snapshot& snapshot);

// The status-independent aggregates of /pnodes: counts over every node, online and
// offline (the documented fix of the reference's status-dependent counts).
struct NetworkStats {
  uint64_t total_storage_committed = 0;  // over all nodes (offline: last known values)
  uint64_t total_storage_used = 0;
  std::optional<double> avg_uptime_hours;  // over online nodes; nullopt (JSON 0) when none
  std::vector<std::pair<std::string, int64_t>> version_distribution;  // online, first-seen order
  // Not in the reference: the online nodes' storage, the definition of the network-history
  // rows, so a headline figure can match the charts drawn from them.
  uint64_t online_storage_committed = 0;
  uint64_t online_storage_used = 0;
};
NetworkStats compute_network_stats(const analysis::NodeViews& views);
void write_network_stats(JsonWriter& w, const NetworkStats& stats);

// The snapshot time the API reports: the summary's last_updated, else the snapshot's,
// else `now` (the reference's default when it is missing).
int64_t snapshot_last_updated(const model::Snapshot& snapshot, int64_t now);

// {"total_pnodes","online_pnodes","offline_pnodes","snapshot_age_seconds","last_updated"}.
void write_pnodes_summary(JsonWriter& w, const analysis::NodeViews& views, const model::Snapshot& snapshot,
                          int64_t now);

}  // namespace pnode::api
