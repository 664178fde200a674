#include "store/history_codec.h"

#include <array>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>

namespace pnode::store {
namespace {

static_assert(std::endian::native == std::endian::little, "raw slots and chunks are little-endian");

constexpr uint8_t kChunkFormat = 1;

// ---- values ------------------------------------------------------------------------------

uint64_t canonical_double_bits(double v) {
  if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();
  return std::bit_cast<uint64_t>(v);
}

uint64_t zigzag(uint64_t wrapped) {
  auto v = static_cast<int64_t>(wrapped);
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
uint64_t unzigzag(uint64_t z) { return (z >> 1) ^ (~(z & 1) + 1); }

// ---- columns ---------------------------------------------------------------------------

// Every column is handled as uint64 with wrapping arithmetic.
struct Column {
  uint64_t (*get)(const StoredSample&);
  bool fixed_first;  // first value as 8 raw bytes (a double's bits) rather than a zigzag varint
};

template <class T>
uint64_t as_u64(T v) {
  return static_cast<uint64_t>(v);
}

constexpr Column kColumns[] = {
    {[](const StoredSample& s) { return as_u64(s.ts); }, false},
    {[](const StoredSample& s) { return as_u64((s.is_online ? 1u : 0u) | (s.is_public ? 2u : 0u)); }, false},
    {[](const StoredSample& s) { return as_u64(s.version_id); }, false},
    {[](const StoredSample& s) { return s.uptime; }, false},
    {[](const StoredSample& s) { return s.storage_committed; }, false},
    {[](const StoredSample& s) { return s.storage_used; }, false},
    {[](const StoredSample& s) { return s.usage_percent_bits; }, true},
    {[](const StoredSample& s) { return as_u64(s.peer_count); }, false},
    {[](const StoredSample& s) { return as_u64(s.score_x100); }, false},
    {[](const StoredSample& s) { return as_u64(s.trust_score_x100); }, false},
    {[](const StoredSample& s) { return as_u64(s.capacity_score_x100); }, false},
};
constexpr size_t kColumnCount = std::size(kColumns);
constexpr size_t kTimestampColumn = 0;

enum Predictor : uint8_t { kDelta = 0, kDeltaOfDelta = 1, kDeltaVsTime = 2, kXor = 3, kPredictorCount = 4 };

// Residual codes of values[1..n) under `p`; `times` is the timestamp column.
void residuals(Predictor p, const std::vector<uint64_t>& values, const std::vector<uint64_t>& times,
               std::vector<uint64_t>& codes) {
  const size_t n = values.size();
  codes.resize(n - 1);
  uint64_t previous_delta = 0;
  for (size_t i = 1; i < n; ++i) {
    uint64_t delta = values[i] - values[i - 1];
    switch (p) {
      case kDelta:
        codes[i - 1] = zigzag(delta);
        break;
      case kDeltaOfDelta:
        codes[i - 1] = zigzag(delta - previous_delta);
        break;
      case kDeltaVsTime:
        codes[i - 1] = zigzag(delta - (times[i] - times[i - 1]));
        break;
      case kXor:
        codes[i - 1] = values[i] ^ values[i - 1];
        break;
      default:
        assert(false);
    }
    previous_delta = delta;
  }
}

// ---- bytes -----------------------------------------------------------------------------

size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_fixed64(std::string& out, uint64_t v) {
  char bytes[8];
  std::memcpy(bytes, &v, 8);
  out.append(bytes, 8);
}

// Reads from a chunk; any overrun or malformed varint clears ok() and yields zeros.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes)
      : p_(reinterpret_cast<const uint8_t*>(bytes.data())), end_(p_ + bytes.size()) {}

  bool ok() const { return ok_; }
  bool at_end() const { return p_ == end_; }

  uint8_t byte() {
    if (p_ == end_) return fail();
    return *p_++;
  }
  uint64_t varint() {
    if (p_ != end_ && *p_ < 0x80) return *p_++;  // most codes are one byte
    return varint_slow();
  }
  uint64_t varint_slow() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return fail();
      uint8_t b = *p_++;
      if (shift == 63 && b > 1) return fail();  // more than 64 bits
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return fail();
  }
  uint64_t fixed64() {
    if (end_ - p_ < 8) return fail();
    uint64_t v;
    std::memcpy(&v, p_, 8);
    p_ += 8;
    return v;
  }

