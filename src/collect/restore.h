// Completing a snapshot: the views and insights of a snapshot derived the same way
// whether it was just assembled by a cycle or restored from the store after a restart,
// so after a restart every snapshot route answers from memory. The 24 h / 7 d growth
// baseline is read from the store's network history here, for both paths.
// Thread-safety: pure functions, except that they call the given Store (which is safe
// from any thread).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "collect/cycle.h"
#include "model/history.h"
#include "model/snapshot.h"
#include "store/store.h"
#include "util/result.h"

namespace pnode::collect {

// The network samples growth is measured against: the newest at or before now - 24 h and
// now - 7 d. A failed read leaves that one empty (growth "not available") and is returned
// in `errors` for the caller to log. No store: both empty.
struct GrowthBaseline {
  std::optional<model::NetworkHistoryRow> day_ago;
  std::optional<model::NetworkHistoryRow> week_ago;
  std::vector<Error> errors;
};
GrowthBaseline read_growth_baseline(store::Store* store, int64_t now);

// Derives `snapshot`'s views and insights in place; returns the network sample the
// insights were derived from (what the cycle writes to the network history). Nodes are
// scored with the snapshot's own growth trends (Snapshot::growth_trends, stored with it),
// so a restored snapshot scores as it did when it was made.
model::NetworkHistoryRow derive_views_and_insights(model::Snapshot& snapshot, const CycleOptions& options,
                                                   const CycleContext& context);

// The snapshot the store restored (null when there is none), completed: registry
// attached, views and insights derived with `baseline` for growth. No gossip histories
// exist yet after a restart, so no flapping alerts until cycles have been seen. Credits
// are not stored with a snapshot: scoring v2 uses `credits`, the view this instance holds
// (null: credits unknown).
std::shared_ptr<const model::Snapshot> complete_restored_snapshot(
    const store::LoadedState& state, const CycleOptions& options, const GrowthBaseline& baseline,
    std::shared_ptr<const analysis::CreditsView> credits = nullptr);

}  // namespace pnode::collect
