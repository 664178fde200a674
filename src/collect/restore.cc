#include "collect/restore.h"

#include "analysis/insights.h"
#include "analysis/node_view.h"
#include "collect/summary.h"

namespace pnode::collect {
namespace {

constexpr int64_t kDay = 24 * 3600;
constexpr int64_t kWeek = 7 * kDay;

}  // namespace

GrowthBaseline read_growth_baseline(store::Store* store, int64_t now) {
  GrowthBaseline baseline;
  if (!store) return baseline;
  auto sample_at = [&](int64_t at) -> std::optional<model::NetworkHistoryRow> {
    auto row = store->network_sample_at_or_before(at);
    if (row.ok()) return *row;
    baseline.errors.push_back(row.error());
    return std::nullopt;
  };
  baseline.day_ago = sample_at(now - kDay);
  baseline.week_ago = sample_at(now - kWeek);
  return baseline;
}

model::NetworkHistoryRow derive_views_and_insights(model::Snapshot& snapshot, const CycleOptions& options,
                                                   const CycleContext& context) {
  snapshot.views = analysis::build_node_views(snapshot, options.views, snapshot.growth_trends.get());
  model::NetworkHistoryRow current = network_sample(snapshot);
  snapshot.insights =
      analysis::derive_insights(snapshot, {current, context.day_ago, context.week_ago, context.histories});
  return current;
}

std::shared_ptr<const model::Snapshot> complete_restored_snapshot(
    const store::LoadedState& state, const CycleOptions& options, const GrowthBaseline& baseline,
    std::shared_ptr<const analysis::CreditsView> credits) {
  if (!state.snapshot) return nullptr;
  auto snapshot = std::make_shared<model::Snapshot>(*state.snapshot);
  snapshot->credits = std::move(credits);
  if (!snapshot->registry) snapshot->registry = std::make_shared<model::Registry>(state.registry);
  CycleContext context{nullptr, nullptr, baseline.day_ago, baseline.week_ago, {}, {}, {}};
  derive_views_and_insights(*snapshot, options, context);
  return snapshot;
}

}  // namespace pnode::collect
