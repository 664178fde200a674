#include "collect/node_memory.h"

namespace pnode::collect {

void NodeMemory::rename(const std::string& from, const std::string& to) {
  auto it = nodes_.find(from);
  if (it == nodes_.end() || nodes_.count(to)) return;
  Node moved = std::move(it->second);
  nodes_.erase(it);
  nodes_.emplace(to, std::move(moved));
}

void NodeMemory::record(const analysis::NodeViews& views, int64_t now) {
  ++records_;
  for (const auto& v : views.nodes) {
    Node& n = nodes_[v.address];
    n.recorded = records_;
    n.flags = (n.flags << 1) | (v.is_online ? 1u : 0u);
    if (n.flag_count < kFlagCount) ++n.flag_count;
    if (!v.is_online) continue;
    if (n.storage.empty() || now - n.storage.back().timestamp >= kSampleSpacing)
      n.storage.push_back({now, v.storage_used});
    while (!n.storage.empty() && now - n.storage.front().timestamp > kSampleWindow) n.storage.pop_front();
  }
  std::erase_if(nodes_, [this](const auto& entry) { return entry.second.recorded != records_; });
}

analysis::GrowthTrends NodeMemory::growth_trends() const {
  analysis::GrowthTrends out;
  for (const auto& [address, n] : nodes_)
    if (n.storage.size() >= 2)
      out.emplace(address, analysis::growth_trend(std::vector<analysis::StorageSample>(n.storage.begin(), n.storage.end())));
  return out;
}

std::unordered_map<std::string, analysis::GossipHistory> NodeMemory::gossip_histories() const {
  std::unordered_map<std::string, analysis::GossipHistory> out;
  for (const auto& [address, n] : nodes_) {
    analysis::GossipHistory h;
    for (int i = n.flag_count - 1; i >= 0; --i) h.online_flags.push_back((n.flags >> i) & 1u);  // oldest first
    out.emplace(address, std::move(h));
  }
  return out;
}

}  // namespace pnode::collect
