// Merging the seeds' gossip views into one list of unique pods
// (docs/reference-compat.md §3.3), keyed by address. Deterministic, unlike the
// reference: seeds are walked in configured order (not completion order), so
// first-appearance order, peer_sources and tie-breaks do not depend on which seed
// answered first.
// Thread-safety: pure function.
#pragma once

#include <vector>

#include "collect/snapshot.h"
#include "prpc/types.h"

namespace pnode::collect {

// pods_by_seed[i] is seed i's list (empty when it failed). A later copy of an address
// replaces the kept one only when its last_seen_timestamp is strictly newer (a missing
// timestamp counts as oldest); peer_sources accumulates every seed that listed it.
std::vector<MergedNode> merge_gossip_views(const std::vector<const model::PodList*>& pods_by_seed);

// The same merge, moving the kept pods out of the lists instead of copying them (their
// addresses stay; every other field of a kept pod is left moved-from): for a caller that
// drops the lists afterwards.
std::vector<MergedNode> merge_gossip_views_consuming(const std::vector<model::PodList*>& pods_by_seed);

}  // namespace pnode::collect
