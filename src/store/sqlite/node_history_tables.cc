// The history writer's core: its prepared statements (the SQL of every writer file),
// interning versions, and a cycle's write, which stores the samples and then runs one
// maintenance slice. The other concerns are in node_history_*.cc (see
// node_history_internal.h for the list); the format is described in docs/storage.md.
#include "store/sqlite/node_history_tables.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <string_view>
#include <utility>

#include "store/sqlite/node_history_internal.h"

namespace pnode::store::sqlite {
namespace {

// ---- the writer's SQL ------------------------------------------------------------------

constexpr std::string_view kNewestRawTs = "SELECT max(ts) FROM raw_cycles";
constexpr std::string_view kMaxChunkHour = "SELECT max(hour) FROM node_chunks";
constexpr std::string_view kMinChunkHour = "SELECT min(hour) FROM node_chunks";
constexpr std::string_view kSelectRawCycle = "SELECT present FROM raw_cycles WHERE ts = ?1";
constexpr std::string_view kUpsertRawCycle =
    "INSERT INTO raw_cycles (ts, present) VALUES (?1, ?2) ON CONFLICT (ts) DO UPDATE SET present = excluded.present";
constexpr std::string_view kDeleteRawCycle = "DELETE FROM raw_cycles WHERE ts = ?1";
constexpr std::string_view kRawCyclesBetween =
    "SELECT ts, present FROM raw_cycles WHERE ts >= ?1 AND ts < ?2 ORDER BY ts";
constexpr std::string_view kSelectRawSegment = "SELECT body FROM raw_samples WHERE key = ?1";
constexpr std::string_view kUpsertRawSegment =
    "INSERT INTO raw_samples (key, body) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET body = excluded.body";
constexpr std::string_view kRawSegmentRange =
    "SELECT key, body FROM raw_samples WHERE key >= ?1 AND key < ?2 ORDER BY key";
constexpr std::string_view kDeleteRawRange = "DELETE FROM raw_samples WHERE key >= ?1 AND key < ?2";
constexpr std::string_view kInsertChunk =
    "INSERT INTO node_chunks (node_id, hour, samples, first_ts, body) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (node_id, hour) DO NOTHING";
constexpr std::string_view kSelectChunk = "SELECT body FROM node_chunks WHERE node_id = ?1 AND hour = ?2";
constexpr std::string_view kUpdateChunk =
    "UPDATE node_chunks SET samples = ?3, first_ts = ?4, body = ?5 WHERE node_id = ?1 AND hour = ?2";
// A count that retention brought to 0 keeps stale first/last: the CASEs start afresh.
// (Every right-hand side sees the row's old values.)
constexpr std::string_view kCountSamples =
    "INSERT INTO node_history_counts (node_id, snapshots, first_ts, last_ts) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (node_id) DO UPDATE SET "
    "first_ts = CASE WHEN snapshots > 0 THEN min(first_ts, excluded.first_ts) ELSE excluded.first_ts END, "
    "last_ts = CASE WHEN snapshots > 0 THEN max(last_ts, excluded.last_ts) ELSE excluded.last_ts END, "
    "snapshots = snapshots + excluded.snapshots";
// The oldest chunks due for retention, in index order. INDEXED BY: left to itself,
// SQLite may scan the whole table in primary-key order.
constexpr std::string_view kCountOldChunks =
    "SELECT count(*) FROM node_chunks INDEXED BY node_chunks_by_hour WHERE hour < ?1";
constexpr std::string_view kOldChunks =
    "SELECT node_id, hour, samples FROM node_chunks INDEXED BY node_chunks_by_hour WHERE hour < ?1 "
    "ORDER BY hour, node_id LIMIT ?2";
constexpr std::string_view kDeleteChunk = "DELETE FROM node_chunks WHERE node_id = ?1 AND hour = ?2";
// After the node's old chunks are gone: its first timestamp is its first remaining
// chunk's (a count that reaches 0 keeps a stale one; readers skip it).
constexpr std::string_view kUncountChunks =
    "UPDATE node_history_counts SET snapshots = snapshots - ?2, first_ts = coalesce((SELECT c.first_ts "
    "FROM node_chunks c WHERE c.node_id = ?1 ORDER BY c.hour LIMIT 1), first_ts) WHERE node_id = ?1";
constexpr std::string_view kInsertVersion =
    "INSERT INTO history_versions (version) VALUES (?1) ON CONFLICT (version) DO NOTHING";
constexpr std::string_view kFindVersion = "SELECT version_id FROM history_versions WHERE version = ?1";

}  // namespace

// ---- shared helpers --------------------------------------------------------------------

// Sorts by (node, ts) and keeps the last of equal keys (a later sample replaces).
void sort_and_dedupe(std::vector<NodeSample>& samples) {
  auto by_node_then_ts = [](const NodeSample& a, const NodeSample& b) {
    return a.node_id != b.node_id ? a.node_id < b.node_id : a.sample.ts < b.sample.ts;
  };
  // Bulk writers usually hand samples over in this order already.
  if (!std::is_sorted(samples.begin(), samples.end(), by_node_then_ts))
    std::stable_sort(samples.begin(), samples.end(), by_node_then_ts);
  size_t out = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    if (out > 0 && samples[out - 1].node_id == samples[i].node_id &&
        samples[out - 1].sample.ts == samples[i].sample.ts) {
      samples[out - 1] = samples[i];
    } else {
      samples[out++] = samples[i];
    }
  }
  samples.resize(out);
}

