#include "store/history_assembly.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace pnode::store {
namespace {

StoredSample sample_at(int64_t ts, int64_t version_id = 1, uint64_t uptime = 0) {
  StoredSample s;
  s.ts = ts;
  s.is_online = true;
  s.version_id = version_id;
  s.uptime = uptime == 0 ? static_cast<uint64_t>(ts) : uptime;
  s.score_x100 = 5000;
  return s;
}

std::string chunk_of(std::vector<int64_t> times) {
  std::vector<StoredSample> samples;
  for (int64_t ts : times) samples.push_back(sample_at(ts));
  return encode_history_chunk(samples);
}

class Assembly : public ::testing::Test {
 protected:
  HistoryAssembly make(int64_t since, int64_t until) {
    return HistoryAssembly("10.0.0.1:9001", since, until, [this](int64_t id) -> Result<const std::string*> {
      ++lookups;
      auto it = names.find(id);
      if (it == names.end()) return make_error(ErrorCode::kCorrupt, "unknown version id " + std::to_string(id));
      return &it->second;
    });
  }
  static std::vector<int64_t> times_of(const NodeHistory& h) {
    std::vector<int64_t> out;
    for (const auto& s : h.samples) out.push_back(s.timestamp);
    return out;
  }

  std::map<int64_t, std::string> names{{1, "0.8.0"}, {2, "0.8.1"}};
  int lookups = 0;
};

TEST_F(Assembly, ChunksThenRawSamplesClippedToTheRange) {
  auto a = make(120, 400);
  ASSERT_TRUE(a.add_chunk(chunk_of({60, 120, 180})).ok());
  ASSERT_TRUE(a.add_chunk(chunk_of({240, 300})).ok());
  ASSERT_TRUE(a.add_raw(sample_at(360)).ok());
  ASSERT_TRUE(a.add_raw(sample_at(420)).ok());
  NodeHistory h = std::move(a).finish();
  EXPECT_EQ(h.address, "10.0.0.1:9001");
  EXPECT_EQ(times_of(h), (std::vector<int64_t>{120, 180, 240, 300, 360}));
  EXPECT_EQ(h.samples[0].version, "0.8.0");
  EXPECT_EQ(h.samples[0].uptime, 120u);
  EXPECT_EQ(h.samples[0].score, 50.0);
}

TEST_F(Assembly, ARawSampleAtACompactedOnesTimeReplacesIt) {
  auto a = make(0, 1000);
  ASSERT_TRUE(a.add_chunk(chunk_of({60, 120, 180})).ok());
  ASSERT_TRUE(a.add_raw(sample_at(120, 2, 777)).ok());  // waits beside the compacted one
  ASSERT_TRUE(a.add_raw(sample_at(150)).ok());          // late, between two compacted ones
  ASSERT_TRUE(a.add_raw(sample_at(240)).ok());
  NodeHistory h = std::move(a).finish();
  EXPECT_EQ(times_of(h), (std::vector<int64_t>{60, 120, 150, 180, 240}));
  EXPECT_EQ(h.samples[1].uptime, 777u);
  EXPECT_EQ(h.samples[1].version, "0.8.1");
}

TEST_F(Assembly, VersionsAreLookedUpOnlyWhenTheyChange) {
  auto a = make(0, 1000);
  ASSERT_TRUE(a.add_chunk(chunk_of({60, 120, 180, 240})).ok());
  ASSERT_TRUE(a.add_raw(sample_at(300, 2)).ok());
  ASSERT_TRUE(a.add_raw(sample_at(360, 2)).ok());
  NodeHistory h = std::move(a).finish();
  EXPECT_EQ(h.samples.size(), 6u);
  EXPECT_EQ(lookups, 2);
}

TEST_F(Assembly, AnUnknownVersionOrADamagedChunkIsAnError) {
  auto a = make(0, 1000);
  auto st = a.add_raw(sample_at(60, 9));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kCorrupt);
  auto b = make(0, 1000);
  std::string chunk = chunk_of({60, 120});
  chunk.pop_back();
  EXPECT_FALSE(b.add_chunk(chunk).ok());
}

TEST_F(Assembly, NothingAddedIsAnEmptyHistoryWithItsAddress) {
  NodeHistory h = make(0, 1000).finish();
  EXPECT_EQ(h.address, "10.0.0.1:9001");
  EXPECT_TRUE(h.samples.empty());
}

}  // namespace
}  // namespace pnode::store
