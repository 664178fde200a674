// Per-node history in SQLite, sized for 10,000 nodes sampled every minute for 30 days
// (432 M samples): a few bytes a sample on disk, one node's month read in milliseconds,
// and a cycle's write that costs a few hundred row inserts instead of 10,000.
//
// Layout (schema version 2):
//
//   raw_samples (key = segment << 34 | ts, body)                 the newest hour, as is
//   raw_cycles  (ts, present)                                    who each raw ts holds
//   node_chunks (node_id, hour, samples, first_ts, body)         older hours, compressed
//   node_chunks_by_hour (hour)                                   retention, newest hour
//   node_history_counts (node_id, snapshots, first_ts, last_ts)  of compacted samples
//   history_versions (version_id, version)                       version strings
//
// - Raw: node ids are grouped in segments of 48 (id / 48). A cycle writes one
//   raw_samples row per segment and timestamp, whose body holds 48 fixed 72-byte slots
//   (history_codec.h; trailing empty slots trimmed), so 10,000 nodes cost ~210 inserts
//   of ~3.4 KB appended in as many pages, instead of 10,000 inserts that each dirty a
//   different page. A row fits one 4 KB page, so one node's raw hour is ~60 page reads
//   of a contiguous key range (segment << 34 | since .. until). raw_cycles keeps, per
//   raw timestamp, a bitmap of the node ids present (byte id / 8, bit id % 8): it lets
//   history_status, compaction and retention read ~60 small rows instead of every body.
//   Raw timestamps must lie in [0, 2^34) (until the year 2514).
// - Chunks: one row per (node, hour) holding that hour's samples column-wise with
//   predictive run-length varints (history_codec.h): ~250 bytes for 60 samples of the
//   benchmark's fairly busy data, ~100 for a quiet node. The primary key keeps one
//   node's chunks together: its month is ~720 rows in ~45 pages.
// - Compaction: once a newer hour has begun (judged by the newest raw timestamp), each
//   write_cycle compacts a slice of the closed hours' segments (at least 8, or a
//   thirtieth of those pending). An hour of 10,000 chunk inserts, each into a different
//   leaf page, would take ~1 s at 30 days; in slices it is ~27 cycles of ~380. A
//   slice's chunk inserts, count updates, raw deletes and bitmap updates are in the
//   cycle's transaction, so every sample is in exactly one place at every commit.
// - Each (node, ts) is stored once: a write finds an existing raw sample through the
//   bitmap, and a sample for an hour that may already be compacted (hour <= newest
//   chunk hour, e.g. a clock that went back) replaces the chunk's sample in place when
//   the chunk has that ts; otherwise it goes raw and is merged into the chunk when
//   compacted.
// - Retention: raw samples older than the cutoff go exactly; chunks go by whole hours
//   (a chunk goes once its hour has ended before the cutoff). Deleting an hour of
//   10,000 chunks touches 10,000 leaf pages (~200 ms at once), so it is sliced too (at
//   least 512 chunks, or a thirtieth of those due, a cycle) and runs only in cycles with
//   nothing to compact, unless an hour overdue: the two do not add up. Samples up to
//   about an hour older than the cutoff may therefore remain. node_chunks_by_hour finds
//   the chunks due without a scan.
// - Counts: node_history_counts is maintained for compacted samples (compaction, bulk
//   writes, retention); history_status adds the raw part from the raw_cycles bitmaps.
// - Bulk writes (import, benchmarks) encode straight into chunks, except the samples of
//   a (node, hour) that raw storage also holds, which take the raw path so the "stored
//   once" rule holds.
// - Readers run node_history and history_status in one read transaction, so a
//   compaction committed meanwhile is seen entirely or not at all. node_history copies
//   the chunks out, reserves its rows exactly and decodes a chunk at a time: growing
//   vectors of 43,200 rows cost more in page faults than the decoding.
//
// Measured with bench/store_history_bench.cc at 10,000 nodes x 30 days on the shared
// 2-core machine (load average ~4-5): 4.42 bytes per sample (1.8 GB for 432 M samples,
// index included); one node's month (43,200 rows) in 3.1 ms median, 8.9 ms p99; a full
// write_cycle ~30 ms of CPU (history ~5 ms of it), ~48 ms during the ~27 compaction
// slices after each hour; the process with the store open ~17 MB resident after
// queries, ~68 MB after cycles of 10,000 nodes.
//
// Thread-safety: a HistoryWriter belongs to the store's writer connection and is used
// under its write mutex, inside the caller's transaction; a HistoryReader belongs to one
// reader connection at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/history_codec.h"
#include "store/sqlite/db.h"
#include "store/store.h"
#include "util/result.h"

