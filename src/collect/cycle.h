// One collection cycle without I/O: from the seeds' answers and the previous registry
// to a complete, immutable Snapshot (merged view, registry, gossip changes, summary,
// scored node views) plus what the store must write. Pure, so unit tests and
// benchmarks drive it directly. AnswerMerger takes the answers one by one as the seeds'
// threads parse them, so a cycle never holds every seed's pod list at once.
// Thread-safety: assemble_cycle is a pure function; AnswerMerger::add() may be called
// from several threads at once, finish() once after every add() returned.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "analysis/alerts.h"
#include "analysis/credits.h"
#include "analysis/node_view.h"
#include "collect/merge.h"
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

// The seeds' answers merged: their polls and the merged gossip view.
struct MergedAnswers {
  std::vector<SeedPoll> seeds;    // in configured order, with their rejected fields counted
  std::vector<MergedNode> nodes;  // merge.h's view of the answering seeds' lists
  size_t raw = 0;                 // pods over the answering seeds' lists
};

class AnswerMerger {
 public:
  explicit AnswerMerger(size_t seeds) : seeds_(seeds) {}
  // Seed `index`'s answer: counts the values it sent that were dropped (gossip times more
  // than a day after `now` included), and merges its pods if it answered the pods call,
  // leaving answer.pods empty.
  void add(size_t index, SeedAnswer& answer, int64_t now);
  MergedAnswers finish();

 private:
  std::mutex mutex_;  // guards seeds_ and raw_ (merger_ locks on its own)
  std::vector<SeedPoll> seeds_;
  size_t raw_ = 0;
  GossipMerger merger_;
};

CycleResult assemble_cycle(MergedAnswers answers, const Registry& previous_registry, uint64_t cycle,
                           int64_t started_at, int64_t now, const CycleOptions& options,
                           const CycleContext& context = {});
// The same from the answers of a whole poll, merged in configured order.
CycleResult assemble_cycle(std::vector<SeedAnswer> answers, const Registry& previous_registry, uint64_t cycle,
                           int64_t started_at, int64_t now, const CycleOptions& options,
                           const CycleContext& context = {});

}  // namespace pnode::collect
