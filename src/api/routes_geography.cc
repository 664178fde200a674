// Geography routes (issue 13, part 4; not in the reference): GET /network/concentration
// (shares and Herfindahl index of the online nodes per country and per ASN, and the
// holders above the share limit) and GET /pnodes/{address}/location. Both read the
// snapshot's Geography (api/geography.h), derived once per snapshot; without a location
// database they answer 503.
#include <ctime>

#include "api/errors.h"
#include "api/geography.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

void write_dimension(JsonWriter& w, const analysis::Dimension& d, size_t limit) {
  w.begin_object();
  w.field("pod_hhi", d.pod_hhi).field("storage_hhi", d.storage_hhi).field("holder_count", d.holders.size());
  w.key("holders").begin_array();
  for (size_t i = 0; i < d.holders.size() && i < limit; ++i) {
    const analysis::Holder& h = d.holders[i];
    w.begin_object().field("key", h.key).field("name", h.name).field("pods", h.pods).field("storage", h.storage);
    w.field("pod_share", h.pod_share).field("storage_share", h.storage_share).field("dominant", h.dominant);
    w.end_object();
  }
  w.end_array().end_object();
}

void write_database(JsonWriter& w, const geo::Locator& locator) {
  w.key("database").begin_object().field("vendor", locator.vendor());
  w.field("created_at", static_cast<int64_t>(locator.created_at())).end_object();
}

http::Response geography_unavailable() {
  return jsonrpc_error(503, "Geography not available: no location database is loaded");
}

}  // namespace

std::shared_ptr<const Geography> snapshot_geography(const Api& api, const std::shared_ptr<const model::Snapshot>& s) {
  const auto& index = api.config().geography;
  if (!index || !s) return nullptr;
  return api.route_state().geography.get(s, [&index](const model::Snapshot& snapshot) { return index->build(snapshot); });
}

const QuerySchema& concentration_query_schema() {
  static const QuerySchema schema{int_param("limit").def(50).ge(1).le(1000)};
  return schema;
}

http::Response get_network_concentration(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views) return snapshot_unavailable();
  auto geography = snapshot_geography(api, snapshot);
  if (!geography) return geography_unavailable();
  const analysis::Concentration& c = geography->concentration;
  const auto limit = static_cast<size_t>(request.query.integer("limit"));
  JsonWriter w;
  w.begin_object().field("online_nodes", c.located + c.unlocated);
  w.field("located", c.located).field("unlocated", c.unlocated).field("max_share", geography->limits.max_share);
  w.key("countries");
  write_dimension(w, c.countries, limit);
  w.key("asns");
  write_dimension(w, c.asns, limit);
  w.key("warnings").begin_array();
  for (const auto& warning : concentration_warnings(*geography)) {
    w.begin_object().field("dimension", warning.dimension).field("key", warning.holder->key);
    w.field("name", warning.holder->name).field("pod_share", warning.holder->pod_share);
    w.field("storage_share", warning.holder->storage_share).field("message", warning.message).end_object();
  }
  w.end_array();
  write_database(w, api.config().geography->locator());
  w.field("timestamp", api.now()).end_object();
  return json_response(200, w.take());
}

http::Response get_node_location(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views) return snapshot_unavailable();
  const auto& index = api.config().geography;
  if (!index) return geography_unavailable();
  const std::string& address = request.path_param("address");
  if (!snapshot->views->find(address)) {
    JsonWriter w;
    w.begin_object().field("error", "Node not found: " + address);
    w.field("suggestion", "Check /pnodes for valid addresses").end_object();
    return json_response(404, w.take());
  }
  const geo::Location l = index->locate_address(address);  // remembered by IP
  JsonWriter w;
  w.begin_object().field("address", address).field("reach", reach_name(l.reach));
  w.field("country_code", l.country_code).field("country_name", l.country_name);
  w.field("asn", l.asn).field("as_name", l.as_name).field("anycast", l.anycast);
  write_database(w, api.config().geography->locator());
  w.end_object();
  return json_response(200, w.take());
}

}  // namespace pnode::api
