#include "collect/merge.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "util/flat_map.h"

namespace pnode::collect {
namespace {

// The kept copy of `pod`: copied from a const list, moved from a consumed one. A moved
// pod keeps its address (the same buffer): the merge's index points into it.
model::Pod take(const model::Pod& pod) { return pod; }
model::Pod take(model::Pod& pod) {
  model::Pod taken = std::move(pod);
  std::swap(taken.address, pod.address);
  taken.address = pod.address;
  return taken;
}

template <class List>
std::vector<MergedNode> merge(const std::vector<List*>& pods_by_seed) {
  std::vector<MergedNode> merged;
  FlatViewMap<size_t> position;
  // Seeds mostly list the same pods: the longest list is the usual size of the merge.
  size_t longest = 0;
  for (const auto* list : pods_by_seed) longest = std::max(longest, list ? list->pods.size() : 0);
  merged.reserve(longest + longest / 8 + 16);
  position.reserve(longest + longest / 8 + 16);

  for (size_t seed = 0; seed < pods_by_seed.size(); ++seed) {
    if (!pods_by_seed[seed]) continue;
    auto seed_index = static_cast<uint16_t>(seed);
    for (auto& pod : pods_by_seed[seed]->pods) {
      if (pod.address.empty()) continue;
      auto [it, inserted] = position.try_emplace(pod.address, merged.size());
      if (inserted) {
        merged.push_back(MergedNode{take(pod), {seed_index}, seed_index});
        continue;
      }
      MergedNode& kept = merged[it->second];
      if (kept.peer_sources.back() != seed_index) kept.peer_sources.push_back(seed_index);
      if (pod.last_seen_timestamp.value_or(INT64_MIN) > kept.pod.last_seen_timestamp.value_or(INT64_MIN)) {
        kept.pod = take(pod);
        kept.source = seed_index;
      }
    }
  }
  return merged;
}

}  // namespace

std::vector<MergedNode> merge_gossip_views(const std::vector<const model::PodList*>& pods_by_seed) {
  return merge(pods_by_seed);
}

std::vector<MergedNode> merge_gossip_views_consuming(const std::vector<model::PodList*>& pods_by_seed) {
  return merge(pods_by_seed);
}

}  // namespace pnode::collect