 private:
  uint8_t fail() {
    ok_ = false;
    p_ = end_;
    return 0;
  }

  const uint8_t* p_;
  const uint8_t* end_;
  bool ok_ = true;
};

// ---- run-length groups -----------------------------------------------------------------

// A run shorter than this is cheaper (or no dearer) inside a literal group.
constexpr size_t kMinRun = 3;

// Emits the codes as groups when `out` is given; returns the encoded size either way.
size_t write_groups(const std::vector<uint64_t>& codes, std::string* out) {
  size_t size = 0;
  const size_t m = codes.size();
  size_t literal_start = 0;
  auto flush_literals = [&](size_t end) {
    if (end == literal_start) return;
    uint64_t header = static_cast<uint64_t>(end - literal_start) << 1;
    size += varint_size(header);
    if (out) put_varint(*out, header);
    for (size_t k = literal_start; k < end; ++k) {
      size += varint_size(codes[k]);
      if (out) put_varint(*out, codes[k]);
    }
  };
  size_t i = 0;
  while (i < m) {
    size_t j = i + 1;
    while (j < m && codes[j] == codes[i]) ++j;
    if (j - i >= kMinRun) {
      flush_literals(i);
      uint64_t header = (static_cast<uint64_t>(j - i) << 1) | 1;
      size += varint_size(header) + varint_size(codes[i]);
      if (out) {
        put_varint(*out, header);
        put_varint(*out, codes[i]);
      }
      literal_start = j;
    }
    i = j;
  }
  flush_literals(m);
  return size;
}

bool read_groups(ByteReader& in, uint64_t* codes, size_t m) {
  size_t filled = 0;
  while (filled < m) {
    uint64_t header = in.varint();
    uint64_t count = header >> 1;
    if (!in.ok() || count == 0 || count > m - filled) return false;
    if (header & 1) {
      uint64_t code = in.varint();
      std::fill_n(codes + filled, count, code);
    } else {
      for (uint64_t k = 0; k < count; ++k) codes[filled + k] = in.varint();
    }
    if (!in.ok()) return false;
    filled += count;
  }
  return true;
}

Error corrupt_chunk(const std::string& what) {
  return make_error(ErrorCode::kCorrupt, "stored history chunk is unreadable: " + what);
}

}  // namespace

int64_t score_to_hundredths(double score) {
  if (!std::isfinite(score) || std::fabs(score) > 1e15) return kNoScore;
  return std::llround(score * 100.0);
}

StoredSample to_stored_sample(const NodeHistorySample& row, int64_t version_id) {
  StoredSample s;
  s.ts = row.timestamp;
  s.is_online = row.is_online;
  s.is_public = row.is_public;
  s.version_id = version_id;
  s.uptime = row.uptime;
  s.storage_committed = row.storage_committed;
  s.storage_used = row.storage_used;
  s.usage_percent_bits = canonical_double_bits(row.storage_usage_percent);
  s.peer_count = row.peer_count;
  s.score_x100 = score_to_hundredths(row.score);
  s.trust_score_x100 = score_to_hundredths(row.trust_score);
  s.capacity_score_x100 = score_to_hundredths(row.capacity_score);
  return s;
}

