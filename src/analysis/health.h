// Network health (docs/reference-compat.md §4.5) and the network alerts of
// /network/health (§1.4.9), over the unified node list (online and offline nodes). Node
// quality uses the scores already computed for each online node (no re-scoring).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/node_view.h"

namespace pnode::analysis {

struct HealthFactors {
  double availability = 0;         // online / total * 30
  double version_consistency = 0;  // most common online version's share * 25
  double node_quality = 0;         // mean online composite score / 100 * 25
  double connectivity = 0;         // min(mean online peer count / 3, 1) * 20
};

struct NetworkHealth {
  double health_score = 0;     // round(sum of the unrounded factors, 2)
  std::string status = "unknown";  // healthy >= 80, fair >= 60, degraded >= 40, critical, or unknown
  // nullopt for an empty node list: the reference then writes "health_score":0 (an
  // integer) and "factors":{}.
  std::optional<HealthFactors> factors;  // each factor rounded to 2 decimals
};

NetworkHealth network_health(const std::vector<NodeView>& nodes);

// {severity, type, message, recommendation}; severities "high" | "medium" (§1.4.9).
struct NetworkAlert {
  std::string severity;
  std::string type;
  std::string message;
  std::string recommendation;

  bool operator==(const NetworkAlert&) const = default;
};

inline constexpr size_t kLowNodeCount = 50;
inline constexpr size_t kVeryLowNodeCount = 30;
inline constexpr size_t kMaxHealthyVersionCount = 3;
inline constexpr double kLowHealthScore = 60;

// low_node_count, version_fragmentation (distinct online versions, "unknown" included),
// low_health_score (the score in Python repr: "55.96", "40.0"; "0" for an empty list).
std::vector<NetworkAlert> network_alerts(const std::vector<NodeView>& nodes, const NetworkHealth& health);

}  // namespace pnode::analysis
