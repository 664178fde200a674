// Merging the seeds' gossip views into one list of unique pods
// (docs/reference-compat.md §3.3), keyed by address. Deterministic, unlike the
// reference: the result is the one of walking the seeds in configured order (not
// completion order), so first-appearance order, peer_sources and tie-breaks do not
// depend on which seed answered first. GossipMerger reaches that result whatever order
// the seeds' lists come in, so the collector merges each list as soon as it is parsed and
// frees it, instead of holding all of them (nine lists of 100k pods are ~230 MB).
// Thread-safety: the functions are pure; GossipMerger::add() may be called from several
// threads at once (it locks), finish() once after every add() returned.
#pragma once

#include <cstdint>
#include <mutex>
#include <string_view>
#include <vector>

#include "collect/snapshot.h"
#include "prpc/types.h"
#include "util/flat_map.h"

namespace pnode::collect {

class GossipMerger {
 public:
  // Takes seed `seed`'s list: its pods are moved out or dropped, leaving the list empty,
  // and its storage goes back to prpc/pod_storage.h for the next list.
  void add(uint16_t seed, model::PodList& list);
  // The same, copying the pods it keeps.
  void add(uint16_t seed, const model::PodList& list);
  // The merged view: a copy of an address replaces the kept one when its
  // last_seen_timestamp is newer (a missing timestamp counts as oldest), or equal from a
  // seed earlier in configured order; within one seed's list the first of equal copies
  // stays. peer_sources lists every seed that listed it, ascending. Nodes come in
  // first-appearance order over the seeds in configured order.
  std::vector<MergedNode> finish();

 private:
  template <class List>
  void add_rows(uint16_t seed, List& list);

  // The index holds positions in merged_ and finds them by address through merged_, so it
  // copies no address and a slot is four bytes.
  struct ByAddress {
    using is_transparent = void;
    const std::vector<MergedNode>* nodes;
    std::string_view address(uint32_t i) const { return (*nodes)[i].pod.address; }
    size_t operator()(uint32_t i) const { return StringHash{}(address(i)); }
    size_t operator()(std::string_view a) const { return StringHash{}(a); }
    bool operator()(uint32_t a, uint32_t b) const { return a == b; }
    bool operator()(std::string_view a, uint32_t b) const { return a == address(b); }
    bool operator()(uint32_t a, std::string_view b) const { return address(a) == b; }
  };

  std::mutex mutex_;
  std::vector<MergedNode> merged_;
  std::vector<uint64_t> first_listed_;  // per merged node: (seed << 32) | row of its first listing
  boost::unordered_flat_set<uint32_t, ByAddress, ByAddress> position_{0, ByAddress{&merged_}, ByAddress{&merged_}};
};

// pods_by_seed[i] is seed i's list (null when it failed): the GossipMerger result.
std::vector<MergedNode> merge_gossip_views(const std::vector<const model::PodList*>& pods_by_seed);

}  // namespace pnode::collect
