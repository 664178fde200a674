#include "store/sqlite/node_history_tables.h"

#include <algorithm>
#include <array>
#include <bit>
#include <initializer_list>
#include <limits>
#include <map>
#include <string_view>
#include <utility>

namespace pnode::store::sqlite {
namespace {

// ---- SQL -------------------------------------------------------------------------------

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
constexpr std::string_view kAllVersions = "SELECT version_id, version FROM history_versions";

constexpr std::string_view kFindNode = "SELECT node_id FROM nodes WHERE address = ?1";
constexpr std::string_view kChunkRange =
    "SELECT samples, body FROM node_chunks WHERE node_id = ?1 AND hour >= ?2 AND hour <= ?3 ORDER BY hour";
constexpr std::string_view kRawRange = "SELECT key, body FROM raw_samples WHERE key >= ?1 AND key <= ?2 ORDER BY key";
constexpr std::string_view kCompactedCounts =
    "SELECT c.node_id, n.address, c.snapshots, c.first_ts, c.last_ts FROM node_history_counts c "
    "JOIN nodes n ON n.node_id = c.node_id WHERE c.snapshots > 0";
constexpr std::string_view kAllRawCycles = "SELECT ts, present FROM raw_cycles";
constexpr std::string_view kAddressOf = "SELECT address FROM nodes WHERE node_id = ?1";
constexpr std::string_view kCompactedTotal = "SELECT coalesce(sum(snapshots), 0) FROM node_history_counts";
constexpr std::string_view kHistoryPages =
    "SELECT name, pgsize FROM dbstat WHERE aggregate = TRUE AND name IN ('node_chunks', 'node_chunks_by_hour', "
    "'raw_samples', 'raw_cycles', 'node_history_counts', 'history_versions', 'sqlite_autoindex_history_versions_1')";

constexpr std::string_view kLegacyTableExists =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'legacy_node_history'";
constexpr std::string_view kLegacyFirstNode = "SELECT coalesce(min(node_id), -1) FROM legacy_node_history";
constexpr std::string_view kLegacyRows =
    "SELECT node_id, ts, is_online, is_public, version, uptime, storage_committed, storage_used, "
    "storage_usage_percent, peer_count, score_x100, trust_score_x100, capacity_score_x100 FROM legacy_node_history "
    "WHERE node_id >= ?1 AND node_id < ?2 ORDER BY node_id, ts";
constexpr std::string_view kLegacyDelete = "DELETE FROM legacy_node_history WHERE node_id >= ?1 AND node_id < ?2";
constexpr int64_t kLegacyNodesPerBatch = 512;

// ---- keys, bitmaps ---------------------------------------------------------------------

static_assert(kSegmentSlots % 8 == 0, "a segment's bits are whole bytes of the raw_cycles bitmap");
constexpr size_t kSegmentBitmapBytes = kSegmentSlots / 8;
// Maintenance slices: at least this many segments (chunks) a cycle, and enough to
// finish the work due in about kStepsPerHour cycles. At one cycle a minute, 10,000
// nodes are compacted in ~27 cycles (~380 chunk inserts each), then the hour due for
// retention goes in ~20 (512 chunk deletes each).
constexpr size_t kMinSegmentsPerStep = 8;
constexpr int64_t kMinChunksPerStep = 512;
constexpr size_t kStepsPerHour = 30;

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}
int64_t hour_of(int64_t ts) { return floor_div(ts, kChunkSeconds); }
int64_t segment_of(int64_t node_id) { return node_id / kSegmentSlots; }
size_t slot_of(int64_t node_id) { return static_cast<size_t>(node_id % kSegmentSlots); }
int64_t raw_key(int64_t segment, int64_t ts) { return (segment << kRawTsBits) | ts; }

bool bit_is_set(std::string_view bitmap, int64_t id) {
  auto byte = static_cast<size_t>(id / 8);
  return byte < bitmap.size() && ((static_cast<uint8_t>(bitmap[byte]) >> (id % 8)) & 1) != 0;
}

void set_bit(std::string& bitmap, int64_t id) {
  auto byte = static_cast<size_t>(id / 8);
  if (bitmap.size() <= byte) bitmap.resize(byte + 1, '\0');
  bitmap[byte] = static_cast<char>(static_cast<uint8_t>(bitmap[byte]) | (1u << (id % 8)));
}

bool segment_has_bits(std::string_view bitmap, int64_t segment) {
  size_t from = static_cast<size_t>(segment) * kSegmentBitmapBytes;
  for (size_t b = from; b < from + kSegmentBitmapBytes && b < bitmap.size(); ++b)
    if (bitmap[b] != 0) return true;
  return false;
}

// Returns whether anything was cleared.
bool clear_segment(std::string& bitmap, int64_t segment) {
  bool changed = false;
  size_t from = static_cast<size_t>(segment) * kSegmentBitmapBytes;
  for (size_t b = from; b < from + kSegmentBitmapBytes && b < bitmap.size(); ++b) {
    changed |= bitmap[b] != 0;
    bitmap[b] = 0;
  }
  return changed;
}

bool all_zero(std::string_view bitmap) {
  return std::all_of(bitmap.begin(), bitmap.end(), [](char c) { return c == 0; });
}

int64_t segment_count(std::string_view bitmap) {
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

// Steps a one-row, one-column query (already bound) and resets it; nullopt when the
// value is NULL or there is no row.
Result<std::optional<int64_t>> optional_int(Statement& s) {
  struct ResetAfter {
    Statement& s;
    ~ResetAfter() { s.reset(); }
  } reset{s};
  auto row = s.step();
  if (!row) return row.error();
  if (!*row || s.is_null(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(s.column_int64(0));
}

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

// The end of the run of samples from `begin` with the same node and hour.
size_t end_of_chunk_group(const std::vector<NodeSample>& samples, size_t begin) {
  size_t end = begin + 1;
  const int64_t hour = hour_of(samples[begin].sample.ts);
  while (end < samples.size() && samples[end].node_id == samples[begin].node_id &&
         hour_of(samples[end].sample.ts) == hour)
    ++end;
  return end;
}

// `existing` and `incoming` sorted by ts; an incoming sample replaces one at the same ts.
std::vector<StoredSample> merge_samples(const std::vector<StoredSample>& existing,
                                        const std::vector<StoredSample>& incoming) {
  std::vector<StoredSample> merged;
  merged.reserve(existing.size() + incoming.size());
  size_t i = 0, j = 0;
  while (i < existing.size() || j < incoming.size()) {
    if (j == incoming.size() || (i < existing.size() && existing[i].ts < incoming[j].ts)) {
      merged.push_back(existing[i++]);
    } else {
      if (i < existing.size() && existing[i].ts == incoming[j].ts) ++i;
      merged.push_back(incoming[j++]);
    }
  }
  return merged;
}

}  // namespace

// ---- writer ----------------------------------------------------------------------------

struct HistoryWriter::Statements {
  Statement max_raw_ts, max_chunk_hour, min_chunk_hour, select_raw_cycle, upsert_raw_cycle, delete_raw_cycle,
      raw_cycles_between, select_raw_segment, upsert_raw_segment, raw_segment_range, delete_raw_range, insert_chunk,
      select_chunk, update_chunk, count_samples, count_old_chunks, old_chunks, delete_chunk, uncount_chunks,
      insert_version, find_version;
};

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
  auto all = db.prepare(kAllVersions);
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
    if (!*row) return make_error("database_error", "version \"" + version + "\" vanished while interning it");
    id = s_->find_version.column_int64(0);
  }
  // Raw slots keep 32 bits of it.
  if (id < 0 || id > std::numeric_limits<uint32_t>::max())
    return make_error("invalid_data", "too many distinct versions in history");
  pending_versions_.emplace(version, id);
  return id;
}

void HistoryWriter::committed() {
  version_ids_.merge(pending_versions_);
  pending_versions_.clear();
}

void HistoryWriter::rolled_back() { pending_versions_.clear(); }

Result<std::vector<std::pair<int64_t, std::string>>> HistoryWriter::raw_cycles_between(int64_t from, int64_t to) {
  std::vector<std::pair<int64_t, std::string>> out;
  Statement& s = s_->raw_cycles_between;
  ScopedReset reset(s);
  s.bind(1, from).bind(2, to);
  for (;;) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) break;
    out.emplace_back(s.column_int64(0), std::string(s.column_blob(1)));
  }
  return out;
}

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
      return make_error("invalid_data", "node sample timestamp " + std::to_string(s.sample.ts) +
                                            " is outside what history keeps (0 .. 2^34-1)");
    }
  }
  sort_and_dedupe(samples);
  if (auto st = replace_in_chunks(samples); !st) return with_context("replacing compacted samples", st.error());
  if (auto st = store_raw(samples); !st) return with_context("saving recent samples", st.error());
  return ok_status();
}