namespace pnode::store::sqlite {

inline constexpr int64_t kChunkSeconds = 3600;
inline constexpr int64_t kSegmentSlots = 48;
inline constexpr int kRawTsBits = 34;
inline constexpr int64_t kMaxRawTs = (int64_t{1} << kRawTsBits) - 1;

// A sample of an interned node.
struct NodeSample {
  int64_t node_id = 0;
  StoredSample sample;
};

class HistoryWriter {
 public:
  HistoryWriter() = default;  // unusable until assigned from prepare()
  // Prepares the statements on the writer connection and loads the interned versions.
  static Result<HistoryWriter> prepare(Database& db);

  // The id of `version`, interning it if new (kept in memory once committed).
  Result<int64_t> version_id(Database& db, const std::string& version);

  // A cycle's samples (same (node, ts) twice: the last wins): stored raw, or into an
  // existing chunk that already has that ts. Then one slice of maintenance: compacting
  // closed hours, or, when there is none to compact and `retention_cutoff` > 0,
  // deleting chunks whose hour ended before the cutoff. Raw samples older than the
  // cutoff are deleted at once.
  Status write_cycle_samples(Database& db, std::vector<NodeSample> samples, int64_t retention_cutoff);
  // Many samples at once, straight into chunks where raw storage has none of their
  // (node, hour); no maintenance.
  Status write_bulk(Database& db, std::vector<NodeSample> samples);
  // Bitmap (byte id / 8, bit id % 8) of the node ids with raw samples.
  Result<std::vector<uint8_t>> raw_node_bitmap(Database& db);
  // Re-encodes the rows of a v1 node_history table (renamed legacy_node_history by the
  // v2 migration) into chunks, a batch of nodes per transaction, then drops the table.
  Status import_legacy_rows(Database& db);

  // After the caller's transaction: keep or forget what it interned.
  void committed();
  void rolled_back();

 private:
  struct Statements;
  explicit HistoryWriter(std::shared_ptr<Statements> s) : s_(std::move(s)) {}

  Status store_samples(Database& db, std::vector<NodeSample>& samples);
  Status replace_in_chunks(std::vector<NodeSample>& samples);
  Status store_raw(const std::vector<NodeSample>& samples);
  // Returns whether there was anything to compact.
  Result<bool> compact_slice(Database& db);
  Status delete_raw_before(int64_t cutoff);
  Status delete_chunk_slice(int64_t cutoff, bool compacted);
  Status compact_segment(Database& db, int64_t segment, int64_t before_ts);
  Status merge_into_chunk(Database& db, int64_t node_id, int64_t hour, std::vector<StoredSample>& samples);
  // raw_cycles rows with from <= ts < to: (ts, bitmap).
  Result<std::vector<std::pair<int64_t, std::string>>> raw_cycles_between(int64_t from, int64_t to);

  std::shared_ptr<Statements> s_;
  std::unordered_map<std::string, int64_t> version_ids_;
  std::unordered_map<std::string, int64_t> pending_versions_;
};

class HistoryReader {
 public:
  HistoryReader() = default;  // unusable until assigned from prepare()
  static Result<HistoryReader> prepare(Database& db);

  // Call inside a read transaction.
  Result<std::vector<NodeHistoryRow>> node_history(const std::string& address, int64_t since, int64_t until);
  Result<std::vector<HistoryStatusRow>> history_status(size_t limit);
  Result<HistoryFootprint> footprint();

 private:
  struct Statements;
  explicit HistoryReader(std::shared_ptr<Statements> s) : s_(std::move(s)) {}

  Result<const std::string*> version_text(int64_t version_id);

  std::shared_ptr<Statements> s_;
  std::unordered_map<int64_t, std::string> versions_;
};

}  // namespace pnode::store::sqlite
