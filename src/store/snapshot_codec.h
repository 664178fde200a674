// The stored form of a Snapshot (and of the small maps the history rows carry): compact
// JSON written with pnode::JsonWriter and read back with simdjson. It round-trips every
// field of model::Snapshot (the probe round included, so followers and restarts serve it)
// except `views` (derived, rebuilt by the caller) and
// `registry` (stored in its own table and attached by the store's load()).
// Seeds are objects (few, self-describing); merged nodes, the bulk of the data, are
// positional arrays to keep the blob small. The document carries a format version "v";
// a version this build does not know is refused rather than misread.
// Non-finite doubles cannot be written in JSON: they are stored as null and come back
// as NaN (plain fields) or as an empty optional. A seed's Error is stored as its kind
// token (error_code_name), message, and whichever of rpc_code, http_status and where it
// has; a kind this build does not know is refused like any other malformed field.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "model/snapshot.h"
#include "store/snapshot_delta.h"
#include "util/result.h"

namespace pnode::store {

inline constexpr int kSnapshotFormatVersion = 1;

// `nodes_bytes`, when given, gets the size of the document's nodes part.
std::string encode_snapshot(const model::Snapshot& snapshot, size_t* nodes_bytes = nullptr);
// The same document with "base_cycle" and, instead of "nodes", a "node_delta" against
// `base`; a probe round or availability table that is the base's own object is written as
// "probe_from_base" / "availability_from_base" (store/snapshot_delta.h has the format).
std::string encode_snapshot_delta(const model::Snapshot& snapshot, const SnapshotBase& base,
                                  size_t* nodes_bytes = nullptr);
// Errors have kind "corrupt" and say what was wrong. A delta needs `base`, the snapshot
// of the cycle it names; a delta read without it, or with another cycle's, is corrupt.
Result<model::Snapshot> decode_snapshot(std::string_view encoded, const model::Snapshot* base = nullptr);
// What a store holds: the snapshot it last wrote in full and, when it wrote later cycles
// as deltas, the latest delta (against that base).
Result<model::Snapshot> decode_stored_snapshot(std::string_view base, std::optional<std::string_view> delta);

// {"key":count,...}: e.g. a version distribution.
std::string encode_count_map(const std::map<std::string, int64_t>& counts);
Result<std::map<std::string, int64_t>> decode_count_map(std::string_view encoded);

}  // namespace pnode::store