// Samples whose (node, hour) may be compacted already: the ones a chunk has replace it
// there and leave `samples`. Normal cycles (a newer hour than any chunk) skip this.
Status HistoryWriter::replace_in_chunks(std::vector<NodeSample>& samples) {
  auto newest = optional_int(s_->max_chunk_hour);
  if (!newest) return newest.error();
  if (!*newest) return ok_status();
  std::vector<bool> consumed(samples.size(), false);
  bool any = false;
  std::vector<StoredSample> chunk;
  for (size_t begin = 0; begin < samples.size();) {
    size_t end = end_of_chunk_group(samples, begin);
    const int64_t node_id = samples[begin].node_id, hour = hour_of(samples[begin].sample.ts);
    if (hour <= **newest) {
      chunk.clear();
      bool found = false;
      {
        ScopedReset reset(s_->select_chunk);
        s_->select_chunk.bind(1, node_id).bind(2, hour);
        auto row = s_->select_chunk.step();
        if (!row) return row.error();
        if (*row) {
          found = true;
          if (auto st = decode_history_chunk(s_->select_chunk.column_blob(0), chunk); !st) return st;
        }
      }
      bool replaced = false;
      for (size_t i = begin; found && i < end; ++i) {
        auto it = std::lower_bound(chunk.begin(), chunk.end(), samples[i].sample.ts,
                                   [](const StoredSample& c, int64_t ts) { return c.ts < ts; });
        if (it != chunk.end() && it->ts == samples[i].sample.ts) {
          *it = samples[i].sample;
          consumed[i] = replaced = any = true;
        }
      }
      if (replaced) {
        auto st = s_->update_chunk.bind(1, node_id)
                      .bind(2, hour)
                      .bind(3, static_cast<int64_t>(chunk.size()))
                      .bind(4, chunk.front().ts)
                      .bind_blob(5, encode_history_chunk(chunk))
                      .run();
        if (!st) return st;
      }
    }
    begin = end;
  }
  if (any) {
    size_t out = 0;
    for (size_t i = 0; i < samples.size(); ++i)
      if (!consumed[i]) samples[out++] = samples[i];
    samples.resize(out);
  }
  return ok_status();
}