// ---- writer ----------------------------------------------------------------------------

Result<HistoryWriter> HistoryWriter::prepare(Database& db) {
  auto s = std::make_shared<Statements>();
  auto st = prepare_all(db, {{&s->max_raw_ts, kNewestRawTs},
                             {&s->max_chunk_hour, kMaxChunkHour},
                             {&s->min_chunk_hour, kMinChunkHour},
                             {&s->select_raw_cycle, kSelectRawCycle},
                             {&s->upsert_raw_cycle, kUpsertRawCycle},
                             {&s->delete_raw_cycle, kDeleteRawCycle},
                             {&s->raw_cycles_between, kRawCyclesBetween},
                             {&s->select_raw_segment, kSelectRawSegment},
                             {&s->upsert_raw_segment, kUpsertRawSegment},
                             {&s->raw_segment_range, kRawSegmentRange},
                             {&s->delete_raw_range, kDeleteRawRange},
                             {&s->insert_chunk, kInsertChunk},
                             {&s->select_chunk, kSelectChunk},
                             {&s->update_chunk, kUpdateChunk},
                             {&s->count_samples, kCountSamples},
                             {&s->count_old_chunks, kCountOldChunks},
                             {&s->old_chunks, kOldChunks},
                             {&s->delete_chunk, kDeleteChunk},
                             {&s->uncount_chunks, kUncountChunks},
                             {&s->insert_version, kInsertVersion},
                             {&s->find_version, kFindVersion}});
  if (!st) return with_context("preparing the history statements", st.error());
  HistoryWriter writer(std::move(s));
  auto all = db.prepare(kAllHistoryVersions);
  if (!all) return all.error();
  for (;;) {
    auto row = all->step();
    if (!row) return with_context("reading history versions", row.error());
    if (!*row) break;
    writer.version_ids_.emplace(all->column_string(1), all->column_int64(0));
  }
  return writer;
}

Result<int64_t> HistoryWriter::version_id(Database& db, const std::string& version) {
  if (auto it = version_ids_.find(version); it != version_ids_.end()) return it->second;
  if (auto it = pending_versions_.find(version); it != pending_versions_.end()) return it->second;
  if (auto st = s_->insert_version.bind(1, version).run(); !st) return st.error();
  int64_t id;
  if (db.changes() == 1) {
    id = db.last_insert_rowid();
  } else {  // another connection interned it
    ScopedReset reset(s_->find_version);
    s_->find_version.bind(1, version);
    auto row = s_->find_version.step();
    if (!row) return row.error();
    if (!*row) return make_error(ErrorCode::kDatabaseError, "version \"" + version + "\" vanished while interning it");
    id = s_->find_version.column_int64(0);
  }
  // Raw slots keep 32 bits of it.
  if (id < 0 || id > std::numeric_limits<uint32_t>::max())
    return make_error(ErrorCode::kInvalidData, "too many distinct versions in history");
  pending_versions_.emplace(version, id);
  return id;
}

void HistoryWriter::committed() {
  version_ids_.merge(pending_versions_);
  pending_versions_.clear();
}

void HistoryWriter::rolled_back() { pending_versions_.clear(); }

Status HistoryWriter::write_cycle_samples(Database& db, std::vector<NodeSample> samples, int64_t retention_cutoff) {
  if (auto st = store_samples(db, samples); !st) return st;
  if (retention_cutoff > 0) {
    if (auto st = delete_raw_before(retention_cutoff); !st) return with_context("deleting old history", st.error());
  }
  auto compacted = compact_slice(db);
  if (!compacted) return with_context("compacting history", compacted.error());
  if (retention_cutoff > 0) {
    if (auto st = delete_chunk_slice(retention_cutoff, *compacted); !st)
      return with_context("deleting old history", st.error());
  }
  return ok_status();
}

Status HistoryWriter::store_samples(Database& db, std::vector<NodeSample>& samples) {
  for (const auto& s : samples) {
    if (s.sample.ts < 0 || s.sample.ts > kMaxRawTs) {
      return make_error(ErrorCode::kInvalidData, "node sample timestamp " + std::to_string(s.sample.ts) +
                                                     " is outside what history keeps (0 .. 2^34-1)");
    }
  }
  sort_and_dedupe(samples);
  if (auto st = replace_in_chunks(samples); !st) return with_context("replacing compacted samples", st.error());
  if (auto st = store_raw(samples); !st) return with_context("saving recent samples", st.error());
  return ok_status();
}

}  // namespace pnode::store::sqlite
