// Storing a cycle's snapshot as a delta against an earlier one (issue 14): the store keeps
// the last snapshot it wrote in full (the base) and writes the cycles after it as the
// changes of their merged nodes against that base, with the base only rewritten when the
// nodes' delta would be half their full size or more. Most of a cycle's snapshot is its
// nodes, and from one cycle to the next a node mostly changes only its gossip time and
// uptime: at 100k pods the blob goes from ~17 MB to ~2.5 MB, and the store writes (and
// SQLite checkpoints) that much less every cycle. The probe round and the availability
// table are written whole, or named as the base's when they are the very objects the
// base held (no new round finished since).
//
// A node delta ("node_delta" in the document) has one entry per node of the new snapshot,
// in its order:
//   k                   the base's node k, unchanged;
//   [k, f, v, f, v...]  the base's node k with field f (store/node_codec.h) set to v;
//   [address, ...]      a node the base does not have, written whole.
//
// SnapshotBase remembers, per base node, a 64-bit fingerprint of each field instead of
// the node itself (~110 B a node, where a copy would cost ~400 B): numbers go through a
// bijective mix, strings through std::hash. Two different strings of one field with the
// same 64-bit hash would leave the stale value in the delta, and two addresses with the
// same hash would pair a node with the other's base entry; at 2^-64 a comparison this is
// accepted.
//
// Thread-safety: SnapshotBase is immutable after construction; SnapshotEncoder is not
// thread-safe (the store calls it under its write lock).
#pragma once

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "model/snapshot.h"
#include "store/node_codec.h"
#include "util/json_writer.h"

namespace pnode::store {

class SnapshotBase {
 public:
  // `nodes_bytes`: the size of the nodes part of the base's full encoding, which a node
  // delta must stay well under.
  SnapshotBase(const model::Snapshot& base, size_t nodes_bytes);

  uint64_t cycle() const { return cycle_; }
  size_t nodes_bytes() const { return nodes_bytes_; }
  // Whether the base holds this very probe round / availability table (the collector
  // passes the same object from cycle to cycle until a new round or table replaces it).
  // Weak references: a base does not keep an old round alive, and one that is gone
  // cannot be mistaken for a new object at the same address.
  bool holds(const std::shared_ptr<const model::ProbeRound>& probe) const { return probe == probe_.lock(); }
  bool holds(const std::shared_ptr<const model::AvailabilityTable>& table) const {
    return table == availability_.lock();
  }

  // Writes the node delta of `nodes` against this base (an array, format above).
  void write_node_delta(JsonWriter& w, const std::vector<model::MergedNode>& nodes) const;

 private:
  using Fingerprints = std::array<uint64_t, kNodeFieldCount>;
  static Fingerprints fingerprint(const model::MergedNode& node);
  // The base position of the node whose address fingerprint is `address`; `hint` is
  // tried first (nodes mostly keep their order). nullopt when the base lacks it.
  std::optional<uint32_t> find(uint64_t address, size_t hint) const;

  uint64_t cycle_;
  size_t nodes_bytes_;
  std::weak_ptr<const model::ProbeRound> probe_;
  std::weak_ptr<const model::AvailabilityTable> availability_;
  std::vector<Fingerprints> nodes_;
  boost::unordered_flat_map<uint64_t, uint32_t> by_address_;
};

// The nodes a node delta describes, from the base's nodes. Throws json_read::Malformed
// (or simdjson_error) on an entry that does not fit the base.
std::vector<model::MergedNode> read_node_delta(simdjson::dom::array delta,
                                               const std::vector<model::MergedNode>& base_nodes);

// A snapshot ready to store: in full, or as a delta against the base of cycle `base_cycle`.
struct EncodedSnapshot {
  std::string body;
  std::optional<uint64_t> base_cycle;  // set: `body` is a delta
  size_t nodes_bytes = 0;              // the size of its nodes part (listed or delta)
};

// Decides, cycle by cycle, how a store writes its snapshot (see the top of this file).
class SnapshotEncoder {
 public:
  // A delta against the remembered base when there is one and the delta's nodes part is
  // under half the base's; the full snapshot otherwise.
  EncodedSnapshot encode(const model::Snapshot& snapshot) const;
  EncodedSnapshot encode_full(const model::Snapshot& snapshot) const;
  // After the write of `encoded` committed: a full snapshot becomes the base.
  void committed(const model::Snapshot& snapshot, const EncodedSnapshot& encoded);

 private:
  std::optional<SnapshotBase> base_;
};

}  // namespace pnode::store