Status HistoryWriter::store_raw(const std::vector<NodeSample>& samples) {
  if (samples.empty()) return ok_status();
  // Grouped by timestamp, then node (so segments come in order).
  std::vector<const NodeSample*> order;
  order.reserve(samples.size());
  for (const auto& s : samples) order.push_back(&s);
  std::sort(order.begin(), order.end(), [](const NodeSample* a, const NodeSample* b) {
    return a->sample.ts != b->sample.ts ? a->sample.ts < b->sample.ts : a->node_id < b->node_id;
  });
  std::string body;
  for (size_t begin = 0; begin < order.size();) {
    const int64_t ts = order[begin]->sample.ts;
    size_t end = begin;
    while (end < order.size() && order[end]->sample.ts == ts) ++end;

    std::string present;
    {
      ScopedReset reset(s_->select_raw_cycle);
      s_->select_raw_cycle.bind(1, ts);
      auto row = s_->select_raw_cycle.step();
      if (!row) return row.error();
      if (*row) present = std::string(s_->select_raw_cycle.column_blob(0));
    }
    for (size_t i = begin; i < end;) {
      const int64_t segment = segment_of(order[i]->node_id);
      body.clear();
      if (segment_has_bits(present, segment)) {  // this segment has samples at ts: update them
        ScopedReset reset(s_->select_raw_segment);
        s_->select_raw_segment.bind(1, raw_key(segment, ts));
        auto row = s_->select_raw_segment.step();
        if (!row) return row.error();
        if (*row) body = std::string(s_->select_raw_segment.column_blob(0));
      }
      for (; i < end && segment_of(order[i]->node_id) == segment; ++i) {
        size_t slot = slot_of(order[i]->node_id);
        if (body.size() < (slot + 1) * kRawSlotBytes) body.resize((slot + 1) * kRawSlotBytes, '\0');
        write_raw_slot(order[i]->sample, body.data() + slot * kRawSlotBytes);
        set_bit(present, order[i]->node_id);
      }
      if (auto st = s_->upsert_raw_segment.bind(1, raw_key(segment, ts)).bind_blob(2, body).run(); !st) return st;
    }
    if (auto st = s_->upsert_raw_cycle.bind(1, ts).bind_blob(2, present).run(); !st) return st;
    begin = end;
  }
  return ok_status();
}

