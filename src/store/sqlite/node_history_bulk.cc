// Bulk writes (imports, benchmarks): many samples, usually old, encoded straight into
// chunks, with no maintenance slice. The samples of a (node, hour) that raw storage
// also holds take the raw path instead, so every (node, ts) is still stored once.
#include "store/sqlite/node_history_tables.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/node_history_internal.h"

namespace pnode::store::sqlite {

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

}  // namespace pnode::store::sqlite
