#include "analysis/insights.h"


#include "analysis/alerts_overview.h"
#include "analysis/node_view.h"

namespace pnode::analysis {

std::shared_ptr<const Insights> derive_insights(const model::Snapshot& snapshot, const InsightInputs& inputs) {
  auto out = std::make_shared<Insights>();
  const NodeViews& views = *snapshot.views;
  out->alerts_by_node = check_all_alerts(views, inputs.histories);
  out->health = network_health(views.nodes);
  out->network_alerts = network_alerts(views.nodes, out->health);
  out->analytics = network_analytics(views.nodes, views.latest_version);
  out->growth_24h = growth_between(inputs.day_ago, inputs.current, 24);
  out->growth_7d = growth_between(inputs.week_ago, inputs.current, 168);
  out->topology = build_topology(snapshot.seeds, views.nodes);
  return out;
}

}  // namespace pnode::analysis