Result<bool> HistoryWriter::compact_slice(Database& db) {
  auto newest = optional_int(s_->max_raw_ts);
  if (!newest) return newest.error();
  if (!*newest) return false;
  // Raw samples before the newest raw hour are closed.
  const int64_t before = hour_of(**newest) * kChunkSeconds;
  auto closed = raw_cycles_between(std::numeric_limits<int64_t>::min(), before);
  if (!closed) return closed.error();
  if (closed->empty()) return false;

  std::vector<int64_t> pending;
  {
    std::vector<bool> seen;
    for (const auto& [ts, present] : *closed) {
      int64_t segments = segment_count(present);
      if (seen.size() < static_cast<size_t>(segments)) seen.resize(static_cast<size_t>(segments), false);
      for (int64_t seg = 0; seg < segments; ++seg)
        if (!seen[static_cast<size_t>(seg)] && segment_has_bits(present, seg)) seen[static_cast<size_t>(seg)] = true;
    }
    for (size_t seg = 0; seg < seen.size(); ++seg)
      if (seen[seg]) pending.push_back(static_cast<int64_t>(seg));
  }
  size_t budget = std::max(kMinSegmentsPerStep, (pending.size() + kStepsPerHour - 1) / kStepsPerHour);
  pending.resize(std::min(budget, pending.size()));

  for (int64_t segment : pending) {
    if (auto st = compact_segment(db, segment, before); !st)
      return with_context("segment " + std::to_string(segment), st.error());
  }
  for (auto& [ts, present] : *closed) {
    bool changed = false;
    for (int64_t segment : pending) changed |= clear_segment(present, segment);
    if (!changed) continue;
    Status st = all_zero(present) ? s_->delete_raw_cycle.bind(1, ts).run()
                                  : s_->upsert_raw_cycle.bind(1, ts).bind_blob(2, present).run();
    if (!st) return st.error();
  }
  return !pending.empty();
}

Status HistoryWriter::compact_segment(Database& db, int64_t segment, int64_t before_ts) {
  std::vector<std::vector<StoredSample>> by_slot(kSegmentSlots);
  const int64_t lo = raw_key(segment, 0), hi = raw_key(segment, before_ts);
  {
    Statement& s = s_->raw_segment_range;
    ScopedReset reset(s);
    s.bind(1, lo).bind(2, hi);
    StoredSample sample;
    for (;;) {
      auto row = s.step();
      if (!row) return row.error();
      if (!*row) break;
      const int64_t ts = s.column_int64(0) & kMaxRawTs;
      std::string_view body = s.column_blob(1);
      for (size_t slot = 0; slot < static_cast<size_t>(kSegmentSlots); ++slot) {
        if (read_raw_slot(body, slot, ts, sample)) by_slot[slot].push_back(sample);
      }
    }
  }
  std::vector<StoredSample> group;
  for (size_t slot = 0; slot < by_slot.size(); ++slot) {
    const auto& samples = by_slot[slot];  // in ts order: the range is read by key
    const int64_t node_id = segment * kSegmentSlots + static_cast<int64_t>(slot);
    for (size_t begin = 0; begin < samples.size();) {
      const int64_t hour = hour_of(samples[begin].ts);
      size_t end = begin;
      while (end < samples.size() && hour_of(samples[end].ts) == hour) ++end;
      group.assign(samples.begin() + static_cast<ptrdiff_t>(begin), samples.begin() + static_cast<ptrdiff_t>(end));
      if (auto st = merge_into_chunk(db, node_id, hour, group); !st) return st;
      begin = end;
    }
  }
  return s_->delete_raw_range.bind(1, lo).bind(2, hi).run();
}

