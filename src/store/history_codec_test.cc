#include "store/history_codec.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace pnode::store {
namespace {

// A node sampled every ~60 s: uptime follows the clock, storage and scores rarely move.
std::vector<StoredSample> steady_hour(int64_t start, size_t n = 60) {
  std::vector<StoredSample> out;
  for (size_t i = 0; i < n; ++i) {
    StoredSample s;
    s.ts = start + static_cast<int64_t>(i) * 60 + (i % 7 == 3 ? 1 : 0);  // a second of jitter now and then
    s.is_online = true;
    s.is_public = i % 2 == 0;
    s.version_id = 3;
    s.uptime = 86400 * 12 + static_cast<uint64_t>(s.ts - start);
    s.storage_committed = 107374182400ull;
    s.storage_used = 4700 + (i / 20) * 1000;
    s.usage_percent_bits = std::bit_cast<uint64_t>(static_cast<double>(s.storage_used) / 1073741824.0);
    s.peer_count = 7;
    s.score_x100 = 7235;
    s.trust_score_x100 = 8333;
    s.capacity_score_x100 = 5500;
    out.push_back(s);
  }
  return out;
}

std::vector<StoredSample> round_trip(const std::vector<StoredSample>& samples) {
  std::string chunk = encode_history_chunk(samples);
  std::vector<StoredSample> out;
  auto st = decode_history_chunk(chunk, out);
  EXPECT_TRUE(st.ok()) << st.error().message;
  return out;
}

TEST(HistoryCodec, ASteadyHourRoundTripsInUnderThreeBytesASample) {
  auto samples = steady_hour(1765000000);
  std::string chunk = encode_history_chunk(samples);
  EXPECT_LT(chunk.size(), samples.size() * 3) << chunk.size();
  std::vector<StoredSample> out;
  ASSERT_TRUE(decode_history_chunk(chunk, out).ok());
  EXPECT_EQ(out, samples);
}

TEST(HistoryCodec, DecodingAppendsToWhatIsThere) {
  auto first = steady_hour(1000), second = steady_hour(5000, 3);
  std::vector<StoredSample> out;
  ASSERT_TRUE(decode_history_chunk(encode_history_chunk(first), out).ok());
  ASSERT_TRUE(decode_history_chunk(encode_history_chunk(second), out).ok());
  ASSERT_EQ(out.size(), first.size() + second.size());
  EXPECT_EQ(out.back(), second.back());
  EXPECT_EQ(out.front(), first.front());
}

TEST(HistoryCodec, ASingleSampleRoundTrips) {
  auto samples = steady_hour(42, 1);
  EXPECT_EQ(round_trip(samples), samples);
}

TEST(HistoryCodec, ExtremeValuesNegativeDeltasAndWrapsRoundTrip) {
  constexpr auto kMax = std::numeric_limits<uint64_t>::max();
  constexpr auto kMin64 = std::numeric_limits<int64_t>::min();
  constexpr auto kMax64 = std::numeric_limits<int64_t>::max();
  std::vector<StoredSample> samples(6);
  const uint64_t uptimes[] = {kMax, 0, kMax - 1, 1, 1ull << 63, 5};
  const int64_t peers[] = {kMin64, kMax64, -1, 0, kMin64 + 1, -5};
  const int64_t times[] = {-5000000000, -1, 0, 1, 4000000000, kMax64};
  for (size_t i = 0; i < samples.size(); ++i) {
    StoredSample& s = samples[i];
    s.ts = times[i];
    s.is_online = i % 3 == 0;
    s.is_public = i % 2 == 1;
    s.version_id = static_cast<int64_t>(i * 1000003);
    s.uptime = uptimes[i];
    s.storage_committed = uptimes[(i + 1) % 6];
    s.storage_used = uptimes[(i + 2) % 6];
    s.usage_percent_bits = std::bit_cast<uint64_t>(i % 2 ? -0.0 : 1e300 * static_cast<double>(i));
    s.peer_count = peers[i];
    s.score_x100 = i == 2 ? kNoScore : peers[(i + 1) % 6];
    s.trust_score_x100 = -static_cast<int64_t>(i) * 100000000000000000;
    s.capacity_score_x100 = kNoScore;
  }
  EXPECT_EQ(round_trip(samples), samples);
}

TEST(HistoryCodec, GapsAndIrregularTimestampsRoundTrip) {
  auto samples = steady_hour(0, 40);
  // Remove a stretch (the node was gone) and add an odd spacing.
  samples.erase(samples.begin() + 10, samples.begin() + 25);
  samples[5].ts += 17;
  samples.back().ts += 3000;
  EXPECT_EQ(round_trip(samples), samples);
}

TEST(HistoryCodec, RandomSamplesRoundTrip) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    size_t n = 1 + rng() % 200;
    std::vector<StoredSample> samples(n);
    int64_t ts = static_cast<int64_t>(rng() % 100000);
    for (auto& s : samples) {
      ts += 1 + static_cast<int64_t>(rng() % (trial % 2 ? 3 : 100000));
      s.ts = ts;
      s.is_online = rng() % 2;
      s.is_public = rng() % 5 == 0;
      s.version_id = static_cast<int64_t>(rng() % 3);
      // Mix small moves, big jumps and repeats.
      s.uptime = rng() % 4 == 0 ? rng() : rng() % 10;
      s.storage_committed = rng() % 2 ? rng() : 1;
      s.storage_used = rng();
      s.usage_percent_bits = rng();
      s.peer_count = static_cast<int64_t>(rng());
      s.score_x100 = static_cast<int64_t>(rng() % 10001);
      s.trust_score_x100 = rng() % 3 == 0 ? kNoScore : static_cast<int64_t>(rng() % 10001);
      s.capacity_score_x100 = static_cast<int64_t>(rng());
    }
    ASSERT_EQ(round_trip(samples), samples) << "trial " << trial;
  }
}

