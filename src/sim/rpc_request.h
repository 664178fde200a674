// Reading a pRPC request the way the pod's axum `Json<RpcRequest>` extractor does, so
// clients see the same rejections as from a real node (docs/protocol.md §1):
//   415 when Content-Type is missing or not JSON, 400 for invalid JSON, 422 for valid
//   JSON that is not an object with string "jsonrpc" and "method" (arrays included);
//   plain-text bodies. "params" is ignored; "id" is any JSON value, echoed back
//   re-serialised as serde_json::Value does (compact, keys sorted; absent -> null).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace pnode::sim {

struct RpcCall {
  std::string method;
  std::string id_json;  // serialised JSON, "null" when absent
};

struct Rejection {
  int status = 400;
  std::string text;  // plain-text body
};

std::variant<RpcCall, Rejection> parse_rpc_request(std::string_view content_type, std::string_view body);

// True for application/json and application/<anything>+json, parameters allowed.
bool is_json_content_type(std::string_view content_type);

// Compact, keys-sorted, serde-number serialisation of a JSON text (for id echo and the
// control endpoints); empty when text is not valid JSON.
std::string canonical_json(std::string_view text);

}  // namespace pnode::sim