std::string encode_history_chunk(std::span<const StoredSample> samples) {
  const size_t n = samples.size();
  assert(n >= 1 && n <= kMaxChunkSamples);
  std::string out;
  out.reserve(16 + n * 2);
  out.push_back(static_cast<char>(kChunkFormat));
  put_varint(out, n);

  std::vector<uint64_t> times(n), values(n), codes, best_codes;
  for (size_t i = 0; i < n; ++i) times[i] = kColumns[kTimestampColumn].get(samples[i]);
  for (size_t c = 0; c < std::size(kColumns); ++c) {
    const Column& column = kColumns[c];
    for (size_t i = 0; i < n; ++i) values[i] = column.get(samples[i]);
    Predictor best = kDelta;
    size_t best_size = std::numeric_limits<size_t>::max();
    if (n > 1) {
      for (uint8_t p = 0; p < kPredictorCount; ++p) {
        if (c == kTimestampColumn && p == kDeltaVsTime) continue;  // always 0: meaningless
        residuals(static_cast<Predictor>(p), values, times, codes);
        size_t size = write_groups(codes, nullptr);
        if (size < best_size) {
          best_size = size;
          best = static_cast<Predictor>(p);
          best_codes.swap(codes);
        }
      }
    }
    out.push_back(static_cast<char>(best));
    if (column.fixed_first) {
      put_fixed64(out, values[0]);
    } else {
      put_varint(out, zigzag(values[0]));
    }
    if (n > 1) write_groups(best_codes, &out);
  }
  return out;
}

namespace {

// Decoding scratch that stays off the heap for chunks of up to two hours of minutes.
template <size_t kLocal>
class Scratch {
 public:
  explicit Scratch(size_t n) {
    if (n > local_.size()) heap_.resize(n);
  }
  uint64_t* data() { return heap_.empty() ? local_.data() : heap_.data(); }

 private:
  std::array<uint64_t, kLocal> local_;
  std::vector<uint64_t> heap_;
};
constexpr size_t kLocalSamples = 128;

// Values [0, n) of a column from its first value and residual codes.
void undo_predictor(Predictor p, uint64_t first, const uint64_t* codes, const uint64_t* times, size_t n,
                    uint64_t* values) {
  values[0] = first;
  switch (p) {
    case kDelta:
      for (size_t i = 1; i < n; ++i) values[i] = values[i - 1] + unzigzag(codes[i - 1]);
      break;
    case kDeltaOfDelta: {
      uint64_t delta = 0;
      for (size_t i = 1; i < n; ++i) {
        delta += unzigzag(codes[i - 1]);
        values[i] = values[i - 1] + delta;
      }
      break;
    }
    case kDeltaVsTime:
      for (size_t i = 1; i < n; ++i) values[i] = values[i - 1] + unzigzag(codes[i - 1]) + (times[i] - times[i - 1]);
      break;
    default:
      for (size_t i = 1; i < n; ++i) values[i] = values[i - 1] ^ codes[i - 1];
      break;
  }
}

static_assert(kColumnCount == HistoryColumns::kCount, "HistoryColumns::sample() knows every column");

// The sample count of a chunk's header, leaving `in` after it.
Result<size_t> read_chunk_header(ByteReader& in) {
  uint8_t format = in.byte();
  if (!in.ok() || format != kChunkFormat) return corrupt_chunk("unknown format " + std::to_string(format));
  uint64_t n = in.varint();
  if (!in.ok() || n == 0 || n > kMaxChunkSamples) return corrupt_chunk("bad sample count");
  return static_cast<size_t>(n);
}

// The n samples' columns after the header into `columns` (column c at c * n).
Status decode_columns(ByteReader& in, size_t n, uint64_t* columns) {
  Scratch<kLocalSamples> codes_buffer(n);
  uint64_t* codes = codes_buffer.data();
  const uint64_t* times = columns + kTimestampColumn * n;
  for (size_t c = 0; c < kColumnCount; ++c) {
    uint8_t p = in.byte();
    if (!in.ok() || p >= kPredictorCount || (c == kTimestampColumn && p == kDeltaVsTime))
      return corrupt_chunk("bad predictor in column " + std::to_string(c));
    uint64_t first = kColumns[c].fixed_first ? in.fixed64() : unzigzag(in.varint());
    if (!in.ok() || !read_groups(in, codes, n - 1)) return corrupt_chunk("truncated column " + std::to_string(c));
    undo_predictor(static_cast<Predictor>(p), first, codes, times, n, columns + c * n);
    if (c == kTimestampColumn) {
      for (size_t i = 1; i < n; ++i)
        if (static_cast<int64_t>(times[i]) <= static_cast<int64_t>(times[i - 1]))
          return corrupt_chunk("timestamps out of order");
    }
  }
  if (!in.at_end()) return corrupt_chunk("trailing bytes");
  return ok_status();
}

}  // namespace

