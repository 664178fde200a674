#include "collect/merge.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "prpc/pod_storage.h"

namespace pnode::collect {
namespace {

int64_t gossip_time(const model::Pod& pod) { return pod.last_seen_timestamp.value_or(INT64_MIN); }

void add_source(std::vector<uint16_t>& sources, uint16_t seed) {
  auto at = std::lower_bound(sources.begin(), sources.end(), seed);
  if (at == sources.end() || *at != seed) sources.insert(at, seed);
}

// Rearranges `nodes` so that position i holds what was at order[i], in place (following
// the permutation's cycles), so the view is not moved into a second block.
void permute(std::vector<MergedNode>& nodes, std::vector<uint32_t>& order) {
  for (size_t start = 0; start < nodes.size(); ++start) {
    if (order[start] == start) continue;
    MergedNode held = std::move(nodes[start]);
    size_t at = start;
    while (order[at] != start) {
      const size_t from = order[at];
      nodes[at] = std::move(nodes[from]);
      order[at] = static_cast<uint32_t>(at);
      at = from;
    }
    nodes[at] = std::move(held);
    order[at] = static_cast<uint32_t>(at);
  }
}

// A kept pod: copied from a const list, moved from one the merger consumes.
model::Pod take(const model::Pod& pod) { return pod; }
model::Pod take(model::Pod& pod) { return std::move(pod); }
// A newer copy replaces the kept one. Moved straight in, the kept strings' buffers go back
// to the list's row, for the next list parsed into its storage (prpc/pod_storage.h).
void replace(model::Pod& kept, const model::Pod& newer) { kept = newer; }
void replace(model::Pod& kept, model::Pod& newer) { kept = std::move(newer); }

}  // namespace

template <class List>
void GossipMerger::add_rows(uint16_t seed, List& list) {
  std::lock_guard lock(mutex_);
  if (merged_.empty()) {  // seeds mostly list the same pods: the first list sizes the merge
    const size_t expected = list.pods.size() + list.pods.size() / 8 + 16;
    merged_.reserve(expected);
    first_listed_.reserve(expected);
    position_.reserve(expected);
  }
  for (size_t row = 0; row < list.pods.size(); ++row) {
    auto& pod = list.pods[row];
    if (pod.address.empty()) continue;
    const uint64_t listed = (uint64_t{seed} << 32) | row;
    auto it = position_.find(std::string_view(pod.address));
    if (it == position_.end()) {
      merged_.push_back(MergedNode{take(pod), {seed}, seed});
      first_listed_.push_back(listed);
      position_.insert(static_cast<uint32_t>(merged_.size() - 1));
      continue;
    }
    MergedNode& kept = merged_[*it];
    add_source(kept.peer_sources, seed);
    first_listed_[*it] = std::min(first_listed_[*it], listed);
    const int64_t t = gossip_time(pod), kept_t = gossip_time(kept.pod);
    // Equal times: the copy the configured order meets first. Within one list the rows
    // come in order, so the first copy of a seed is the one kept.
    if (t > kept_t || (t == kept_t && seed < kept.source)) {
      replace(kept.pod, pod);
      kept.source = seed;
    }
  }
}

void GossipMerger::add(uint16_t seed, model::PodList& list) {
  add_rows(seed, list);
  prpc::give_back_pod_storage(std::move(list.pods));  // the next seed's list is parsed into it
  list.pods = {};
}

void GossipMerger::add(uint16_t seed, const model::PodList& list) { add_rows(seed, list); }

std::vector<MergedNode> GossipMerger::finish() {
  std::lock_guard lock(mutex_);
  std::vector<MergedNode> out = std::move(merged_);
  // Lists that came in configured order are in first-appearance order already.
  if (!std::is_sorted(first_listed_.begin(), first_listed_.end())) {
    std::vector<uint32_t> order(out.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return first_listed_[a] < first_listed_[b]; });
    permute(out, order);
  }
  merged_ = {};
  first_listed_.clear();
  position_.clear();
  return out;
}

std::vector<MergedNode> merge_gossip_views(const std::vector<const model::PodList*>& pods_by_seed) {
  GossipMerger merger;
  for (size_t seed = 0; seed < pods_by_seed.size(); ++seed)
    if (pods_by_seed[seed]) merger.add(static_cast<uint16_t>(seed), *pods_by_seed[seed]);
  return merger.finish();
}

}  // namespace pnode::collect
