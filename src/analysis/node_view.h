// The unified node list (docs/reference-compat.md §1.3): one entry per online node of the
// snapshot and one per registry node that is not in it, each with its scores, computed
// once per cycle and shared by every endpoint that lists, filters, sorts or scores nodes.
// "Online" has one definition everywhere: the address is in the latest merged gossip
// view. Every other registry address is offline (no node vanishes between the two).
// Thread-safety: immutable after build; safe to read from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/scoring_v2.h"
#include "model/snapshot.h"
#include "util/flat_map.h"

namespace pnode::analysis {

struct TrustScore {
  double score = 0;
  double uptime = 0;
  double gossip_presence = 0;
  int version_compliance = 0;
  double gossip_consistency = 0;
};

struct CapacityScore {
  double score = 0;
  double storage_committed = 0;
  double usage_balance = 0;
  double growth_trend = 0;
};

struct StakeConfidence {
  double composite_score = 0;
  std::string rating;  // low_risk | medium_risk | high_risk | offline | unknown
  const char* color() const;  // "#10b981" etc.; empty for offline/unknown
  const char* emoji() const;  // "🟢" etc.; empty for offline/unknown
};

struct NodeScores {
  TrustScore trust;
  CapacityScore capacity;
  StakeConfidence stake;
};

// One /pnodes entry. Field names and meanings follow docs/reference-compat.md §1.3.
struct NodeView {
  std::string address;
  std::string pubkey;  // "" when unknown
  bool is_online = false;
  int64_t last_seen = 0;      // gossip last_seen_timestamp (or the cycle time)
  int64_t last_checked = 0;   // the cycle time of the snapshot
  std::string version;        // "unknown" when unknown
  uint64_t uptime = 0;        // 0 for offline nodes
  bool is_public = false;
  int64_t rpc_port = 6000;
  uint64_t storage_committed = 0;
  uint64_t storage_used = 0;
  double storage_usage_percent = 0;
  std::vector<uint16_t> peer_sources;  // indices into Snapshot::seeds (empty when offline)
  int64_t first_seen = 0;
  // Every seed that ever listed it: the registry entry's list, which NodeViews::registry
  // keeps alive (a copy per view was ~3 MB at 10k nodes); empty without an entry.
  std::span<const std::string> source_ips;
  double consistency_score = 1.0;
  NodeScores scores;  // offline: zeros with rating "offline"
  // Scoring v2 (scoring_v2.h) beside the reference's scores; null for offline nodes. Held
  // apart so the many offline registry nodes carry no breakdown.
  std::shared_ptr<const ScoreV2> score_v2;
  double score() const { return scores.stake.composite_score; }
  const std::string& tier() const { return scores.stake.rating; }
  size_t peer_count() const { return peer_sources.size(); }
};

// Sort keys accepted by /pnodes?sort_by= (a closed list: one precomputed order each).
// kScoreV2 ranks nodes without a v2 score (offline) below every scored one.
enum class SortKey { kLastSeen, kUptime, kScore, kStorageUsed, kStorageUsagePercent, kFirstSeen, kScoreV2 };
inline constexpr size_t kSortKeyCount = 7;
std::optional<SortKey> parse_sort_key(std::string_view name);

struct NodeViews;
// Fills `views`' address index and its sort orders (by each key, descending and ascending,
// ties by address ascending) from `views.nodes`; build_node_views() ends with it.
void index_node_views(NodeViews& views);

// Not copyable: by_address points into nodes.
struct NodeViews {
  NodeViews() = default;
  NodeViews(const NodeViews&) = delete;
  NodeViews& operator=(const NodeViews&) = delete;

  std::vector<NodeView> nodes;  // online nodes (snapshot order) then offline (address order)
  size_t online_count = 0;
  // For each sort key, positions into `nodes` ordered by that key (descending and
  // ascending), ties broken by address ascending in both, so pages are deterministic.
  std::array<std::vector<uint32_t>, kSortKeyCount> desc_order;
  std::array<std::vector<uint32_t>, kSortKeyCount> asc_order;
  std::string latest_version;  // the version the network converged on (see version.h)

  FlatViewMap<uint32_t> by_address;  // views into nodes[i].address
  // The registry the views were built from: what their source_ips point into.
  std::shared_ptr<const model::Registry> registry;

  const NodeView* find(std::string_view address) const;
};

struct ViewOptions {
  std::string latest_version_override;  // empty: derive from the network
};

// Per-address capacity growth trend (0..1, see growth_trend.h); absent means flat (0.5).
using GrowthTrends = FlatStringMap<double>;

// What was measured of an online node from outside gossip, for scoring v2: the
// snapshot's latest probe round (reachable, connect time; a pod the guard refused counts
// as not probed) and its credits view (listed: its standing; not listed while a list was
// read: 0 credits, not eligible). Availability is left unknown here.
MeasuredInputs measured_inputs(const NodeView& node, const model::Snapshot& snapshot);

// Builds the unified list for a snapshot whose nodes, seeds and registry are filled.
std::shared_ptr<const NodeViews> build_node_views(const model::Snapshot& snapshot,
                                                  const ViewOptions& options,
                                                  const GrowthTrends* growth_trends = nullptr);

}  // namespace pnode::analysis
