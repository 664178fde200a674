#include "collect/node_memory.h"

#include <algorithm>

namespace pnode::collect {

void NodeMemory::rename(const std::string& from, const std::string& to) {
  auto it = nodes_.find(from);
  if (it == nodes_.end() || nodes_.count(to)) return;
  Node moved = std::move(it->second);
  nodes_.erase(it);
  nodes_.emplace(to, std::move(moved));
  auto history = histories_.find(from);
  if (history == histories_.end()) return;
  analysis::GossipHistory flags = std::move(history->second);
  histories_.erase(history);
  histories_.emplace(to, std::move(flags));
}

void NodeMemory::record(const analysis::NodeViews& views, int64_t now) {
  ++records_;
  for (const auto& v : views.nodes) {
    Node& n = nodes_[v.address];
    n.recorded = records_;
    std::vector<bool>& flags = histories_[v.address].online_flags;
    if (flags.size() == kFlagCount) flags.erase(flags.begin());
    flags.push_back(v.is_online);
    if (!v.is_online) continue;
    if (n.storage.empty() || now - n.storage.back().timestamp >= kSampleSpacing)
      n.storage.push_back({now, v.storage_used});
    auto first_kept = std::find_if(n.storage.begin(), n.storage.end(),
                                   [&](const auto& s) { return now - s.timestamp <= kSampleWindow; });
    n.storage.erase(n.storage.begin(), first_kept);
  }
  boost::unordered::erase_if(nodes_, [this](const auto& entry) {
    if (entry.second.recorded == records_) return false;
    histories_.erase(entry.first);
    return true;
  });
}

analysis::GrowthTrends NodeMemory::growth_trends() const {
  analysis::GrowthTrends out;
  for (const auto& [address, n] : nodes_)
    if (n.storage.size() >= 2)
      out.emplace(address, analysis::growth_trend(n.storage));
  return out;
}

}  // namespace pnode::collect
