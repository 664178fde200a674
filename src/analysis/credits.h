// Pod credits and reward eligibility. Credits come from the network's pod-credits sources,
// one list for mainnet and one for devnet (+1 per heartbeat, -100 per missed data
// operation, reset each month). The network's rule, as its team describes it: a pod is
// eligible for the epoch's rewards when its credits reach about 80 % of the 95th
// percentile of all pods' credits on its network. Both constants are settings
// (CreditRules); the percentile is the nearest-rank one over the pods listed, and a pod
// with zero or negative credits is never eligible (a month's first minutes, when the
// percentile is still 0, make nobody eligible rather than everybody).
// A pubkey is classified by the list it appears in; one in both lists is kBoth and is
// judged against the mainnet list.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/pod.h"

namespace pnode::analysis {

struct CreditRules {
  double percentile = 95;       // of the network's credits, nearest rank (0 < p <= 100)
  double fraction = 0.8;        // of that percentile, needed to be eligible
};

enum class CreditNetwork { kMainnet, kDevnet, kBoth };
const char* credit_network_name(CreditNetwork network);  // "mainnet" | "devnet" | "both"

struct NetworkCredits {
  size_t pods = 0;
  double percentile_value = 0;  // the credits at the rule's percentile
  double threshold = 0;         // fraction x percentile_value
  size_t eligible = 0;
};

struct CreditStanding {
  double credits = 0;
  CreditNetwork network = CreditNetwork::kDevnet;
  double threshold = 0;  // of the network it was judged on
  bool eligible = false;
};

struct CreditsView {
  NetworkCredits mainnet, devnet;
  std::unordered_map<std::string, CreditStanding> by_pubkey;
};

// The nearest-rank percentile of `values` (0 for none).
double nearest_rank_percentile(std::vector<double> values, double percentile);

CreditsView assess_credits(const std::vector<model::PodCredit>& mainnet, const std::vector<model::PodCredit>& devnet,
                           const CreditRules& rules = {});

}  // namespace pnode::analysis