Status HistoryWriter::merge_into_chunk(Database& db, int64_t node_id, int64_t hour,
                                       std::vector<StoredSample>& samples) {
  int64_t added = static_cast<int64_t>(samples.size());
  auto st = s_->insert_chunk.bind(1, node_id)
                .bind(2, hour)
                .bind(3, added)
                .bind(4, samples.front().ts)
                .bind_blob(5, encode_history_chunk(samples))
                .run();
  if (!st) return st;
  if (db.changes() == 0) {  // the hour has a chunk: merge (rare: late or re-imported samples)
    std::vector<StoredSample> existing;
    {
      ScopedReset reset(s_->select_chunk);
      s_->select_chunk.bind(1, node_id).bind(2, hour);
      auto row = s_->select_chunk.step();
      if (!row) return row.error();
      if (!*row) return make_error("database_error", "a history chunk vanished while merging into it");
      if (auto decoded = decode_history_chunk(s_->select_chunk.column_blob(0), existing); !decoded) return decoded;
    }
    std::vector<StoredSample> merged = merge_samples(existing, samples);
    added = static_cast<int64_t>(merged.size()) - static_cast<int64_t>(existing.size());
    st = s_->update_chunk.bind(1, node_id)
             .bind(2, hour)
             .bind(3, static_cast<int64_t>(merged.size()))
             .bind(4, merged.front().ts)
             .bind_blob(5, encode_history_chunk(merged))
             .run();
    if (!st) return st;
  }
  return s_->count_samples.bind(1, node_id).bind(2, added).bind(3, samples.front().ts).bind(4, samples.back().ts).run();
}

Status HistoryWriter::write_bulk(Database& db, std::vector<NodeSample> samples) {
  sort_and_dedupe(samples);
  // Per hour, the nodes raw storage holds samples of (usually none: bulk data is old).
  std::map<int64_t, std::string> raw_nodes_by_hour;
  auto raw_nodes_in = [&](int64_t hour) -> Result<const std::string*> {
    auto it = raw_nodes_by_hour.find(hour);
    if (it != raw_nodes_by_hour.end()) return &it->second;
    std::string bitmap;
    const int64_t from = hour * kChunkSeconds;
    if (from >= 0 && from <= kMaxRawTs) {
      auto rows = raw_cycles_between(from, from + kChunkSeconds);
      if (!rows) return rows.error();
      for (const auto& [ts, present] : *rows) {
        if (bitmap.size() < present.size()) bitmap.resize(present.size(), '\0');
        for (size_t b = 0; b < present.size(); ++b) bitmap[b] = static_cast<char>(bitmap[b] | present[b]);
      }
    }
    return &raw_nodes_by_hour.emplace(hour, std::move(bitmap)).first->second;
  };

  std::vector<NodeSample> through_raw;
  std::vector<StoredSample> group;
  for (size_t begin = 0; begin < samples.size();) {
    size_t end = end_of_chunk_group(samples, begin);
    const int64_t node_id = samples[begin].node_id, hour = hour_of(samples[begin].sample.ts);
    auto raw_nodes = raw_nodes_in(hour);
    if (!raw_nodes) return with_context("writing history in bulk", raw_nodes.error());
    if (bit_is_set(**raw_nodes, node_id)) {
      through_raw.insert(through_raw.end(), samples.begin() + static_cast<ptrdiff_t>(begin),
                         samples.begin() + static_cast<ptrdiff_t>(end));
    } else {
      group.clear();
      for (size_t i = begin; i < end; ++i) group.push_back(samples[i].sample);
      if (auto st = merge_into_chunk(db, node_id, hour, group); !st)
        return with_context("writing history in bulk", st.error());
    }
    begin = end;
  }
  return store_samples(db, through_raw);
}

Status HistoryWriter::delete_raw_before(int64_t cutoff) {
  auto old = raw_cycles_between(std::numeric_limits<int64_t>::min(), cutoff);
  if (!old) return old.error();
  for (const auto& [ts, present] : *old) {
    for (int64_t seg = 0; seg < segment_count(present); ++seg) {
      if (!segment_has_bits(present, seg)) continue;
      const int64_t key = raw_key(seg, ts);
      if (auto st = s_->delete_raw_range.bind(1, key).bind(2, key + 1).run(); !st) return st;
    }
    if (auto st = s_->delete_raw_cycle.bind(1, ts).run(); !st) return st;
  }
  return ok_status();
}

