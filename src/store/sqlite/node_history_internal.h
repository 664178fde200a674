// Internal to the node history engine (node_history_*.cc): what its files share and
// nothing else includes. The engine's public face is node_history_tables.h; the storage
// format is described in docs/storage.md.
//
// - The raw layout's arithmetic: hours, segments, slots, raw keys, and the raw_cycles
//   bitmaps (byte id / 8, bit id % 8) that say which nodes a raw timestamp holds.
// - The pace of the maintenance slices (compaction and retention).
// - HistoryWriter's prepared statements (their SQL is in node_history_tables.cc).
// - A few helpers several files use, defined once in node_history_tables.cc or
//   node_history_chunks.cc.
//
// The files by concern:
//   node_history_tables.cc     writer setup, version interning, the cycle write
//   node_history_raw.cc        raw per-cycle segments and the raw_cycles bitmaps
//   node_history_chunks.cc     replacing samples in chunks, compaction
//   node_history_retention.cc  deleting old raw samples and whole chunk hours
//   node_history_bulk.cc       bulk writes straight into chunks
//   node_history_v1_import.cc  the C++ half of the v1 -> v2 schema migration
//   node_history_reader.cc     node_history, history_status, footprint
//
// Everything here is in the named namespace (not an anonymous one) so the files can be
// compiled together in a unity batch; keep the names distinctive.
// Thread-safety: pure functions and constants; the Statements belong to their
// HistoryWriter (see node_history_tables.h).
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/db.h"
#include "store/sqlite/node_history_tables.h"
#include "util/result.h"

namespace pnode::store::sqlite {

// Read by both the writer (to load the interned versions) and the readers.
inline constexpr std::string_view kAllHistoryVersions = "SELECT version_id, version FROM history_versions";

// ---- keys, bitmaps ---------------------------------------------------------------------

static_assert(kSegmentSlots % 8 == 0, "a segment's bits are whole bytes of the raw_cycles bitmap");
inline constexpr size_t kSegmentBitmapBytes = kSegmentSlots / 8;
// Maintenance slices: at least this many segments (chunks) a cycle, and enough to
// finish the work due in about kStepsPerHour cycles. At one cycle a minute, 10,000
// nodes are compacted in ~27 cycles (~380 chunk inserts each), then the hour due for
// retention goes in ~20 (512 chunk deletes each).
inline constexpr size_t kMinSegmentsPerStep = 8;
inline constexpr int64_t kMinChunksPerStep = 512;
inline constexpr size_t kStepsPerHour = 30;

inline int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}
inline int64_t hour_of(int64_t ts) { return floor_div(ts, kChunkSeconds); }
inline int64_t segment_of(int64_t node_id) { return node_id / kSegmentSlots; }
inline size_t slot_of(int64_t node_id) { return static_cast<size_t>(node_id % kSegmentSlots); }
inline int64_t raw_key(int64_t segment, int64_t ts) { return (segment << kRawTsBits) | ts; }

inline bool bit_is_set(std::string_view bitmap, int64_t id) {
  auto byte = static_cast<size_t>(id / 8);
  return byte < bitmap.size() && ((static_cast<uint8_t>(bitmap[byte]) >> (id % 8)) & 1) != 0;
}

inline void set_bit(std::string& bitmap, int64_t id) {
  auto byte = static_cast<size_t>(id / 8);
  if (bitmap.size() <= byte) bitmap.resize(byte + 1, '\0');
  bitmap[byte] = static_cast<char>(static_cast<uint8_t>(bitmap[byte]) | (1u << (id % 8)));
}

inline bool segment_has_bits(std::string_view bitmap, int64_t segment) {
  size_t from = static_cast<size_t>(segment) * kSegmentBitmapBytes;
  for (size_t b = from; b < from + kSegmentBitmapBytes && b < bitmap.size(); ++b)
    if (bitmap[b] != 0) return true;
  return false;
}

// Returns whether anything was cleared.
inline bool clear_segment(std::string& bitmap, int64_t segment) {
  bool changed = false;
  size_t from = static_cast<size_t>(segment) * kSegmentBitmapBytes;
  for (size_t b = from; b < from + kSegmentBitmapBytes && b < bitmap.size(); ++b) {
    changed |= bitmap[b] != 0;
    bitmap[b] = 0;
  }
  return changed;
}

inline bool all_zero(std::string_view bitmap) {
  return std::all_of(bitmap.begin(), bitmap.end(), [](char c) { return c == 0; });
}

inline int64_t segment_count(std::string_view bitmap) {
  return static_cast<int64_t>((bitmap.size() + kSegmentBitmapBytes - 1) / kSegmentBitmapBytes);
}

// Calls f(node_id) for every set bit.
template <class F>
void for_each_bit(std::string_view bitmap, F&& f) {
  for (size_t b = 0; b < bitmap.size(); ++b) {
    auto bits = static_cast<uint8_t>(bitmap[b]);
    while (bits != 0) {
      int bit = std::countr_zero(bits);
      f(static_cast<int64_t>(b * 8 + static_cast<size_t>(bit)));
      bits = static_cast<uint8_t>(bits & (bits - 1));
    }
  }
}

// ---- shared helpers --------------------------------------------------------------------

// Sorts by (node, ts) and keeps the last of equal keys (a later sample replaces).
// (node_history_tables.cc)
void sort_and_dedupe(std::vector<NodeSample>& samples);

// The end of the run of samples from `begin` with the same node and hour.
// (node_history_chunks.cc)
size_t end_of_chunk_group(const std::vector<NodeSample>& samples, size_t begin);

// ---- the writer's statements -----------------------------------------------------------

// Prepared once on the writer connection by HistoryWriter::prepare().
struct HistoryWriter::Statements {
  Statement max_raw_ts, max_chunk_hour, min_chunk_hour, select_raw_cycle, upsert_raw_cycle, delete_raw_cycle,
      raw_cycles_between, select_raw_segment, upsert_raw_segment, raw_segment_range, delete_raw_range, insert_chunk,
      select_chunk, update_chunk, count_samples, count_old_chunks, old_chunks, delete_chunk, uncount_chunks,
      insert_version, find_version;
};

}  // namespace pnode::store::sqlite
