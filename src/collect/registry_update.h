// Folding one cycle's merged view into the registry of every node ever seen
// (docs/reference-compat.md §3.4.1) and tracking gossip appearances and drops
// (§3.4.2), with the reference's bugs fixed:
//  - a node is counted as appeared (A=1, D=0, score 1.0) the first time it is seen,
//    including on the very first cycle, and every reappearance counts;
//  - a drop is counted only when it was observed: at least one seed that has listed the
//    node before answered this cycle without listing it. A node reported only by seeds
//    that failed this cycle is not counted as dropped (a seed outage is not a drop);
//  - nulls learnt through the get-pods fallback never overwrite known values;
//  - last_ip is the first seed in configured order, so it is deterministic.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "collect/snapshot.h"

namespace pnode::collect {

struct RegistryUpdate {
  std::shared_ptr<Registry> registry;   // the new registry (the previous one is untouched)
  std::vector<size_t> changed;          // positions in registry->entries written this cycle
  GossipChanges changes;
};

// `seeds` gives each seed's label and whether it answered this cycle.
RegistryUpdate update_registry(const Registry& previous, const std::vector<MergedNode>& nodes,
                               const std::vector<SeedPoll>& seeds, int64_t now);

}  // namespace pnode::collect
