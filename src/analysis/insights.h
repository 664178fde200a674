// Everything the API serves that can be derived once per cycle from a snapshot (plus a
// little history): per-node alerts, network health and its alerts, network analytics
// with growth, and topology. Computed in the collector's cycle and attached to the
// Snapshot, so requests only filter, page and serialise. (Operators are grouped by the
// API on a snapshot's first /operators request: api/routes.h.)
// Thread-safety: pure function; the result is immutable.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/alerts.h"
#include "analysis/analytics.h"
#include "analysis/growth.h"
#include "analysis/health.h"
#include "analysis/topology.h"
#include "model/snapshot.h"
#include "model/history.h"

namespace pnode::analysis {

struct InsightInputs {
  std::optional<model::NetworkHistoryRow> current;   // this cycle's network sample
  std::optional<model::NetworkHistoryRow> day_ago;   // newest sample at or before now - 24 h
  std::optional<model::NetworkHistoryRow> week_ago;  // newest sample at or before now - 168 h
  const GossipHistories* histories = nullptr;  // recent online flags
};

struct Insights {
  std::vector<std::vector<Alert>> alerts_by_node;  // parallel to NodeViews::nodes
  NetworkHealth health;
  std::vector<NetworkAlert> network_alerts;
  NetworkAnalytics analytics;
  GrowthMetrics growth_24h;
  GrowthMetrics growth_7d;
  NetworkTopology topology;
};

// `snapshot` must have its views built.
std::shared_ptr<const Insights> derive_insights(const model::Snapshot& snapshot, const InsightInputs& inputs);

}  // namespace pnode::analysis
