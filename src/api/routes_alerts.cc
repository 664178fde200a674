// Alert routes (docs/reference-compat.md §1.4.17 /pnodes/{address}/alerts, §1.4.18
// /alerts, §1.4.19 /alerts/critical) over the per-node alerts the collector computed once per
// cycle (Insights::alerts_by_node, parallel to the node list). /alerts without filters
// and /alerts/critical are serialised once per snapshot. /alerts/critical is what the
// reference meant: /alerts?severity=critical&limit=1000 with filters.alert_type null
// (the reference's direct call corrupted its counts, §9.2).
#include <algorithm>

#include "analysis/alerts.h"
#include "analysis/alerts_overview.h"
#include "api/errors.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

constexpr size_t kCriticalAlertsNodeLimit = 1000;

void write_alert_value(JsonWriter& w, const analysis::AlertValue& v) {
  std::visit([&w](const auto& x) { w.value(x); }, v);
}

// `address` (our addition for /alerts?include_alerts=true) is written first when given.
void write_alert(JsonWriter& w, const analysis::Alert& a, std::string_view address = {}) {
  w.begin_object();
  if (!address.empty()) w.field("address", address);
  w.field("severity", analysis::severity_name(a.severity)).field("type", analysis::alert_type_name(a.type));
  w.field("message", a.message).field("metric", a.metric);
  w.key("value");
  write_alert_value(w, a.value);
  w.key("threshold");
  write_alert_value(w, a.threshold);
  w.field("recommendation", a.recommendation);
  if (a.last_seen) w.field("last_seen", *a.last_seen);
  w.end_object();
}

void write_alert_summary(JsonWriter& w, const analysis::AlertSummary& s) {
  w.begin_object();
  w.field("total", s.total).field("critical", s.critical).field("warning", s.warning).field("info", s.info);
  w.key("by_type").begin_object();
  for (const auto& [type, count] : s.by_type) w.field(type, count);
  w.end_object().end_object();
}

// Every alert of the checked nodes (the first `limit`), filtered, each with its node.
void write_alert_list(JsonWriter& w, const analysis::NodeViews& views, const analysis::Insights& insights, size_t limit,
                      std::optional<analysis::Severity> severity, std::string_view alert_type) {
  w.key("alerts").begin_array();
  size_t checked = std::min({limit, views.nodes.size(), insights.alerts_by_node.size()});
  for (size_t i = 0; i < checked; ++i)
    for (const auto& a : analysis::filter_alerts(insights.alerts_by_node[i], severity, alert_type))
      write_alert(w, a, views.nodes[i].address);
  w.end_array();
}

BodyTemplate alerts_body(const analysis::NodeViews& views, const analysis::Insights& insights, size_t limit,
                         const std::optional<std::string>& severity, const std::optional<std::string>& alert_type,
                         bool include_alerts = false) {
  std::optional<analysis::Severity> wanted;
  if (severity) wanted = analysis::parse_severity(*severity);
  analysis::AlertsOverview report =
      analysis::alerts_overview(views.nodes, insights.alerts_by_node, limit, wanted, alert_type.value_or(""));
  BodyTemplate body;
  JsonWriter& w = body.writer();
  w.begin_object().key("summary");
  write_alert_summary(w, report.summary);
  w.key("critical_nodes").begin_array();
  for (const auto& node : report.critical_nodes) {
    w.begin_object().field("address", node.address).field("alert_count", node.alert_count);
    w.key("critical_alerts").begin_array();
    for (const auto& a : node.critical_alerts) write_alert(w, a);
    w.end_array().end_object();
  }
  w.end_array();
  w.field("nodes_checked", report.nodes_checked).field("nodes_with_alerts", report.nodes_with_alerts);
  if (include_alerts) write_alert_list(w, views, insights, limit, wanted, alert_type.value_or(""));
  w.key("filters").begin_object().field("severity", severity).field("alert_type", alert_type).end_object();
  w.key("timestamp");
  body.hole(0);
  w.end_object();
  return std::move(body.finish());
}

}  // namespace

const QuerySchema& node_alerts_query_schema() {
  static const QuerySchema schema{str_param("severity").pattern("^(critical|warning|info)$")};
  return schema;
}

http::Response get_node_alerts(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views || !snapshot->insights) return snapshot_unavailable();
  const analysis::NodeViews& views = *snapshot->views;
  const std::string& address = request.path_param("address");
  auto found = views.by_address.find(address);
  if (found == views.by_address.end()) {
    JsonWriter w;
    w.begin_object().field("error", "Node not found: " + address);
    w.field("suggestion", "Check /registry for valid addresses").end_object();
    return json_response(404, w.take());
  }
  const analysis::NodeView& node = views.nodes[found->second];
  auto insights = snapshot->insights;
  if (found->second >= insights->alerts_by_node.size()) {
    return json_response(500, R"({"error":"Alert check failed","details":"alerts are not available for this node"})");
  }
  std::optional<analysis::Severity> severity;
  if (auto name = request.query.opt_str("severity")) severity = analysis::parse_severity(*name);
  std::vector<analysis::Alert> alerts = analysis::filter_alerts(insights->alerts_by_node[found->second], severity, "");

  JsonWriter w;
  w.begin_object().field("address", node.address).key("alerts").begin_array();
  for (const auto& a : alerts) write_alert(w, a);
  w.end_array().key("summary");
  write_alert_summary(w, analysis::summarize_alerts(alerts));
  w.key("node_info").begin_object();
  w.field("is_online", node.is_online).field("uptime", node.uptime).field("version", node.version);
  w.field("storage_usage_percent", node.storage_usage_percent).field("peer_count", node.peer_count());
  w.field("last_seen", node.last_seen);
  w.end_object();
  w.field("timestamp", api.now());
  w.end_object();
  return json_response(200, w.take());
}

const QuerySchema& alerts_query_schema() {
  static const QuerySchema schema{
      str_param("severity").pattern("^(critical|warning|info)$"),
      str_param("alert_type"),
      int_param("limit").def(100).ge(1).le(500),
      bool_param("include_alerts").def(false),  // our addition: also list the alerts themselves
  };
  return schema;
}

http::Response get_alerts(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views || !snapshot->insights) return snapshot_unavailable();
  auto severity = request.query.opt_str("severity");
  auto alert_type = request.query.opt_str("alert_type");
  size_t limit = static_cast<size_t>(request.query.integer("limit"));
  bool include_alerts = request.query.boolean("include_alerts");
  auto insights = snapshot->insights;
  int64_t now = api.now();
  if (!severity && !alert_type && limit == 100 && !include_alerts) {
    auto body = api.route_state().alerts_default.get(snapshot, now, [&](const model::Snapshot& s) {
      return alerts_body(*s.views, *insights, limit, severity, alert_type);
    });
    return shared_json_response(200, std::move(body));
  }
  return json_response(
      200, alerts_body(*snapshot->views, *insights, limit, severity, alert_type, include_alerts).render(now));
}

http::Response get_critical_alerts(const Api& api, const RouteRequest&) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views || !snapshot->insights) return snapshot_unavailable();
  auto insights = snapshot->insights;
  auto body = api.route_state().alerts_critical.get(snapshot, api.now(), [&](const model::Snapshot& s) {
    return alerts_body(*s.views, *insights, kCriticalAlertsNodeLimit, std::string("critical"), std::nullopt);
  });
  return shared_json_response(200, std::move(body));
}

}  // namespace pnode::api
