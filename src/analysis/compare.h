// Side-by-side comparison of 2-5 nodes (/pnodes/compare, docs/reference-compat.md
// §1.4.20 and §6.2): the winner of six categories, a recommendation with
// considerations, and a summary.
// Fix of §9.25: each category starts from the first node (not from 0 with no address),
// so an all-zero comparison still names a node; ties go to the node listed first.
// Duplicate addresses make a meaningless comparison: the caller rejects them, using
// duplicate_addresses().
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/node_view.h"

namespace pnode::analysis {

// {"address","score","category"} for overall_score, trust_score and capacity_score.
struct ScoreWinner {
  std::string address;
  double score = 0;
  std::string category;
};
struct UptimeWinner {  // best_uptime: {"address","uptime","uptime_days","category"}
  std::string address;
  uint64_t uptime = 0;
  double uptime_days = 0;  // round(uptime / 86400, 1)
  std::string category;
};
struct StorageWinner {  // most_storage: {"address","storage","storage_gb","category"}
  std::string address;
  uint64_t storage = 0;
  double storage_gb = 0;  // round(bytes / 1024^3, 2)
  std::string category;
};
struct ConnectivityWinner {  // best_connectivity: {"address","peers","category"}
  std::string address;
  int64_t peers = 0;
  std::string category;
};

struct CompareWinners {
  ScoreWinner overall_score;  // composite score
  ScoreWinner trust_score;
  ScoreWinner capacity_score;
  UptimeWinner best_uptime;
  StorageWinner most_storage;  // storage_committed
  ConnectivityWinner best_connectivity;  // peer count
};

struct CompareRecommendation {
  std::string recommended_node;             // the overall winner
  std::string reason;                       // "Highest overall score (81.2/100)"
  std::vector<std::string> considerations;  // trust winner, capacity winner, offline nodes
};

struct CompareSummary {
  int64_t nodes_compared = 0;
  bool all_online = true;
  double avg_score = 0;  // round(mean composite, 2)
};

struct Comparison {
  CompareWinners winners;
  CompareRecommendation recommendation;
  CompareSummary summary;
};

// `nodes` in request order, at least one, no nulls.
Comparison compare_nodes(const std::vector<const NodeView*>& nodes);

// The request's `addresses`: split on ',', whitespace stripped, empty items dropped.
std::vector<std::string> split_address_list(std::string_view csv);

// Each address that appears more than once, once, in order of its first appearance.
std::vector<std::string> duplicate_addresses(const std::vector<std::string>& addresses);

}  // namespace pnode::analysis
