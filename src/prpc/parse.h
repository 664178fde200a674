// Parsing of pRPC responses (simdjson On-Demand). Accepts what real nodes send and what
// community tools wrap it in: the full JSON-RPC envelope or a bare result object, a
// {"status":..,"data":<result>} wrapper, flat or nested get-stats, integral floats with
// or without ".0", numbers where integers are expected when they are whole. A JSON-RPC
// error envelope becomes an Error of kind "rpc_error" whose message starts with the
// code ("-32601 Method not found"); use is_method_not_found() to detect pre-0.7 nodes.
// Other error kinds: "invalid_json", "wrong_shape".
// Thread-safety: pure functions (each thread reuses its own parser and buffers).
#pragma once

#include <string_view>

#include "prpc/types.h"
#include "util/result.h"

namespace pnode::prpc {

Result<VersionInfo> parse_get_version(std::string_view body);
Result<NodeStats> parse_get_stats(std::string_view body);
// get-pods and get-pods-with-stats share the wrapper; a bare array of pods is accepted.
Result<PodList> parse_pods(std::string_view body);

// The JSON-RPC error code carried by an "rpc_error" Error, if any: read at the start of
// the message, or right after the "host:port method: " prefix that Client adds.
std::optional<int> rpc_error_code(const Error& e);
inline bool is_method_not_found(const Error& e) { return rpc_error_code(e) == -32601; }

}  // namespace pnode::prpc
