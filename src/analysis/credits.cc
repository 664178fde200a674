#include "analysis/credits.h"

#include <algorithm>
#include <cmath>

namespace pnode::analysis {
namespace {

NetworkCredits judge(const std::vector<model::PodCredit>& list, const CreditRules& rules) {
  NetworkCredits out;
  out.pods = list.size();
  std::vector<double> values;
  values.reserve(list.size());
  for (const auto& pod : list) values.push_back(pod.credits);
  out.percentile_value = nearest_rank_percentile(std::move(values), rules.percentile);
  out.threshold = rules.fraction * out.percentile_value;
  return out;
}

bool is_eligible(double credits, double threshold) { return credits > 0 && credits >= threshold; }

}  // namespace

const char* credit_network_name(CreditNetwork network) {
  switch (network) {
    case CreditNetwork::kMainnet: return "mainnet";
    case CreditNetwork::kDevnet: return "devnet";
    case CreditNetwork::kBoth: return "both";
  }
  return "devnet";
}

double nearest_rank_percentile(std::vector<double> values, double percentile) {
  if (values.empty()) return 0;
  const double p = std::clamp(percentile, 0.0, 100.0);
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  rank = std::clamp<size_t>(rank, 1, values.size());
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank - 1), values.end());
  return values[rank - 1];
}

CreditsView assess_credits(const std::vector<model::PodCredit>& mainnet, const std::vector<model::PodCredit>& devnet,
                           const CreditRules& rules) {
  CreditsView view;
  view.mainnet = judge(mainnet, rules);
  view.devnet = judge(devnet, rules);
  for (const auto& pod : devnet) {
    const bool eligible = is_eligible(pod.credits, view.devnet.threshold);
    view.by_pubkey[pod.pod_id] = CreditStanding{pod.credits, CreditNetwork::kDevnet, view.devnet.threshold, eligible};
    view.devnet.eligible += eligible;
  }
  for (const auto& pod : mainnet) {
    const bool eligible = is_eligible(pod.credits, view.mainnet.threshold);
    auto [at, inserted] = view.by_pubkey.try_emplace(pod.pod_id);
    at->second = CreditStanding{pod.credits, inserted ? CreditNetwork::kMainnet : CreditNetwork::kBoth,
                                view.mainnet.threshold, eligible};
    view.mainnet.eligible += eligible;
  }
  return view;
}

}  // namespace pnode::analysis
