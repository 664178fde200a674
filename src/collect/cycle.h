// One collection cycle without I/O: from the seeds' answers and the previous registry
// to a complete, immutable Snapshot (merged view, registry, gossip changes, summary,
// scored node views) plus what the store must write. Pure, so unit tests and
// benchmarks drive it directly.
// Thread-safety: pure function.
#pragma once

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "analysis/alerts.h"
#include "analysis/credits.h"
#include "analysis/node_view.h"
#include "collect/poller.h"
#include "collect/registry_update.h"
#include "collect/snapshot.h"
#include "store/store.h"

namespace pnode::collect {

struct CycleOptions {
  analysis::ViewOptions views;
  int64_t retention_days = 30;
  int64_t recent_offline_seconds = 86400;  // see node_samples()
  AdmissionRules admission;
};

// History-derived inputs the collector supplies (all optional).
struct CycleContext {
  const analysis::GrowthTrends* growth_trends = nullptr;  // copied into Snapshot::growth_trends
  const analysis::GossipHistories* histories = nullptr;
  std::optional<store::NetworkHistoryRow> day_ago;   // for the 24 h growth
  std::optional<store::NetworkHistoryRow> week_ago;  // for the 7 d growth
  std::shared_ptr<const model::ProbeRound> probe;     // copied into Snapshot::probe
  std::shared_ptr<const analysis::CreditsView> credits;  // copied into Snapshot::credits
  std::shared_ptr<const model::AvailabilityTable> availability;  // copied into Snapshot::availability
};

struct CycleResult {
  std::shared_ptr<const Snapshot> snapshot;
  store::CycleWrite write;
};

CycleResult assemble_cycle(std::vector<SeedAnswer> answers, const Registry& previous_registry, uint64_t cycle,
                           int64_t started_at, int64_t now, const CycleOptions& options,
                           const CycleContext& context = {});

}  // namespace pnode::collect