Status decode_history_chunk(std::string_view chunk, std::vector<StoredSample>& out) {
  ByteReader in(chunk);
  auto n = read_chunk_header(in);
  if (!n) return n.error();
  // Column by column into scratch, then whole samples onto `out`: no pass that zeroes
  // `out` first and no strided stores into it.
  Scratch<kLocalSamples * kColumnCount> columns(*n * kColumnCount);
  if (auto st = decode_columns(in, *n, columns.data()); !st) return st;
  HistoryColumns view{*n, columns.data()};
  for (size_t i = 0; i < *n; ++i) out.push_back(view.sample(i));
  return ok_status();
}

Status decode_history_columns(std::string_view chunk, std::vector<uint64_t>& buffer, HistoryColumns& out) {
  ByteReader in(chunk);
  auto n = read_chunk_header(in);
  if (!n) return n.error();
  if (buffer.size() < *n * kColumnCount) buffer.resize(*n * kColumnCount);
  if (auto st = decode_columns(in, *n, buffer.data()); !st) return st;
  out = HistoryColumns{*n, buffer.data()};
  return ok_status();
}

size_t history_chunk_samples(std::string_view chunk) {
  ByteReader in(chunk);
  auto n = read_chunk_header(in);
  return n ? *n : 0;
}

// ---- raw slots -------------------------------------------------------------------------

namespace {

// Slot layout: flags (1 byte: present, online, public), 3 zero bytes, version id (u32),
// then uptime, committed, used, usage percent bits, peer count, score, trust, capacity
// (8 bytes each).
constexpr uint8_t kSlotPresent = 1, kSlotOnline = 2, kSlotPublic = 4;
constexpr size_t kVersionOffset = 4, kFieldsOffset = 8;

}  // namespace

void write_raw_slot(const StoredSample& s, char* slot) {
  std::memset(slot, 0, kRawSlotBytes);
  slot[0] = static_cast<char>(kSlotPresent | (s.is_online ? kSlotOnline : 0) | (s.is_public ? kSlotPublic : 0));
  auto version = static_cast<uint32_t>(s.version_id);
  std::memcpy(slot + kVersionOffset, &version, 4);
  const uint64_t fields[8] = {s.uptime,
                              s.storage_committed,
                              s.storage_used,
                              s.usage_percent_bits,
                              as_u64(s.peer_count),
                              as_u64(s.score_x100),
                              as_u64(s.trust_score_x100),
                              as_u64(s.capacity_score_x100)};
  static_assert(kFieldsOffset + sizeof fields == kRawSlotBytes);
  std::memcpy(slot + kFieldsOffset, fields, sizeof fields);
}

bool read_raw_slot(std::string_view body, size_t index, int64_t ts, StoredSample& out) {
  if (body.size() < (index + 1) * kRawSlotBytes) return false;
  const char* slot = body.data() + index * kRawSlotBytes;
  auto flags = static_cast<uint8_t>(slot[0]);
  if ((flags & kSlotPresent) == 0) return false;
  uint32_t version;
  std::memcpy(&version, slot + kVersionOffset, 4);
  uint64_t fields[8];
  std::memcpy(fields, slot + kFieldsOffset, sizeof fields);
  out.ts = ts;
  out.is_online = (flags & kSlotOnline) != 0;
  out.is_public = (flags & kSlotPublic) != 0;
  out.version_id = version;
  out.uptime = fields[0];
  out.storage_committed = fields[1];
  out.storage_used = fields[2];
  out.usage_percent_bits = fields[3];
  out.peer_count = static_cast<int64_t>(fields[4]);
  out.score_x100 = static_cast<int64_t>(fields[5]);
  out.trust_score_x100 = static_cast<int64_t>(fields[6]);
  out.capacity_score_x100 = static_cast<int64_t>(fields[7]);
  return true;
}

}  // namespace pnode::store