Status HistoryWriter::delete_chunk_slice(int64_t cutoff, bool compacted) {
  // Most cycles find nothing due with one index seek. After a compaction slice, only
  // an overdue hour is deleted (cycles too far apart to finish compacting within the
  // hour would otherwise never get to retention).
  const int64_t cutoff_hour = hour_of(cutoff);
  auto oldest = optional_int(s_->min_chunk_hour);
  if (!oldest) return oldest.error();
  if (!*oldest || **oldest >= cutoff_hour - (compacted ? 1 : 0)) return ok_status();
  auto due = optional_int(s_->count_old_chunks.bind(1, cutoff_hour));
  if (!due) return due.error();
  const int64_t budget =
      std::max(kMinChunksPerStep, (due->value_or(0) + int64_t{kStepsPerHour} - 1) / int64_t{kStepsPerHour});

  std::vector<std::array<int64_t, 3>> chunks;  // node, hour, samples
  {
    Statement& s = s_->old_chunks;
    ScopedReset reset(s);
    s.bind(1, cutoff_hour).bind(2, budget);
    for (;;) {
      auto row = s.step();
      if (!row) return row.error();
      if (!*row) break;
      chunks.push_back({s.column_int64(0), s.column_int64(1), s.column_int64(2)});
    }
  }
  std::map<int64_t, int64_t> uncount;  // node -> samples deleted
  for (const auto& [node_id, hour, samples] : chunks) {
    if (auto st = s_->delete_chunk.bind(1, node_id).bind(2, hour).run(); !st) return st;
    uncount[node_id] += samples;
  }
  for (const auto& [node_id, samples] : uncount) {
    if (auto st = s_->uncount_chunks.bind(1, node_id).bind(2, samples).run(); !st) return st;
  }
  return ok_status();
}

Result<std::vector<uint8_t>> HistoryWriter::raw_node_bitmap(Database& db) {
  auto all = raw_cycles_between(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
  if (!all) return all.error();
  std::vector<uint8_t> bitmap;
  for (const auto& [ts, present] : *all) {
    if (bitmap.size() < present.size()) bitmap.resize(present.size(), 0);
    for (size_t b = 0; b < present.size(); ++b) bitmap[b] |= static_cast<uint8_t>(present[b]);
  }
  return bitmap;
}

Status HistoryWriter::import_legacy_rows(Database& db) {
  const std::string context = "converting the node history of " + db.path() + " to schema version 2";
  auto exists = db.query_int(kLegacyTableExists);
  if (!exists) return with_context(context, exists.error());
  if (*exists == 0) return ok_status();
  auto first_node = db.prepare(kLegacyFirstNode);
  auto rows = db.prepare(kLegacyRows);
  auto remove = db.prepare(kLegacyDelete);
  if (!first_node) return with_context(context, first_node.error());
  if (!rows) return with_context(context, rows.error());
  if (!remove) return with_context(context, remove.error());
  // A batch of nodes a transaction: a crash keeps what is converted and the rest.
  for (;;) {
    auto tx = Transaction::begin(db, Transaction::Kind::kImmediate);
    if (!tx) return with_context(context, tx.error());
    auto lo = optional_int(*first_node);
    if (!lo) return with_context(context, lo.error());
    if (!*lo || **lo < 0) {
      if (auto st = db.exec("DROP TABLE legacy_node_history"); !st) return with_context(context, st.error());
      if (auto st = tx->commit(); !st) return with_context(context, st.error());
      return ok_status();
    }
    const int64_t hi = **lo + kLegacyNodesPerBatch;
    std::vector<NodeSample> batch;
    {
      ScopedReset reset(*rows);
      rows->bind(1, **lo).bind(2, hi);
      for (;;) {
        auto row = rows->step();
        if (!row) return with_context(context, row.error());
        if (!*row) break;
        auto version = version_id(db, rows->column_string(4));
        if (!version) {
          rolled_back();
          return with_context(context, version.error());
        }
        auto x100 = [&](int col) { return rows->is_null(col) ? kNoScore : rows->column_int64(col); };
        NodeSample n;
        n.node_id = rows->column_int64(0);
        StoredSample& s = n.sample;
        s.ts = rows->column_int64(1);
        s.is_online = rows->column_bool(2);
        s.is_public = rows->column_bool(3);
        s.version_id = *version;
        s.uptime = rows->column_uint64(5);
        s.storage_committed = rows->column_uint64(6);
        s.storage_used = rows->column_uint64(7);
        double percent = rows->is_null(8) ? std::numeric_limits<double>::quiet_NaN() : rows->column_double(8);
        s.usage_percent_bits = std::bit_cast<uint64_t>(percent);
        s.peer_count = rows->column_int64(9);
        s.score_x100 = x100(10);
        s.trust_score_x100 = x100(11);
        s.capacity_score_x100 = x100(12);
        batch.push_back(n);
      }
    }
    Status st = write_bulk(db, std::move(batch));
    if (st) st = remove->bind(1, **lo).bind(2, hi).run();
    if (st) st = tx->commit();
    if (!st) {
      rolled_back();
      return with_context(context, st.error());
    }
    committed();
  }
}

// ---- reader ----------------------------------------------------------------------------

struct HistoryReader::Statements {
  Statement find_node, chunk_range, raw_range, all_versions, compacted_counts, all_raw_cycles, address_of,
      compacted_total, history_pages;
};

Result<HistoryReader> HistoryReader::prepare(Database& db) {
  auto s = std::make_shared<Statements>();
  auto st = prepare_all(db, {{&s->find_node, kFindNode},
                             {&s->chunk_range, kChunkRange},
                             {&s->raw_range, kRawRange},
                             {&s->all_versions, kAllVersions},
                             {&s->compacted_counts, kCompactedCounts},
                             {&s->all_raw_cycles, kAllRawCycles},
                             {&s->address_of, kAddressOf},
                             {&s->compacted_total, kCompactedTotal},
                             {&s->history_pages, kHistoryPages}});
  if (!st) return with_context("preparing the history queries", st.error());
  return HistoryReader(std::move(s));
}

Result<const std::string*> HistoryReader::version_text(int64_t version_id) {
  if (auto it = versions_.find(version_id); it != versions_.end()) return &it->second;
  // Interned since this reader last looked: reload them all (there are few).
  Statement& s = s_->all_versions;
  ScopedReset reset(s);
  for (;;) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) break;
    versions_.insert_or_assign(s.column_int64(0), s.column_string(1));
  }
  if (auto it = versions_.find(version_id); it != versions_.end()) return &it->second;
  return make_error("corrupt", "history names version id " + std::to_string(version_id) + ", which is not stored");
}

