// Operator intelligence (docs/reference-compat.md §6.1, /operators §1.4.10): nodes grouped
// by pubkey (the address when the pubkey is empty), with counts, storage sums, addresses and the
// versions they run, and a decentralisation summary.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/node_view.h"

namespace pnode::analysis {

struct Operator {
  std::string pubkey;                  // the grouping key
  int64_t node_count = 0;
  int64_t online_nodes = 0;
  uint64_t total_storage_committed = 0;
  uint64_t total_storage_used = 0;
  std::vector<std::string> addresses;  // in node-list order
  std::vector<std::string> versions;   // distinct, sorted (the reference's set order was arbitrary)
  int64_t first_seen = 0;              // the smallest first_seen of its nodes
};

// Over the operators with node_count >= min_nodes, before the limit. With no operator
// the reference writes the three ratios as integers 0, 0 and 100 (total_operators == 0
// tells the serialiser).
struct OperatorSummary {
  int64_t total_operators = 0;
  int64_t total_nodes = 0;
  double avg_nodes_per_operator = 0;          // round(total_nodes / total_operators, 2)
  double largest_operator_share_percent = 0;  // round(top node_count / total_nodes * 100, 2)
  double decentralization_score = 100;        // round(100 - share, 2)
};

struct OperatorReport {
  OperatorSummary summary;
  std::vector<Operator> operators;  // node_count descending (ties in first-appearance order), first `limit`
};

// `nodes` is the unified list (online and offline) in build order.
OperatorReport group_operators(const std::vector<NodeView>& nodes, int64_t min_nodes, size_t limit);

}  // namespace pnode::analysis
