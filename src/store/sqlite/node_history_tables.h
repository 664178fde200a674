// Per-node history in SQLite (10,000 nodes a minute for 30 days): the newest hour raw in
// per-cycle segments of 48 nodes, older hours one compressed chunk per (node, hour),
// compaction and retention spread over cycles. Format, reasons and measured figures: see
// docs/storage.md; the code is split by concern over node_history_*.cc.
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
  Result<NodeHistory> node_history(const std::string& address, int64_t since, int64_t until);
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