Result<std::vector<NodeHistoryRow>> HistoryReader::node_history(const std::string& address, int64_t since,
                                                                int64_t until) {
  std::vector<NodeHistoryRow> out;
  if (since > until) return out;
  int64_t node_id;
  {
    ScopedReset reset(s_->find_node);
    s_->find_node.bind(1, address);
    auto row = s_->find_node.step();
    if (!row) return row.error();
    if (!*row) return out;
    node_id = s_->find_node.column_int64(0);
  }

  // A month is ~43,000 rows (~6 MB): the chunks are copied out first (~4 bytes a
  // sample) so the rows can be reserved exactly, then each chunk is decoded into a small
  // reused buffer and appended. Growing vectors instead cost more in page faults than
  // the decoding itself.
  std::string bodies;
  std::vector<std::pair<size_t, size_t>> chunks;  // offset, size in `bodies`
  size_t total = 0;
  {
    Statement& s = s_->chunk_range;
    ScopedReset reset(s);
    s.bind(1, node_id).bind(2, hour_of(since)).bind(3, hour_of(until));
    for (;;) {
      auto row = s.step();
      if (!row) return row.error();
      if (!*row) break;
      total += static_cast<size_t>(s.column_int64(0));
      std::string_view body = s.column_blob(1);
      chunks.emplace_back(bodies.size(), body.size());
      bodies.append(body);
    }
  }
  std::vector<StoredSample> recent;
  if (until >= 0 && since <= kMaxRawTs) {
    const int64_t segment = segment_of(node_id);
    const size_t slot = slot_of(node_id);
    Statement& s = s_->raw_range;
    ScopedReset reset(s);
    s.bind(1, raw_key(segment, std::max<int64_t>(since, 0))).bind(2, raw_key(segment, std::min(until, kMaxRawTs)));
    StoredSample sample;
    for (;;) {
      auto row = s.step();
      if (!row) return row.error();
      if (!*row) break;
      if (read_raw_slot(s.column_blob(1), slot, s.column_int64(0) & kMaxRawTs, sample)) recent.push_back(sample);
    }
  }

  out.reserve(total + recent.size());
  int64_t last_version = -1;
  const std::string* version = nullptr;
  auto append = [&](const StoredSample& sample) -> Status {
    if (sample.ts < since || sample.ts > until) return ok_status();  // first and last hours only
    if (sample.version_id != last_version) {
      auto text = version_text(sample.version_id);
      if (!text) return text.error();
      version = *text;
      last_version = sample.version_id;
    }
    NodeHistoryRow& r = out.emplace_back();
    r.address = address;
    r.version = *version;
    fill_history_row(sample, r);
    return ok_status();
  };
  std::vector<StoredSample> chunk;
  for (const auto& [offset, size] : chunks) {
    chunk.clear();
    if (auto st = decode_history_chunk(std::string_view(bodies).substr(offset, size), chunk); !st) return st.error();
    for (const auto& sample : chunk)
      if (auto st = append(sample); !st) return st.error();
  }
  const size_t compacted = out.size();
  for (const auto& sample : recent)
    if (auto st = append(sample); !st) return st.error();
  // Raw samples are usually all newer than the chunks; a late one needs a merge.
  if (compacted > 0 && compacted < out.size() && out[compacted].timestamp <= out[compacted - 1].timestamp) {
    std::inplace_merge(out.begin(), out.begin() + static_cast<ptrdiff_t>(compacted), out.end(),
                       [](const NodeHistoryRow& a, const NodeHistoryRow& b) { return a.timestamp < b.timestamp; });
  }
  return out;
}

