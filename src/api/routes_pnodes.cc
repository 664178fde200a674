// GET /pnodes (reference-api.md §1.3, §1.4.6), served from the snapshot's precomputed
// NodeViews: counts and aggregates over every node, then one page of the requested
// status in the precomputed order of the sort key.
#include <algorithm>
#include <numeric>

#include "api/errors.h"
#include "api/node_json.h"
#include "api/routes.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

bool status_matches(const std::string& status, const analysis::NodeView& node) {
  if (status == "all") return true;
  return node.is_online == (status == "online");
}

size_t status_total(const std::string& status, const analysis::NodeViews& views) {
  if (status == "all") return views.nodes.size();
  return status == "online" ? views.online_count : views.nodes.size() - views.online_count;
}

}  // namespace

const QuerySchema& pnodes_query_schema() {
  static const QuerySchema schema{
      str_param("status").def("online").pattern("^(all|online|offline)$"),
      int_param("limit").def(100).ge(1).le(1000),
      int_param("skip").def(0).ge(0),
      str_param("sort_by").def("last_seen").pattern(
          "^(last_seen|uptime|score|storage_used|storage_usage_percent|first_seen)$"),
      str_param("sort_order").def("desc").pattern("^(asc|desc)$"),
  };
  return schema;
}

http::Response get_pnodes(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views) return snapshot_unavailable();
  const analysis::NodeViews& views = *snapshot->views;
  int64_t now = api.now();

  const std::string& status = request.query.str("status");
  const std::string& sort_by = request.query.str("sort_by");
  const std::string& sort_order = request.query.str("sort_order");
  size_t limit = static_cast<size_t>(request.query.integer("limit"));
  uint64_t skip = static_cast<uint64_t>(request.query.integer("skip"));

  // The schema's pattern admits exactly the keys parse_sort_key knows.
  auto key = analysis::parse_sort_key(sort_by);
  const auto& orders = sort_order == "asc" ? views.asc_order : views.desc_order;
  const std::vector<uint32_t>* order = key ? &orders[static_cast<size_t>(*key)] : nullptr;
  std::vector<uint32_t> identity;
  if (!order || order->size() != views.nodes.size()) {
    // Views built without sort orders (never by the collector): list in build order
    // rather than fail the request.
    identity.resize(views.nodes.size());
    std::iota(identity.begin(), identity.end(), 0u);
    order = &identity;
  }

  JsonWriter w;
  w.reserve(1024 + 1024 * std::min(limit, views.nodes.size()));
  w.begin_object();
  w.key("summary");
  write_pnodes_summary(w, views, *snapshot, now);
  auto network_stats = api.route_state().network_stats_json.get(snapshot, [](const collect::Snapshot& s) {
    JsonWriter stats;
    write_network_stats(stats, compute_network_stats(*s.views));
    return stats.take();
  });
  w.key("network_stats").raw(*network_stats);

  // The page size is known before walking: what is left after skip, capped by limit.
  size_t total = status_total(status, views);
  size_t returned = skip >= total ? 0 : std::min<size_t>(limit, total - skip);
  w.key("pagination").begin_object();
  w.field("total", total).field("limit", limit).field("skip", skip).field("returned", returned);
  w.end_object();
  w.key("filters").begin_object();
  w.field("status", status).field("sort_by", sort_by).field("sort_order", sort_order);
  w.end_object();

  // The page: walk the precomputed order, keep the requested status, skip, take.
  w.key("pnodes").begin_array();
  size_t written = 0;
  uint64_t matched = 0;
  for (uint32_t index : *order) {
    if (written == returned) break;
    const analysis::NodeView& node = views.nodes[index];
    if (!status_matches(status, node)) continue;
    if (matched++ < skip) continue;
    write_node(w, node, *snapshot);
    ++written;
  }
  w.end_array();
  w.field("timestamp", now);
  w.end_object();
  return json_response(200, w.take());
}

}  // namespace pnode::api
