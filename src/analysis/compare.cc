#include "analysis/compare.h"

#include <algorithm>
#include <cassert>
#include <unordered_map>

#include "util/py_format.h"

namespace pnode::analysis {
namespace {

// The node with the strictly greatest value, starting from the first (ties: first listed).
template <class Value>
const NodeView* best_by(const std::vector<const NodeView*>& nodes, Value value) {
  const NodeView* best = nodes.front();
  for (const NodeView* n : nodes)
    if (value(*n) > value(*best)) best = n;
  return best;
}

CompareWinners pick_winners(const std::vector<const NodeView*>& nodes) {
  const NodeView* overall = best_by(nodes, [](const NodeView& n) { return n.score(); });
  const NodeView* trust = best_by(nodes, [](const NodeView& n) { return n.scores.trust.score; });
  const NodeView* capacity = best_by(nodes, [](const NodeView& n) { return n.scores.capacity.score; });
  const NodeView* uptime = best_by(nodes, [](const NodeView& n) { return n.uptime; });
  const NodeView* storage = best_by(nodes, [](const NodeView& n) { return n.storage_committed; });
  const NodeView* peers = best_by(nodes, [](const NodeView& n) { return n.peer_count(); });
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
  return CompareWinners{
      {overall->address, overall->score(), "Best overall performance"},
      {trust->address, trust->scores.trust.score, "Most reliable/trustworthy"},
      {capacity->address, capacity->scores.capacity.score, "Best storage capacity management"},
      {uptime->address, uptime->uptime, py_round(static_cast<double>(uptime->uptime) / 86400, 1), "Longest uptime"},
      {storage->address, storage->storage_committed,
       py_round(static_cast<double>(storage->storage_committed) / kGiB, 2), "Most storage committed"},
      {peers->address, static_cast<int64_t>(peers->peer_count()), "Best network connectivity"}};
}

std::string offline_consideration(const std::vector<const NodeView*>& nodes) {
  std::string list;
  for (const NodeView* n : nodes) {
    if (n->is_online) continue;
    if (!list.empty()) list += ", ";
    list += n->address;
  }
  return list.empty() ? list : "\xE2\x9A\xA0\xEF\xB8\x8F These nodes are currently offline: " + list;  // ⚠️
}

CompareRecommendation recommend(const CompareWinners& w, const std::vector<const NodeView*>& nodes) {
  CompareRecommendation r;
  r.recommended_node = w.overall_score.address;
  r.reason = "Highest overall score (" + py_fixed(w.overall_score.score, 1) + "/100)";
  if (w.trust_score.address != w.overall_score.address)
    r.considerations.push_back(w.trust_score.address + " has better reliability (trust score: " +
                               py_fixed(w.trust_score.score, 1) + ")");
  if (w.capacity_score.address != w.overall_score.address)
    r.considerations.push_back(w.capacity_score.address + " has better storage management (capacity score: " +
                               py_fixed(w.capacity_score.score, 1) + ")");
  if (auto offline = offline_consideration(nodes); !offline.empty()) r.considerations.push_back(offline);
  return r;
}

}  // namespace

Comparison compare_nodes(const std::vector<const NodeView*>& nodes) {
  assert(!nodes.empty());
  Comparison c;
  c.winners = pick_winners(nodes);
  c.recommendation = recommend(c.winners, nodes);
  c.summary.nodes_compared = static_cast<int64_t>(nodes.size());
  double total = 0;
  for (const NodeView* n : nodes) {
    c.summary.all_online = c.summary.all_online && n->is_online;
    total += n->score();
  }
  c.summary.avg_score = py_round(total / static_cast<double>(nodes.size()), 2);
  return c;
}

std::vector<std::string> split_address_list(std::string_view csv) {
  std::vector<std::string> out;
  auto is_space = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v'; };
  while (true) {
    size_t comma = csv.find(',');
    std::string_view item = csv.substr(0, comma);
    while (!item.empty() && is_space(item.front())) item.remove_prefix(1);
    while (!item.empty() && is_space(item.back())) item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) return out;
    csv.remove_prefix(comma + 1);
  }
}

std::vector<std::string> duplicate_addresses(const std::vector<std::string>& addresses) {
  std::unordered_map<std::string_view, int> seen;
  std::vector<std::string> out;
  for (const auto& a : addresses)
    if (++seen[a] == 2) out.push_back(a);
  return out;
}

}  // namespace pnode::analysis
