// Retention: raw samples older than the cutoff are deleted exactly, at once (a few
// rows per timestamp); chunks go by whole hours, a slice per cycle, and only in cycles
// with nothing to compact unless an hour is overdue, so compaction and retention do not
// add up in one cycle. Samples up to about an hour older than the cutoff may therefore
// remain. See docs/storage.md.
#include "store/sqlite/node_history_tables.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

#include "store/sqlite/node_history_internal.h"

namespace pnode::store::sqlite {

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

}  // namespace pnode::store::sqlite
