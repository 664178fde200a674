// Byte-faithful pRPC answers (docs/protocol.md §2): compact JSON, keys in alphabetical
// order at every level, "error":null on success, the request id echoed as given, doubles
// printed as serde_json/ryu does (DoubleStyle::kSerde: "0.0", "50.0",
// "4.6764705882352943e-7").
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "prpc/types.h"
#include "sim/network_model.h"
#include "util/json_writer.h"

namespace pnode::sim {

// One get-pods-with-stats row: the 10 keys, alphabetical.
void write_pod_with_stats(JsonWriter& w, const LivePod& pod);
// One get-pods row (v0.5+): address, last_seen_timestamp, pubkey, version.
void write_pod_basic(JsonWriter& w, const LivePod& pod);
// The flat 12-key get-stats result object.
std::string render_stats_result(const prpc::NodeStats& stats);
// {"version":"..."}
std::string render_version_result(std::string_view version);

// {"error":null,"id":<id>,"jsonrpc":"2.0","result":<result>}; id_json is serialised JSON.
std::string envelope_ok(std::string_view id_json, std::string_view result_json);
// The part of envelope_ok before <result>, for callers that append a large result in
// place; they close it with "}".
void append_envelope_ok_head(std::string& out, std::string_view id_json);
// {"error":{"code":..,"message":".."},"id":<id>,"jsonrpc":"2.0"}
std::string envelope_error(std::string_view id_json, int code, std::string_view message);

inline constexpr int kMethodNotFound = -32601;

}  // namespace pnode::sim
