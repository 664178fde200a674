#include "store/snapshot_delta.h"

#include <bit>
#include <functional>
#include <string_view>

#include "store/json_read.h"
#include "store/snapshot_codec.h"

namespace pnode::store {
namespace {

using namespace json_read;  // NOLINT(google-build-using-namespace): the readers this codec is made of

// A node delta larger than this share of the base's nodes is not worth it: the base is rewritten.
constexpr size_t kMaxDeltaShareOfBase = 2;

constexpr uint64_t kAbsent = 0x6a09e667f3bcc909ull;

// splitmix64's finalizer: a bijection, so two different numbers never collide.
uint64_t mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint64_t print(std::string_view s) { return std::hash<std::string_view>{}(s); }
uint64_t print(int64_t v) { return mix(static_cast<uint64_t>(v)); }
uint64_t print(uint64_t v) { return mix(v); }
uint64_t print(double v) { return mix(std::bit_cast<uint64_t>(v)); }
uint64_t print(bool v) { return mix(v ? 1 : 2); }

template <class T>
uint64_t print(const std::optional<T>& v) {
  if (!v) return kAbsent;
  if constexpr (std::is_same_v<T, std::string>) return print(std::string_view(*v));
  else return print(*v);
}

uint64_t print_sources(const std::vector<uint16_t>& sources) {
  return print(std::string_view(reinterpret_cast<const char*>(sources.data()), sources.size() * sizeof(uint16_t)));
}

}  // namespace

SnapshotBase::Fingerprints SnapshotBase::fingerprint(const model::MergedNode& node) {
  const model::Pod& p = node.pod;
  Fingerprints f;
  f[kNodeAddress] = print(std::string_view(p.address));
  f[kNodePubkey] = print(p.pubkey);
  f[kNodeIsPublic] = print(p.is_public);
  f[kNodeLastSeenTimestamp] = print(p.last_seen_timestamp);
  f[kNodeLastSeen] = print(p.last_seen);
  f[kNodeRpcPort] = print(p.rpc_port);
  f[kNodeStorageCommitted] = print(p.storage_committed);
  f[kNodeStorageUsed] = print(p.storage_used);
  f[kNodeStorageUsagePercent] = print(p.storage_usage_percent);
  f[kNodeUptime] = print(p.uptime);
  f[kNodeVersion] = print(p.version);
  f[kNodePeerSources] = print_sources(node.peer_sources);
  f[kNodeSource] = print(uint64_t{node.source});
  return f;
}

SnapshotBase::SnapshotBase(const model::Snapshot& base, size_t nodes_bytes)
    : cycle_(base.cycle), nodes_bytes_(nodes_bytes), probe_(base.probe), availability_(base.availability) {
  nodes_.reserve(base.nodes.size());
  by_address_.reserve(base.nodes.size());
  for (const model::MergedNode& node : base.nodes) {
    nodes_.push_back(fingerprint(node));
    by_address_.emplace(nodes_.back()[kNodeAddress], static_cast<uint32_t>(nodes_.size() - 1));
  }
}

std::optional<uint32_t> SnapshotBase::find(uint64_t address, size_t hint) const {
  if (hint < nodes_.size() && nodes_[hint][kNodeAddress] == address) return static_cast<uint32_t>(hint);
  auto it = by_address_.find(address);
  if (it == by_address_.end()) return std::nullopt;
  return it->second;
}

void SnapshotBase::write_node_delta(JsonWriter& w, const std::vector<model::MergedNode>& nodes) const {
  w.begin_array();
  size_t hint = 0;
  for (const model::MergedNode& node : nodes) {
    const Fingerprints now = fingerprint(node);
    const std::optional<uint32_t> at = find(now[kNodeAddress], hint);
    if (!at) {
      write_node(w, node);
      continue;
    }
    hint = *at + 1;
    const Fingerprints& was = nodes_[*at];
    if (now == was) {
      w.value(static_cast<unsigned>(*at));
      continue;
    }
    w.begin_array().value(static_cast<unsigned>(*at));
    for (int f = kNodeAddress + 1; f < kNodeFieldCount; ++f) {
      if (now[f] == was[f]) continue;
      w.value(f);
      write_node_field(w, node, static_cast<NodeField>(f));
    }
    w.end_array();
  }
  w.end_array();
}

std::vector<model::MergedNode> read_node_delta(dom::array delta, const std::vector<model::MergedNode>& base_nodes) {
  std::vector<model::MergedNode> nodes;
  nodes.reserve(delta.size());
  for (dom::element entry : delta) {
    if (entry.is_uint64() || entry.is_int64()) {
      nodes.push_back(base_nodes[read_below(entry, base_nodes.size(), "base node")]);
      continue;
    }
    dom::array a = entry;
    if (a.size() == 0) throw Malformed("empty node delta entry");
    dom::element first = a.at(0);
    if (first.is_string()) {
      nodes.push_back(read_node(a));
      continue;
    }
    if (a.size() % 2 == 0) throw Malformed("node delta entry has a field without a value");
    model::MergedNode& node = nodes.emplace_back(base_nodes[read_below(first, base_nodes.size(), "base node")]);
    for (auto it = ++a.begin(); it != a.end(); ++it) {
      auto field = static_cast<NodeField>(read_below(*it, kNodeFieldCount, "node field"));
      if (field == kNodeAddress) throw Malformed("a node delta cannot change the address");
      read_node_field(*++it, node, field);
    }
  }
  return nodes;
}

EncodedSnapshot SnapshotEncoder::encode(const model::Snapshot& snapshot) const {
  if (base_ && base_->cycle() < snapshot.cycle) {
    EncodedSnapshot delta{{}, base_->cycle(), 0};
    delta.body = encode_snapshot_delta(snapshot, *base_, &delta.nodes_bytes);
    if (delta.nodes_bytes < base_->nodes_bytes() / kMaxDeltaShareOfBase) return delta;
  }
  return encode_full(snapshot);
}

EncodedSnapshot SnapshotEncoder::encode_full(const model::Snapshot& snapshot) const {
  EncodedSnapshot full;
  full.body = encode_snapshot(snapshot, &full.nodes_bytes);
  return full;
}

void SnapshotEncoder::committed(const model::Snapshot& snapshot, const EncodedSnapshot& encoded) {
  if (!encoded.base_cycle) base_.emplace(snapshot, encoded.nodes_bytes);
}

}  // namespace pnode::store
