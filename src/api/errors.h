// The error responses of the reference API (docs/reference-compat.md §1.1, §1.2), in one
// place so every route answers with exactly the same shapes: FastAPI's {"detail": ...}
// bodies, the pydantic v2 422 list, the JSON-RPC style body and the plain-text 500.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "rest/query.h"
#include "rest/router.h"

namespace pnode::api {

// A JSON response with the given status and body (content type application/json).
http::Response json_response(int status, std::string body);

// 404 {"detail":"Not Found"}.
http::Response not_found();
// 405 {"detail":"Method Not Allowed"} with "allow: <allow>" (e.g. "GET, HEAD").
http::Response method_not_allowed(std::string_view allow);
// 422 {"detail":[{type, loc:["query",name], msg, input, ctx?}, ...]}.
http::Response validation_failed(const std::vector<rest::ValidationIssue>& issues);
// {"jsonrpc":"2.0","error":{"code":-32603,"message":<message>},"id":1} with `status`.
http::Response jsonrpc_error(int status, std::string_view message);
// 503 JSON-RPC "Snapshot not available" (every snapshot route before the first cycle).
http::Response snapshot_unavailable();
// 500 "Internal Server Error" as text/plain (what the reference sends on an exception).
http::Response internal_error();

// The router's own answers in the shapes above: not_found(), method_not_allowed() and
// validation_failed().
rest::RouterErrors reference_router_errors();

}  // namespace pnode::api
