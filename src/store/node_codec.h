// One merged node of the stored snapshot (store/snapshot_codec.h): a positional JSON array
// of kNodeFieldCount values, written and read whole or one field at a time (a snapshot
// delta, store/snapshot_delta.h, stores only the fields that changed). The field order is
// the stored format: never reorder NodeField.
// Reads throw json_read::Malformed or simdjson::simdjson_error on a wrong shape.
// Thread-safety: pure functions.
#pragma once

#include <simdjson.h>

#include <cstdint>

#include "model/snapshot.h"
#include "util/json_writer.h"

namespace pnode::store {

enum NodeField : uint8_t {
  kNodeAddress,
  kNodePubkey,
  kNodeIsPublic,
  kNodeLastSeenTimestamp,
  kNodeLastSeen,
  kNodeRpcPort,
  kNodeStorageCommitted,
  kNodeStorageUsed,
  kNodeStorageUsagePercent,
  kNodeUptime,
  kNodeVersion,
  kNodePeerSources,
  kNodeSource,
  kNodeFieldCount
};

void write_node(JsonWriter& w, const model::MergedNode& node);
void write_node_field(JsonWriter& w, const model::MergedNode& node, NodeField field);

model::MergedNode read_node(simdjson::dom::array a);
void read_node_field(simdjson::dom::element e, model::MergedNode& node, NodeField field);

}  // namespace pnode::store
