// The route handlers of Api, one function per route, grouped by resource in
// routes_<resource>.cc; Api::register_routes() wires them in the reference's order.
// Internal to api/: other units use Api.
// Thread-safety: every handler is a const read of the Api and the current snapshot.
#pragma once

#include <string>

#include "api/api.h"
#include "api/per_snapshot.h"
#include "api/query.h"
#include "api/router.h"
#include "http/message.h"

namespace pnode::api {

// What handlers derive once per snapshot and share between requests (see PerSnapshot).
struct RouteState {
  PerSnapshot<std::string> network_stats_json;  // /pnodes "network_stats", serialised
};

// routes_status.cc: GET /health, GET /.
http::Response get_health(const Api& api, const RouteRequest& request);
http::Response get_root(const Api& api, const RouteRequest& request);

// routes_pnodes.cc: GET /pnodes.
const QuerySchema& pnodes_query_schema();
http::Response get_pnodes(const Api& api, const RouteRequest& request);

}  // namespace pnode::api
