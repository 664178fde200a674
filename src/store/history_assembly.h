// Builds one node's history (model::NodeHistory) the way a store reads it back: the
// compacted chunks in hour order, then the raw samples in time order, clipped to
// [since, until], a raw sample replacing a compacted one at the same timestamp. The
// SQLite and PostgreSQL stores both read through it, so they answer alike.
// A chunk is decoded column by column into a small reused buffer, and each sample goes
// from there straight into the result: a month of a node is ~43,000 samples, and a second
// full-size buffer would cost as much as the decoding.
// Thread-safety: an instance belongs to one read on one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "store/history_codec.h"
#include "store/store.h"
#include "util/result.h"

namespace pnode::store {

class HistoryAssembly {
 public:
  // A stored version id's name (the store's interned names); an error for an unknown id.
  using VersionName = std::function<Result<const std::string*>(int64_t version_id)>;

  HistoryAssembly(const std::string& address, int64_t since, int64_t until, VersionName version_name);

  // Room for this many samples (the chunks' counts and the raw samples), before adding.
  void reserve(size_t samples) { history_.samples.reserve(samples); }
  // A compacted chunk (history_codec.h); chunks come in hour order, before raw samples.
  Status add_chunk(std::string_view chunk);
  // A raw sample; raw samples come after every chunk, in time order.
  Status add_raw(const StoredSample& sample);
  // The history, oldest first, one sample a timestamp.
  NodeHistory finish() &&;

 private:
  Status append(const StoredSample& sample);

  NodeHistory history_;
  int64_t since_, until_;
  VersionName version_name_;
  int64_t last_version_id_ = -1;  // consecutive samples nearly always share a version
  const std::string* last_version_ = nullptr;
  size_t compacted_ = 0;  // samples from chunks, before the first raw one
  bool raw_started_ = false;
  std::vector<uint64_t> chunk_buffer_;  // one decoded chunk's columns, reused
};

}  // namespace pnode::store
