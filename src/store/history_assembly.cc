#include "store/history_assembly.h"

#include <algorithm>
#include <utility>

namespace pnode::store {

HistoryAssembly::HistoryAssembly(const std::string& address, int64_t since, int64_t until, VersionName version_name)
    : since_(since), until_(until), version_name_(std::move(version_name)) {
  history_.address = address;
}

Status HistoryAssembly::add_chunk(std::string_view chunk) {
  HistoryColumns columns;
  if (auto st = decode_history_columns(chunk, chunk_buffer_, columns); !st) return st;
  for (size_t i = 0; i < columns.samples; ++i)
    if (auto st = append(columns.sample(i)); !st) return st;
  return ok_status();
}

Status HistoryAssembly::add_raw(const StoredSample& sample) {
  if (!raw_started_) {
    raw_started_ = true;
    compacted_ = history_.samples.size();
  }
  return append(sample);
}

Status HistoryAssembly::append(const StoredSample& sample) {
  if (sample.ts < since_ || sample.ts > until_) return ok_status();  // first and last hours only
  if (sample.version_id != last_version_id_) {
    auto name = version_name_(sample.version_id);
    if (!name) return name.error();
    last_version_ = *name;
    last_version_id_ = sample.version_id;
  }
  NodeHistorySample& out = history_.samples.emplace_back();
  out.version = *last_version_;
  fill_history_row(sample, out);
  return ok_status();
}

NodeHistory HistoryAssembly::finish() && {
  auto& samples = history_.samples;
  const size_t compacted = raw_started_ ? compacted_ : samples.size();
  // Raw samples are usually all newer than the chunks. A late one is merged in; one at a
  // compacted sample's timestamp (it waits beside it until the next compaction) wins.
  if (compacted > 0 && compacted < samples.size() && samples[compacted].timestamp <= samples[compacted - 1].timestamp) {
    auto by_time = [](const NodeHistorySample& a, const NodeHistorySample& b) { return a.timestamp < b.timestamp; };
    std::inplace_merge(samples.begin(), samples.begin() + static_cast<ptrdiff_t>(compacted), samples.end(), by_time);
    // The merge is stable, so at a shared timestamp the raw sample comes last: keep it.
    size_t kept = 0;
    for (size_t i = 0; i < samples.size(); ++i) {
      if (i + 1 < samples.size() && samples[i + 1].timestamp == samples[i].timestamp) continue;
      if (kept != i) samples[kept] = std::move(samples[i]);
      ++kept;
    }
    samples.erase(samples.begin() + static_cast<ptrdiff_t>(kept), samples.end());
  }
  return std::move(history_);
}

}  // namespace pnode::store