Result<std::vector<HistoryStatusRow>> HistoryReader::history_status(size_t limit) {
  struct Stat {
    int64_t snapshots = 0;
    int64_t first = std::numeric_limits<int64_t>::max();
    int64_t last = std::numeric_limits<int64_t>::min();
    std::string address;
  };
  std::vector<Stat> stats;
  auto stat_of = [&](int64_t node_id) -> Stat& {
    if (stats.size() <= static_cast<size_t>(node_id)) stats.resize(static_cast<size_t>(node_id) + 1);
    return stats[static_cast<size_t>(node_id)];
  };
  {
    Statement& s = s_->compacted_counts;
    ScopedReset reset(s);
    for (;;) {
      auto row = s.step();
      if (!row) return row.error();
      if (!*row) break;
      Stat& st = stat_of(s.column_int64(0));
      st.address = s.column_string(1);
      st.snapshots = s.column_int64(2);
      st.first = s.column_int64(3);
      st.last = s.column_int64(4);
    }
  }
  {
    Statement& s = s_->all_raw_cycles;
    ScopedReset reset(s);
    for (;;) {
      auto row = s.step();
      if (!row) return row.error();
      if (!*row) break;
      const int64_t ts = s.column_int64(0);
      std::string_view present = s.column_blob(1);
      if (stats.size() < present.size() * 8) stats.resize(present.size() * 8);
      for_each_bit(present, [&](int64_t id) {
        Stat& st = stats[static_cast<size_t>(id)];
        ++st.snapshots;
        st.first = std::min(st.first, ts);
        st.last = std::max(st.last, ts);
      });
    }
  }
  std::vector<HistoryStatusRow> out;
  for (size_t id = 0; id < stats.size(); ++id) {
    Stat& st = stats[id];
    if (st.snapshots == 0) continue;
    if (st.address.empty()) {  // raw samples only so far
      ScopedReset reset(s_->address_of);
      s_->address_of.bind(1, static_cast<int64_t>(id));
      auto row = s_->address_of.step();
      if (!row) return row.error();
      if (!*row) continue;  // cannot happen: an id with history is never deleted
      st.address = s_->address_of.column_string(0);
    }
    out.push_back(HistoryStatusRow{std::move(st.address), st.snapshots, st.first, st.last});
  }
  auto order = [](const HistoryStatusRow& a, const HistoryStatusRow& b) {
    return a.snapshots != b.snapshots ? a.snapshots > b.snapshots : a.address < b.address;
  };
  if (limit < out.size()) {
    std::partial_sort(out.begin(), out.begin() + static_cast<ptrdiff_t>(limit), out.end(), order);
    out.resize(limit);
  } else {
    std::sort(out.begin(), out.end(), order);
  }
  return out;
}

Result<HistoryFootprint> HistoryReader::footprint() {
  HistoryFootprint f;
  {
    Statement& s = s_->history_pages;
    ScopedReset reset(s);
    for (;;) {
      auto row = s.step();
      if (!row) return row.error();
      if (!*row) break;
      f.bytes_by_table[s.column_string(0)] = s.column_int64(1);
      f.bytes += s.column_int64(1);
    }
  }
  {
    auto total = optional_int(s_->compacted_total);
    if (!total) return total.error();
    f.samples = total->value_or(0);
  }
  {
    Statement& s = s_->all_raw_cycles;
    ScopedReset reset(s);
    for (;;) {
      auto row = s.step();
      if (!row) return row.error();
      if (!*row) break;
      for (char c : s.column_blob(1)) f.recent_samples += std::popcount(static_cast<uint8_t>(c));
    }
  }
  f.samples += f.recent_samples;
  return f;
}

}  // namespace pnode::store::sqlite
