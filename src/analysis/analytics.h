// Network analytics (/network/analytics, docs/reference-compat.md §1.4.13 and §6.4) over
// the online nodes (the merged gossip view; offline nodes in the list are ignored):
// public share, version compliance, storage and connectivity buckets, and the five
// recommendation rules.
// The growth part of the response comes from growth.h.
// Fix of §9.10: "latest" is the derived latest version everywhere (the reference
// hard-coded "0.7.0" here and recommended upgrading to v0.8.0). A node is compliant when
// version_gap(version, latest) == 0: the same major.minor line or newer, suffixed builds
// ("0.8.0-trynet…") included. outdated_count counts nodes behind the latest line
// (gap >= 1); unparsable versions ("unknown") are neither.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/node_view.h"

namespace pnode::analysis {

// Percentages below are 0 when there are no online nodes (N = 0).
struct CurrentState {
  int64_t total_pnodes = 0;
  int64_t public_nodes = 0;
  int64_t private_nodes = 0;
  double public_ratio_percent = 0;  // round(P / N * 100, 2)
};

struct VersionAnalysis {
  std::vector<std::pair<std::string, int64_t>> distribution;  // first-occurrence order
  std::string latest_version;
  int64_t latest_version_count = 0;  // compliant nodes (gap 0)
  int64_t outdated_count = 0;        // gap >= 1
  double compliance_percent = 0;     // round(k / N * 100, 2)
  int64_t fragmentation_index = 0;   // distinct versions
  std::string health;                // good > 70, fair > 50, else poor
};

struct StorageBuckets {  // by storage_usage_percent: <10, <30, <70, <90, >=90
  int64_t empty = 0;
  int64_t low = 0;
  int64_t optimal = 0;
  int64_t high = 0;
  int64_t critical = 0;
};

struct StorageAnalysis {
  StorageBuckets distribution;
  int64_t optimal_nodes = 0;
  double optimal_percent = 0;  // round(optimal / N * 100, 2)
  int64_t critical_nodes = 0;
  std::string health;  // good when optimal > critical, else fair
};

struct ConnectivityBuckets {  // by peer count: <=1, 2, <=4, >=5
  int64_t isolated = 0;
  int64_t weak = 0;
  int64_t good = 0;
  int64_t excellent = 0;
};

struct ConnectivityAnalysis {
  ConnectivityBuckets distribution;
  int64_t well_connected = 0;  // good + excellent
  double well_connected_percent = 0;
  int64_t isolated_nodes = 0;
  std::string health;  // good when isolated < 0.1 N, else fair
};

// {category, severity, message, action}; severities high | medium | low | info.
struct AnalyticsRecommendation {
  std::string category;
  std::string severity;
  std::string message;
  std::string action;

  bool operator==(const AnalyticsRecommendation&) const = default;
};

struct NetworkAnalytics {
  CurrentState current_state;
  VersionAnalysis version_analysis;
  StorageAnalysis storage_analysis;
  ConnectivityAnalysis connectivity_analysis;
  std::vector<AnalyticsRecommendation> recommendations;  // never empty
};

NetworkAnalytics network_analytics(const std::vector<NodeView>& nodes, std::string_view latest_version);

}  // namespace pnode::analysis
