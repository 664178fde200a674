// The OpenAPI 3.0 document of the REST API (served at GET /openapi.json) is a data file,
// src/api/openapi.json, embedded into the binary at build time: paths, parameters,
// response schemas and trimmed real examples, written once. docs/API.md's route
// reference is generated from it (scripts/gen_api_docs.py, make docs) and the dashboard
// reads it too. Tests hold it to the Router: every registered route and query parameter
// documented with the types, defaults, bounds and enums its QuerySchema validates, and
// every example valid against its schema (check_schema, which also holds live responses
// to the documented shapes in the end-to-end tests).
// Thread-safety: pure functions over immutable data.
#pragma once

#include <boost/json/fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "rest/router.h"

namespace pnode::api {

// The document as committed (pretty-printed JSON text).
std::string_view openapi_document();

// `json` without the whitespace outside strings (how the document is served).
std::string compact_json(std::string_view json);

// "METHOD pattern" of each route in `routes` that `document` does not describe.
std::vector<std::string> undocumented_routes(const boost::json::value& document,
                                             const std::vector<rest::Router::RouteInfo>& routes);

// Whether some value (or the absence) of this query parameter is a 422: false only for an
// optional string without a pattern.
bool can_reject(const rest::ParamSpec& spec);

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
