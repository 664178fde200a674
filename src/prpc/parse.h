// Parsing of pRPC responses (simdjson On-Demand). Accepts what real nodes send and what
// community tools wrap it in: the full JSON-RPC envelope or a bare result object, a
// {"status":..,"data":<result>} wrapper, flat or nested get-stats, integral floats with
// or without ".0", numbers where integers are expected when they are whole. A JSON-RPC
// error envelope becomes an Error of code kRpcError ("rpc_error") whose rpc_code is the
// envelope's integral "code" (if any) and whose message is "<code> <message>" ("-32601
// Method not found"); use is_method_not_found() to detect pre-0.7 nodes. Other codes:
// kInvalidJson ("invalid_json"), kWrongShape ("wrong_shape").
// Thread-safety: pure functions, callable from any thread. Each thread reuses its own
// parser and buffers for small bodies; bodies from 256 KiB (seed pod lists) share one
// set, so two such parses of the same kind wait for each other.
#pragma once

#include <cstddef>
#include <string_view>

#include "prpc/types.h"
#include "util/result.h"

namespace pnode::prpc {

Result<VersionInfo> parse_get_version(std::string_view body);
Result<NodeStats> parse_get_stats(std::string_view body);
// get-pods and get-pods-with-stats share the wrapper; a bare array of pods is accepted.
Result<PodList> parse_pods(std::string_view body);
// The same, reading `body` where it lies when its capacity holds the parser's padding (the
// HTTP client leaves that room: http/tail_room.h) instead of copying it; `body` is
// given back unchanged.
Result<PodList> parse_pods_in_place(std::string& body);
// The padded-copy bytes the large pod-list parses share and keep (tests).
size_t shared_pods_parse_buffer_bytes();
// Frees the buffers large answers share (kept from one seed's list to the next, ~8 MB
// resident at 10k pods): the server calls it after each cycle, with its heap trim.
void release_shared_parse_buffers();

// A pod-credits source's answer: {"pods_credits":[{"pod_id":..,"credits":..}],"status":..}
// (a bare array of rows too). A row whose pod_id is not a 32-44 character base58 key, or
// whose credits are missing, not a finite number or beyond ±kMaxCreditsMagnitude, is
// skipped and counted; a pod listed twice keeps its last row.
Result<CreditList> parse_pod_credits(std::string_view body);

// A JSON-RPC "Method not found" (-32601): what a node older than v0.7 answers to
// get-pods-with-stats.
inline constexpr int64_t kRpcMethodNotFound = -32601;
inline bool is_method_not_found(const Error& e) {
  return e.is(ErrorCode::kRpcError) && e.rpc_code == kRpcMethodNotFound;
}

}  // namespace pnode::prpc
