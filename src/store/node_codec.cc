#include "store/node_codec.h"

#include <limits>
#include <string>

#include "store/json_read.h"

namespace pnode::store {
namespace {

using namespace json_read;  // NOLINT(google-build-using-namespace): the readers this codec is made of

uint16_t read_seed_index(dom::element e) {
  return static_cast<uint16_t>(read_below(e, uint64_t{std::numeric_limits<uint16_t>::max()} + 1, "seed index"));
}

}  // namespace

void write_node_field(JsonWriter& w, const model::MergedNode& node, NodeField field) {
  const model::Pod& p = node.pod;
  switch (field) {
    case kNodeAddress: w.value(p.address); return;
    case kNodePubkey: w.value(p.pubkey); return;
    case kNodeIsPublic: w.value(p.is_public); return;
    case kNodeLastSeenTimestamp: w.value(p.last_seen_timestamp); return;
    case kNodeLastSeen: w.value(p.last_seen); return;
    case kNodeRpcPort: w.value(p.rpc_port); return;
    case kNodeStorageCommitted: w.value(p.storage_committed); return;
    case kNodeStorageUsed: w.value(p.storage_used); return;
    case kNodeStorageUsagePercent: w.value(p.storage_usage_percent); return;
    case kNodeUptime: w.value(p.uptime); return;
    case kNodeVersion: w.value(p.version); return;
    case kNodePeerSources:
      w.begin_array();
      for (uint16_t s : node.peer_sources) w.value(static_cast<unsigned>(s));
      w.end_array();
      return;
    case kNodeSource: w.value(static_cast<unsigned>(node.source)); return;
    case kNodeFieldCount: break;
  }
}

void write_node(JsonWriter& w, const model::MergedNode& node) {
  w.begin_array();
  for (int f = 0; f < kNodeFieldCount; ++f) write_node_field(w, node, static_cast<NodeField>(f));
  w.end_array();
}

void read_node_field(dom::element e, model::MergedNode& node, NodeField field) {
  model::Pod& p = node.pod;
  switch (field) {
    case kNodeAddress: p.address = read<std::string>(e); return;
    case kNodePubkey: p.pubkey = read_opt<std::string>(e); return;
    case kNodeIsPublic: p.is_public = read_opt<bool>(e); return;
    case kNodeLastSeenTimestamp: p.last_seen_timestamp = read_opt<int64_t>(e); return;
    case kNodeLastSeen: p.last_seen = read_opt<std::string>(e); return;
    case kNodeRpcPort: p.rpc_port = read_opt<int64_t>(e); return;
    case kNodeStorageCommitted: p.storage_committed = read_opt<uint64_t>(e); return;
    case kNodeStorageUsed: p.storage_used = read_opt<uint64_t>(e); return;
    case kNodeStorageUsagePercent: p.storage_usage_percent = read_opt<double>(e); return;
    case kNodeUptime: p.uptime = read_opt<uint64_t>(e); return;
    case kNodeVersion: p.version = read_opt<std::string>(e); return;
    case kNodePeerSources:
      node.peer_sources.clear();
      for (dom::element s : dom::array(e)) node.peer_sources.push_back(read_seed_index(s));
      return;
    case kNodeSource: node.source = read_seed_index(e); return;
    case kNodeFieldCount: break;
  }
  throw Malformed("node field " + std::to_string(static_cast<int>(field)) + " does not exist");
}

model::MergedNode read_node(dom::array a) {
  if (a.size() < kNodeFieldCount)
    throw Malformed("node array has " + std::to_string(a.size()) + " fields, expected " +
                    std::to_string(static_cast<int>(kNodeFieldCount)));
  model::MergedNode node;
  int f = 0;
  for (dom::element e : a) {
    if (f == kNodeFieldCount) break;
    read_node_field(e, node, static_cast<NodeField>(f++));
  }
  return node;
}

}  // namespace pnode::store
