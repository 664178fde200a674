// Why a node's stake-confidence score (and so its risk tier) sits where it does: each
// scoring factor that fell short of its maximum, with the composite points it cost,
// largest first. The dashboard's tier badges and API clients read it to explain a tier.
// Thread-safety: pure function.
#pragma once

#include <string_view>
#include <vector>

#include "analysis/node_view.h"

namespace pnode::analysis {

struct RiskFactor {
  std::string_view factor;    // the breakdown's key: "uptime", "gossip_presence", ...
  std::string_view score;     // the score it belongs to: "trust" or "capacity"
  double points = 0;          // what the factor earned
  double max = 0;             // what it could earn
  double composite_lost = 0;  // (max - points) x the score's weight in the composite, rounded to 0.01
};

// The factors below their maximum, by composite points lost (descending), then in the
// breakdown's order. Empty for a node with full marks.
std::vector<RiskFactor> risk_factors(const NodeScores& scores);

}  // namespace pnode::analysis
