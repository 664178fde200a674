// The per-cycle numbers derived from the seeds' answers and the merged view: the
// network summary (docs/reference-compat.md §3.1 step 5) and the history samples the store
// keeps (network §3.5, per node §3.6, with real scores and online flags).
// Fix of §9.19: CPU and RAM averages are over the seeds that reported stats, so a dead
// seed does not drag the average towards 0 %.
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include "analysis/node_view.h"
#include "collect/snapshot.h"
#include "store/store.h"

namespace pnode::collect {

NetworkSummary summarize(const std::vector<SeedPoll>& seeds, size_t unique_pods, size_t raw_pods, int64_t now);

// Network sample for history, from a snapshot whose views are built. Its version
// distribution keeps the kMaxHistoryVersions most common versions (ties: the smaller
// version string) and counts the rest under kOtherVersions, so a seed inventing versions
// cannot grow every stored row.
inline constexpr size_t kMaxHistoryVersions = 50;
inline constexpr const char* kOtherVersions = "(other)";  // no version has parentheses (prpc/bounds.h)
store::NetworkHistoryRow network_sample(const Snapshot& snapshot);

// One row per online node, plus offline rows for nodes that left gossip within
// `recent_offline_seconds` (so availability over time is visible without writing a row
// for every long-dead registry entry each cycle).
std::vector<store::NodeHistoryRow> node_samples(const Snapshot& snapshot, int64_t recent_offline_seconds);

}  // namespace pnode::collect
