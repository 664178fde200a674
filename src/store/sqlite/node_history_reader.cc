// The history read path, on a reader connection inside the caller's read transaction
// (so a compaction committed meanwhile is seen entirely or not at all): one node's
// samples from its chunks and raw slots (node_history), the per-node counts
// (history_status: compacted counts plus the raw_cycles bitmaps) and the tables' size
// on disk (footprint). See docs/storage.md.
#include "store/sqlite/node_history_tables.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/history_assembly.h"
#include "store/history_codec.h"
#include "store/sqlite/node_history_internal.h"

namespace pnode::store::sqlite {
namespace {

// The names differ from those of the library's other files (sqlite_store.cc has its own
// kFindNode): a unity batch compiles them together.
constexpr std::string_view kHistoryNodeId = "SELECT node_id FROM nodes WHERE address = ?1";
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

}  // namespace

struct HistoryReader::Statements {
  Statement find_node, chunk_range, raw_range, all_versions, compacted_counts, all_raw_cycles, address_of,
      compacted_total, history_pages;
};

Result<HistoryReader> HistoryReader::prepare(Database& db) {
  auto s = std::make_shared<Statements>();
  auto st = prepare_all(db, {{&s->find_node, kHistoryNodeId},
                             {&s->chunk_range, kChunkRange},
                             {&s->raw_range, kRawRange},
                             {&s->all_versions, kAllHistoryVersions},
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
  return make_error(ErrorCode::kCorrupt,
                    "history names version id " + std::to_string(version_id) + ", which is not stored");
}

Result<NodeHistory> HistoryReader::node_history(const std::string& address, int64_t since, int64_t until) {
  HistoryAssembly assembly(address, since, until, [this](int64_t id) { return version_text(id); });
  if (since > until) return std::move(assembly).finish();
  int64_t node_id;
  {
    ScopedReset reset(s_->find_node);
    s_->find_node.bind(1, address);
    auto row = s_->find_node.step();
    if (!row) return row.error();
    if (!*row) return std::move(assembly).finish();
    node_id = s_->find_node.column_int64(0);
  }

  // The chunks are copied out first (~4 bytes a sample) so the samples can be reserved
  // exactly: growing a month's ~43,000 samples costs more in page faults than decoding.
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

  assembly.reserve(total + recent.size());
  for (const auto& [offset, size] : chunks)
    if (auto st = assembly.add_chunk(std::string_view(bodies).substr(offset, size)); !st) return st.error();
  for (const auto& sample : recent)
    if (auto st = assembly.add_raw(sample); !st) return st.error();
  return std::move(assembly).finish();
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
