#include "analysis/operators.h"

#include <algorithm>

#include "util/flat_map.h"
#include "util/py_format.h"
#include "util/saturating.h"

namespace pnode::analysis {
namespace {

void add_node(Operator& op, const NodeView& n) {
  op.node_count += 1;
  op.online_nodes += n.is_online;
  saturating_accumulate(op.total_storage_committed, n.storage_committed);
  saturating_accumulate(op.total_storage_used, n.storage_used);
  op.addresses.push_back(n.address);
  if (!n.version.empty() && std::find(op.versions.begin(), op.versions.end(), n.version) == op.versions.end())
    op.versions.push_back(n.version);
  op.first_seen = std::min(op.first_seen, n.first_seen);
}

std::string_view operator_key(const NodeView& n) {
  return n.pubkey.empty() ? std::string_view(n.address) : std::string_view(n.pubkey);
}

// The operators with at least `min_nodes` nodes, in order of first appearance. With a
// minimum above one, keys are counted first: most pubkeys run one node, and building their
// groups (names, address and version lists) only to drop them cost tens of thousands of
// allocations at 10k nodes. The insights keep every operator, so they skip that pass.
std::vector<Operator> group_by_key(const std::vector<NodeView>& nodes, int64_t min_nodes) {
  struct Slot {
    int64_t count = 0;
    size_t group = static_cast<size_t>(-1);
  };
  FlatViewMap<Slot> slots;
  slots.reserve(nodes.size());
  const bool counted = min_nodes > 1;
  size_t kept = nodes.size();
  if (counted) {
    for (const auto& n : nodes) slots[operator_key(n)].count += 1;
    kept = static_cast<size_t>(std::count_if(slots.begin(), slots.end(), [&](const auto& s) { return s.second.count >= min_nodes; }));
  }
  std::vector<Operator> groups;
  groups.reserve(kept);
  for (const auto& n : nodes) {
    Slot& slot = slots[operator_key(n)];
    if (counted && slot.count < min_nodes) continue;
    if (slot.group == static_cast<size_t>(-1)) {
      slot.group = groups.size();
      groups.push_back(Operator{std::string(operator_key(n)), 0, 0, 0, 0, {}, {}, n.first_seen});
    }
    add_node(groups[slot.group], n);
  }
  for (auto& g : groups) std::sort(g.versions.begin(), g.versions.end());
  return groups;
}

OperatorSummary summarize(const std::vector<Operator>& ops) {
  OperatorSummary s;
  s.total_operators = static_cast<int64_t>(ops.size());
  for (const auto& op : ops) s.total_nodes += op.node_count;
  if (ops.empty()) return s;
  double total = static_cast<double>(s.total_nodes);
  s.avg_nodes_per_operator = py_round(total / static_cast<double>(ops.size()), 2);
  double share = static_cast<double>(ops.front().node_count) / total * 100;
  s.largest_operator_share_percent = py_round(share, 2);
  s.decentralization_score = py_round(100 - s.largest_operator_share_percent, 2);
  return s;
}

}  // namespace

OperatorReport group_operators(const std::vector<NodeView>& nodes, int64_t min_nodes, size_t limit) {
  std::vector<Operator> groups = group_by_key(nodes, min_nodes);
  std::stable_sort(groups.begin(), groups.end(),
                   [](const Operator& a, const Operator& b) { return a.node_count > b.node_count; });
  OperatorReport report;
  report.summary = summarize(groups);
  if (groups.size() > limit) groups.resize(limit);
  report.operators = std::move(groups);
  return report;
}

}  // namespace pnode::analysis
