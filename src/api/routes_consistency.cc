// Gossip consistency routes (docs/reference-compat.md §1.4.21 /network/consistency, §1.4.22
// /node/{address}/consistency), views of the registry's gossip counters in the snapshot.
// "is_online" is the single definition (in the latest merged view), not the reference's
// last_seen-within-2×TTL test.
#include "analysis/consistency.h"
#include "api/errors.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

void write_row(JsonWriter& w, const analysis::ConsistencyRow& r) {
  w.begin_object();
  w.field("address", r.address).field("consistency_score", r.consistency_score);
  w.field("gossip_appearances", r.gossip_appearances).field("gossip_disappearances", r.gossip_disappearances);
  w.field("last_drop", r.last_drop).field("last_appearance", r.last_appearance);
  w.field("time_since_last_drop_seconds", r.time_since_last_drop_seconds);
  w.field("time_since_last_appearance_seconds", r.time_since_last_appearance_seconds);
  w.field("status", r.status).field("is_online", r.is_online);
  w.end_object();
}

void write_summary(JsonWriter& w, const analysis::ConsistencySummary& s) {
  w.begin_object();
  w.field("total_nodes", s.total_nodes);
  // "round(mean, 4), or 0 when there are none" (an empty registry).
  write_float_or_int_zero(w, "avg_consistency_score", s.avg_consistency_score, s.total_nodes == 0);
  w.field("flapping_nodes", s.flapping_nodes).field("stable_nodes", s.stable_nodes);
  w.field("total_network_appearances", s.total_network_appearances);
  w.field("total_network_disappearances", s.total_network_disappearances);
  w.field("network_health", s.network_health);
  w.end_object();
}

void write_node_consistency(JsonWriter& w, const analysis::NodeConsistency& n, int64_t now) {
  w.begin_object().field("address", n.address);
  w.key("consistency").begin_object();
  w.field("score", n.score).field("status", n.status).field("status_emoji", n.status_emoji);
  w.field("appearances", n.appearances).field("disappearances", n.disappearances);
  w.field("ratio", n.ratio).field("total_events", n.total_events);
  w.end_object();
  const analysis::RecentActivity& a = n.recent_activity;
  w.key("recent_activity").begin_object();
  w.field("last_drop", a.last_drop).field("last_drop_readable", a.last_drop_readable);
  w.field("time_since_drop_seconds", a.time_since_drop_seconds);
  w.field("time_since_drop_hours", a.time_since_drop_hours);
  w.field("last_appearance", a.last_appearance).field("last_appearance_readable", a.last_appearance_readable);
  w.field("time_since_appearance_seconds", a.time_since_appearance_seconds);
  w.field("time_since_appearance_hours", a.time_since_appearance_hours);
  w.end_object();
  w.key("recommendations").begin_array();
  for (const auto& r : n.recommendations) {
    w.begin_object().field("severity", r.severity).field("issue", r.issue);
    w.field("recommendation", r.recommendation).field("action", r.action).end_object();
  }
  w.end_array();
  w.key("node_info").begin_object();
  w.field("is_online", n.is_online).field("version", n.version);
  w.field("first_seen", n.first_seen).field("last_seen", n.last_seen);
  w.end_object();
  w.field("timestamp", now);
  w.end_object();
}

}  // namespace

const QuerySchema& network_consistency_query_schema() {
  static const QuerySchema schema{
      float_param("min_consistency").def(0.0).ge(0.0).le(1.0),
      str_param("sort_by").def("consistency_score").pattern("^(consistency_score|gossip_disappearances|address)$"),
      int_param("limit").def(100).ge(1).le(500),
  };
  return schema;
}

http::Response get_network_consistency(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views || !snapshot->registry) return snapshot_unavailable();
  analysis::ConsistencyQuery query;
  query.min_consistency = request.query.number("min_consistency");
  const std::string& sort_by = request.query.str("sort_by");
  // The schema's pattern admits exactly the names parse_consistency_sort knows.
  query.sort_by = analysis::parse_consistency_sort(sort_by).value_or(analysis::ConsistencySort::kConsistencyScore);
  query.limit = static_cast<size_t>(request.query.integer("limit"));
  int64_t now = api.now();
  analysis::NetworkConsistency result =
      analysis::network_consistency(snapshot->registry->entries, *snapshot->views, query, now);

  JsonWriter w;
  w.reserve(512 + result.nodes.size() * 500);
  w.begin_object().key("nodes").begin_array();
  for (const auto& row : result.nodes) write_row(w, row);
  w.end_array().key("summary");
  write_summary(w, result.summary);
  w.key("flapping_nodes").begin_array();
  for (const auto& row : result.flapping_nodes) write_row(w, row);
  w.end_array();
  w.key("filters").begin_object().field("min_consistency", query.min_consistency).field("sort_by", sort_by);
  w.end_object();
  w.field("timestamp", now);
  w.end_object();
  return json_response(200, w.take());
}

http::Response get_node_consistency(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->registry) return snapshot_unavailable();
  const std::string& address = request.path_param("address");
  const model::RegistryEntry* entry = snapshot->registry->find(address);
  if (!entry) {
    JsonWriter w;
    w.begin_object().field("error", "Node not found: " + address);
    w.field("suggestion", "Check /registry or /pnodes for valid addresses").end_object();
    return json_response(404, w.take());
  }
  const analysis::NodeView* node = snapshot->views ? snapshot->views->find(address) : nullptr;
  int64_t now = api.now();
  JsonWriter w;
  write_node_consistency(w, analysis::node_consistency(*entry, node && node->is_online, now), now);
  return json_response(200, w.take());
}

}  // namespace pnode::api