TEST(HistoryCodec, RowConversionKeepsHundredthsAndNan) {
  NodeHistoryRow row;
  row.timestamp = 123;
  row.is_online = true;
  row.is_public = false;
  row.uptime = 99;
  row.storage_committed = std::numeric_limits<uint64_t>::max();
  row.storage_used = 5;
  row.storage_usage_percent = std::numeric_limits<double>::signaling_NaN();
  row.peer_count = -3;
  row.score = 72.35;
  row.trust_score = std::numeric_limits<double>::infinity();
  row.capacity_score = 2e15;  // too large for hundredths: no score
  StoredSample s = to_stored_sample(row, 9);
  EXPECT_EQ(s.version_id, 9);
  EXPECT_EQ(s.score_x100, 7235);
  EXPECT_EQ(s.trust_score_x100, kNoScore);
  EXPECT_EQ(s.capacity_score_x100, kNoScore);
  EXPECT_EQ(s.usage_percent_bits, std::bit_cast<uint64_t>(std::numeric_limits<double>::quiet_NaN()));

  NodeHistoryRow back;
  fill_history_row(round_trip({s})[0], back);
  EXPECT_EQ(back.timestamp, 123);
  EXPECT_TRUE(back.is_online);
  EXPECT_EQ(back.storage_committed, row.storage_committed);
  EXPECT_EQ(back.peer_count, -3);
  EXPECT_DOUBLE_EQ(back.score, 72.35);
  EXPECT_TRUE(std::isnan(back.trust_score));
  EXPECT_TRUE(std::isnan(back.capacity_score));
  EXPECT_TRUE(std::isnan(back.storage_usage_percent));
}

TEST(HistoryCodec, DamagedChunksAreReportedAsCorrupt) {
  std::string chunk = encode_history_chunk(steady_hour(1000));
  std::vector<StoredSample> out;
  // Every truncation fails cleanly (never reads past the end, never crashes).
  for (size_t len = 0; len < chunk.size(); ++len) {
    auto st = decode_history_chunk(std::string_view(chunk).substr(0, len), out);
    ASSERT_FALSE(st.ok()) << "length " << len;
    EXPECT_EQ(st.error().code, ErrorCode::kCorrupt);
  }
  EXPECT_FALSE(decode_history_chunk(chunk + "x", out).ok());  // trailing bytes
  std::string wrong_format = chunk;
  wrong_format[0] = 9;
  EXPECT_FALSE(decode_history_chunk(wrong_format, out).ok());
  // Random damage either decodes to something or fails; it never crashes.
  std::mt19937 rng(3);
  for (int i = 0; i < 2000; ++i) {
    std::string damaged = chunk;
    damaged[rng() % damaged.size()] = static_cast<char>(rng());
    out.clear();
    (void)decode_history_chunk(damaged, out);
  }
}

TEST(HistoryCodec, TheSampleCountIsReadFromTheHeaderAlone) {
  EXPECT_EQ(history_chunk_samples(encode_history_chunk(steady_hour(1000))), 60u);
  EXPECT_EQ(history_chunk_samples(encode_history_chunk(steady_hour(1000, 300))), 300u);
  EXPECT_EQ(history_chunk_samples(""), 0u);
  EXPECT_EQ(history_chunk_samples(std::string("\x09\x05", 2)), 0u);  // unknown format
  EXPECT_EQ(history_chunk_samples(std::string("\x01\xff", 2)), 0u);  // truncated count
  // A count over kMaxChunkSamples: 2^21 as a varint.
  EXPECT_EQ(history_chunk_samples(std::string("\x01\x80\x80\x80\x01", 5)), 0u);
}

TEST(HistoryCodec, TimestampsThatDoNotIncreaseAreCorrupt) {
  auto samples = steady_hour(1000, 3);
  samples[2].ts = samples[1].ts;  // the encoder's caller must not do this; the decoder notices
  std::vector<StoredSample> out;
  auto st = decode_history_chunk(encode_history_chunk(samples), out);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("out of order"), std::string::npos);
}

TEST(HistoryCodec, RawSlotsRoundTripAndAbsentSlotsReadAsAbsent) {
  auto samples = steady_hour(1000, 2);
  samples[1].score_x100 = kNoScore;
  samples[1].peer_count = std::numeric_limits<int64_t>::min();
  samples[1].version_id = 0xffffffff;
  std::string body(3 * kRawSlotBytes, '\0');  // slot 1 left empty
  write_raw_slot(samples[0], body.data());
  write_raw_slot(samples[1], body.data() + 2 * kRawSlotBytes);
  StoredSample read;
  ASSERT_TRUE(read_raw_slot(body, 0, samples[0].ts, read));
  EXPECT_EQ(read, samples[0]);
  EXPECT_FALSE(read_raw_slot(body, 1, 0, read));
  ASSERT_TRUE(read_raw_slot(body, 2, samples[1].ts, read));
  EXPECT_EQ(read, samples[1]);
  EXPECT_FALSE(read_raw_slot(body, 3, 0, read));  // past the end of the body
}

}  // namespace
}  // namespace pnode::store
