// The OpenAPI 3.0 document of the REST API (served at GET /openapi.json), generated from
// two sources so it cannot drift from what is served:
//   - the Router's own route table: every registered method and pattern, its path
//     parameters, and every query parameter with the type, default, minimum/maximum,
//     pattern (enum) and "required" its QuerySchema validates;
//   - a hand-written description table in openapi.cc: per route a tag, summary,
//     description, parameter descriptions, and the responses (200 with the JSON schema
//     of the fields and types of docs/reference-compat.md §1.4 and a trimmed real example; 422,
//     404, 503... where the route has them).
// Response schemas are written in a compact "shape" notation (see openapi.cc) and
// expanded to JSON Schema here; check_schema() validates a JSON value against the
// expanded schemas, which the tests use to hold every example, and live responses, to
// the documented shapes.
// Thread-safety: pure functions. The document never changes while the process runs:
// build it once at start-up and serve the cached body.
#pragma once

#include <boost/json/fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/router.h"

namespace pnode::api {

inline constexpr std::string_view kApiTitle = "Xandeum PNode Developer API";
inline constexpr std::string_view kApiVersion = "1.1.0";

// The serialised OpenAPI 3.0.3 document for `routes`, in registration order. A route
// without an entry in the description table is still listed (path, parameters, a
// generic response) but has no summary; undocumented_routes() names those.
std::string openapi_json(const std::vector<Router::RouteInfo>& routes);

// "METHOD pattern" of each route in `routes` that the description table does not cover.
std::vector<std::string> undocumented_routes(const std::vector<Router::RouteInfo>& routes);

// Whether some value (or the absence) of this query parameter is a 422: false only for an
// optional string without a pattern.
bool can_reject(const ParamSpec& spec);

// The OpenAPI path of a router pattern: "/node/{address:path}/history" gives
// "/node/{address}/history".
std::string openapi_path(std::string_view pattern);

// Checks `value` against `schema` (a schema of this document, i.e. the subset it uses:
// type, nullable, enum, properties/required, additionalProperties, items, $ref into
// `document`'s components, allOf, oneOf). Returns one message per violation, each naming
// the JSON path ("$.pnodes[0].score: expected number, got string"); empty when it fits.
std::vector<std::string> check_schema(const boost::json::value& value, const boost::json::value& schema,
                                      const boost::json::value& document, const std::string& path = "$");

}  // namespace pnode::api
