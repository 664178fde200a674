#include "collect/cycle.h"

#include "collect/registry_update.h"
#include "collect/restore.h"
#include "collect/summary.h"

namespace pnode::collect {
namespace {

// Node clocks drift, but a gossip time a day ahead of ours is no clock: it would win
// every merge (the newest copy wins) and pin last_seen in the future.
constexpr int64_t kMaxClockAheadSeconds = 86400;

// Drops the pods' gossip times too far ahead of `now`; returns how many.
uint64_t drop_future_timestamps(model::PodList& list, int64_t now) {
  uint64_t dropped = 0;
  for (model::Pod& pod : list.pods) {
    if (pod.last_seen_timestamp && *pod.last_seen_timestamp > now + kMaxClockAheadSeconds) {
      pod.last_seen_timestamp.reset();
      ++dropped;
    }
  }
  return dropped;
}

// Every value of the seed's answer that was dropped as implausible.
void count_rejected_fields(SeedAnswer& a, int64_t now) {
  a.poll.rejected_fields = a.pods.rejected_fields + drop_future_timestamps(a.pods, now);
  if (a.poll.stats) a.poll.rejected_fields += a.poll.stats->rejected_fields;
}

}  // namespace

void AnswerMerger::add(size_t index, SeedAnswer& answer, int64_t now) {
  count_rejected_fields(answer, now);
  const size_t pods = answer.pods.pods.size();
  if (answer.poll.ok()) merger_.add(static_cast<uint16_t>(index), answer.pods);
  answer.pods.pods.clear();
  std::lock_guard lock(mutex_);
  seeds_.at(index) = answer.poll;
  if (answer.poll.ok()) raw_ += pods;
}

MergedAnswers AnswerMerger::finish() {
  std::lock_guard lock(mutex_);
  return {std::move(seeds_), merger_.finish(), raw_};
}

CycleResult assemble_cycle(std::vector<SeedAnswer> answers, const Registry& previous_registry, uint64_t cycle,
                           int64_t started_at, int64_t now, const CycleOptions& options,
                           const CycleContext& context) {
  AnswerMerger merger(answers.size());
  for (size_t i = 0; i < answers.size(); ++i) merger.add(i, answers[i], now);
  return assemble_cycle(merger.finish(), previous_registry, cycle, started_at, now, options, context);
}

CycleResult assemble_cycle(MergedAnswers answers, const Registry& previous_registry, uint64_t cycle,
                           int64_t started_at, int64_t now, const CycleOptions& options,
                           const CycleContext& context) {
  auto snap = std::make_shared<Snapshot>();
  snap->cycle = cycle;
  snap->started_at = started_at;
  snap->last_updated = now;
  snap->seeds = std::move(answers.seeds);
  snap->nodes = std::move(answers.nodes);
  const size_t raw = answers.raw;

  RegistryUpdate update = update_registry(previous_registry, snap->nodes, snap->seeds, now, options.admission);
  snap->registry = update.registry;
  snap->node_entries = std::move(update.node_entries);
  snap->changes = std::move(update.changes);
  snap->summary = summarize(snap->seeds, snap->nodes.size(), raw, now);

  if (context.growth_trends && !context.growth_trends->empty())
    snap->growth_trends = std::make_shared<const analysis::GrowthTrends>(*context.growth_trends);
  snap->probe = context.probe;
  snap->credits = context.credits;
  snap->availability = context.availability;
  CycleResult result;
  result.write.network = derive_views_and_insights(*snap, options, context);
  result.write.registry_upserts.reserve(update.changed.size());
  for (size_t i : update.changed) result.write.registry_upserts.push_back(update.registry->entries[i]);
  result.write.registry_deletes = std::move(update.removed);
  result.write.nodes = node_samples(*snap, options.recent_offline_seconds);
  result.write.retention_cutoff = options.retention_days > 0 ? now - options.retention_days * 86400 : 0;
  result.write.snapshot = snap;
  result.snapshot = std::move(snap);
  return result;
}

}  // namespace pnode::collect
