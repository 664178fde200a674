// Chunks: one row per (node, hour) holding that hour's samples column-wise
// (history_codec.h). Samples reach them two ways: compaction, which each cycle moves a
// slice of the closed hours' raw segments into chunks, and a write for an hour that may
// be compacted already (a clock that went back), which replaces the chunk's sample in
// place. Bulk writes also merge into chunks (node_history_bulk.cc). See docs/storage.md.
#include "store/sqlite/node_history_tables.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "store/history_codec.h"
#include "store/sqlite/node_history_internal.h"

namespace pnode::store::sqlite {
namespace {

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

// The end of the run of samples from `begin` with the same node and hour.
size_t end_of_chunk_group(const std::vector<NodeSample>& samples, size_t begin) {
  size_t end = begin + 1;
  const int64_t hour = hour_of(samples[begin].sample.ts);
  while (end < samples.size() && samples[end].node_id == samples[begin].node_id &&
         hour_of(samples[end].sample.ts) == hour)
    ++end;
  return end;
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
      if (!*row) return make_error(ErrorCode::kDatabaseError, "a history chunk vanished while merging into it");
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

}  // namespace pnode::store::sqlite
