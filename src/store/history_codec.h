// Compact, lossless encodings of per-node history samples, used by the SQLite store (and
// meant for any backend). Two forms:
//
// - A *chunk*: one node's samples of one period (an hour), column-wise. Each of the 11
//   columns (timestamp, online/public flags, version id, uptime, storage committed,
//   storage used, storage usage percent, peer count, three scores) is stored as its first
//   value followed by n-1 residuals. The encoder picks, per column and chunk, the
//   predictor whose residuals encode smallest:
//     delta            v[i] - v[i-1]                    (storage, flags, versions)
//     delta-of-delta   (v[i]-v[i-1]) - (v[i-1]-v[i-2])  (timestamps every ~60 s)
//     delta-vs-time    (v[i]-v[i-1]) - (t[i]-t[i-1])    (uptime, which advances with t)
//     xor              v[i] ^ v[i-1]                    (a double's bit pattern)
//   Residuals are zigzag varints (xor codes plain varints), run-length coded: a group
//   header varint (count << 1 | is_run) precedes either one repeated code or `count`
//   literal codes. A column that does not change costs ~3 bytes for the whole chunk, so
//   a typical hour of 60 samples takes ~100 bytes (under 2 bytes a sample).
//   Integer arithmetic wraps (uint64), so any value, however large or negative, and any
//   delta between two values round-trips exactly.
// - A *raw slot*: one sample in a fixed 72-byte little-endian layout, so the store can
//   keep the current hour in per-cycle segments and read one node's slot in place.
//
// Values are stored exactly: scores as hundredths (they are rounded to 2 decimals
// upstream; NaN, infinities and |v| > 1e15 become "no score" and read back as NaN), the
// usage percent as its bit pattern (any NaN reads back as the quiet NaN).
// Thread-safety: pure functions.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"
#include "util/result.h"

namespace pnode::store {

// The hundredths value that stands for "no score" (read back as NaN).
inline constexpr int64_t kNoScore = std::numeric_limits<int64_t>::min();
// A chunk never holds more samples than this (an hour at one sample a second is 3600);
// a stored chunk claiming more is corrupt.
inline constexpr size_t kMaxChunkSamples = 1 << 20;

// One node sample as stored: every field an exact integer, the node and version interned
// by the caller.
struct StoredSample {
  int64_t ts = 0;
  bool is_online = false;
  bool is_public = false;
  int64_t version_id = 0;
  uint64_t uptime = 0;
  uint64_t storage_committed = 0;
  uint64_t storage_used = 0;
  uint64_t usage_percent_bits = 0;  // the double's bits; NaN canonical
  int64_t peer_count = 0;
  int64_t score_x100 = kNoScore;
  int64_t trust_score_x100 = kNoScore;
  int64_t capacity_score_x100 = kNoScore;

  bool operator==(const StoredSample&) const = default;
};

int64_t score_to_hundredths(double score);
inline double score_from_hundredths(int64_t hundredths) {
  return hundredths == kNoScore ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(hundredths) / 100.0;
}

// `row` without its address and version (the caller interns the version).
StoredSample to_stored_sample(const NodeHistorySample& row, int64_t version_id);
// Sets every field of `row` except `version` (inline: a month's read calls it 43,000 times).
inline void fill_history_row(const StoredSample& s, NodeHistorySample& row) {
  row.timestamp = s.ts;
  row.is_online = s.is_online;
  row.is_public = s.is_public;
  row.uptime = s.uptime;
  row.storage_committed = s.storage_committed;
  row.storage_used = s.storage_used;
  row.storage_usage_percent = std::bit_cast<double>(s.usage_percent_bits);
  row.peer_count = s.peer_count;
  row.score = score_from_hundredths(s.score_x100);
  row.trust_score = score_from_hundredths(s.trust_score_x100);
  row.capacity_score = score_from_hundredths(s.capacity_score_x100);
}

// `samples` sorted by strictly increasing ts, 1..kMaxChunkSamples of them.
std::string encode_history_chunk(std::span<const StoredSample> samples);
// Appends the chunk's samples to `out`. Errors (kind "corrupt") on a truncated or
// malformed chunk, or timestamps that do not increase; `out` may then hold part of it.
Status decode_history_chunk(std::string_view chunk, std::vector<StoredSample>& out);
// A decoded chunk, column by column: value i of column c at values[c * samples + i], the
// columns in StoredSample's field order (the two flags share column 1).
struct HistoryColumns {
  static constexpr size_t kCount = 11;
  size_t samples = 0;
  const uint64_t* values = nullptr;

  uint64_t at(size_t column, size_t i) const { return values[column * samples + i]; }
  int64_t ts(size_t i) const { return static_cast<int64_t>(at(0, i)); }
  // Sample i, built whole (inline, so a caller that converts it further keeps no copy).
  StoredSample sample(size_t i) const {
    auto i64 = [](uint64_t x) { return static_cast<int64_t>(x); };
    StoredSample s;
    s.ts = i64(at(0, i));
    s.is_online = (at(1, i) & 1) != 0;
    s.is_public = (at(1, i) & 2) != 0;
    s.version_id = i64(at(2, i));
    s.uptime = at(3, i);
    s.storage_committed = at(4, i);
    s.storage_used = at(5, i);
    s.usage_percent_bits = at(6, i);
    s.peer_count = i64(at(7, i));
    s.score_x100 = i64(at(8, i));
    s.trust_score_x100 = i64(at(9, i));
    s.capacity_score_x100 = i64(at(10, i));
    return s;
  }
};
// Decodes a chunk into `buffer` (grown when too small, reused across chunks) and points
// `out` at it. The same errors as decode_history_chunk.
Status decode_history_columns(std::string_view chunk, std::vector<uint64_t>& buffer, HistoryColumns& out);
// The sample count a chunk's header claims, to size a buffer before decoding; 0 for a
// header that is unreadable or claims more than kMaxChunkSamples (decoding then fails).
size_t history_chunk_samples(std::string_view chunk);

// ---- raw slots -------------------------------------------------------------------------

inline constexpr size_t kRawSlotBytes = 72;

// Writes `sample` (all but ts, which the caller keys the slot by) to a 72-byte slot and
// marks it present.
void write_raw_slot(const StoredSample& sample, char* slot);
// Reads slot `index` of a segment body into `out` (with `ts`); false when the body is too
// short for it or the slot is not marked present.
bool read_raw_slot(std::string_view body, size_t index, int64_t ts, StoredSample& out);

}  // namespace pnode::store
