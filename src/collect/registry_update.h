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
// Node identity survives NAT port changes (docs/registry.md): a node with a real pubkey
// that shows up at the same IP under a new port while its old address has left the
// merged view is the same node. Its entry moves to the new address with its first_seen,
// counters and source seeds, and keeps the old address in previous_addresses (a port
// change is neither a drop nor an appearance). An old entry left behind (both addresses
// were listed for a while) is folded into the live one once the old address leaves the
// view. Two addresses listed at the same time stay two entries.
// Admission: a node listed by two or more answering seeds enters the registry at once;
// one listed by a single seed is charged to that seed's budget of new nodes per cycle,
// and waits for a later cycle when the budget is spent (it is still served as online
// while listed). Above the cap, the entries offline longest make room; entries in the
// view are never evicted, so new nodes wait when there is no room.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collect/snapshot.h"

namespace pnode::collect {

struct AdmissionRules {
  size_t max_nodes = 100000;         // registry cap
  size_t new_nodes_per_seed = 1000;  // per cycle, for nodes only that seed listed
};

struct RegistryUpdate {
  std::shared_ptr<Registry> registry;   // the new registry (the previous one is untouched)
  std::vector<size_t> changed;          // positions in registry->entries written this cycle
  std::vector<uint32_t> node_entries;   // per merged node, its position in registry->entries
                                        // (model::kNoRegistryEntry: not admitted)
  std::vector<std::string> removed;     // addresses whose entries are gone (moved or evicted)
  GossipChanges changes;
};

// `seeds` gives each seed's label and whether it answered this cycle.
RegistryUpdate update_registry(const Registry& previous, const std::vector<MergedNode>& nodes,
                               const std::vector<SeedPoll>& seeds, int64_t now, const AdmissionRules& rules = {});

// The IP part of "ip:port" (the whole string when there is no port).
std::string_view address_host(std::string_view address);

}  // namespace pnode::collect
