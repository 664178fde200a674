#include "analysis/risk_factors.h"

#include <algorithm>

#include "analysis/scoring.h"
#include "util/py_format.h"

namespace pnode::analysis {

std::vector<RiskFactor> risk_factors(const NodeScores& s) {
  // The maxima are scoring.cc's; risk_factors_test checks that full marks leave nothing.
  const RiskFactor all[] = {
      {"uptime", "trust", s.trust.uptime, 40, 0},
      {"gossip_presence", "trust", s.trust.gossip_presence, 30, 0},
      {"version_compliance", "trust", static_cast<double>(s.trust.version_compliance), 20, 0},
      {"gossip_consistency", "trust", s.trust.gossip_consistency, 10, 0},
      {"storage_committed", "capacity", s.capacity.storage_committed, 30, 0},
      {"usage_balance", "capacity", s.capacity.usage_balance, 40, 0},
      {"growth_trend", "capacity", s.capacity.growth_trend, 30, 0},
  };
  std::vector<RiskFactor> out;
  for (RiskFactor f : all) {
    double weight = f.score == "trust" ? kTrustWeight : kCapacityWeight;
    f.composite_lost = py_round((f.max - f.points) * weight, 2);
    if (f.composite_lost > 0) out.push_back(f);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const RiskFactor& a, const RiskFactor& b) { return a.composite_lost > b.composite_lost; });
  return out;
}

}  // namespace pnode::analysis
