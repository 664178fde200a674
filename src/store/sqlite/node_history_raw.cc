// Raw history: the newest samples, kept as they come in per-cycle segments. A cycle
// writes one raw_samples row per (segment of 48 node ids, timestamp) holding 48 fixed
// 72-byte slots, and one raw_cycles row per timestamp whose bitmap says which node ids
// it holds (so nothing has to read the bodies to know). Compaction moves closed hours
// into chunks (node_history_chunks.cc); the layout is in docs/storage.md.
#include "store/sqlite/node_history_tables.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "store/history_codec.h"
#include "store/sqlite/node_history_internal.h"

namespace pnode::store::sqlite {

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

}  // namespace pnode::store::sqlite
