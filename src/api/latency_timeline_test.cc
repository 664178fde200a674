// Probe latency over time (api/latency_timeline.h): buckets from known probes, failures
// never counted as latency, and the bucket width's default and bounds.
#include "api/latency_timeline.h"

#include <gtest/gtest.h>

namespace pnode::api {
namespace {

constexpr int64_t kFrom = 1'000'000;

store::ProbeRecord answered(int64_t at, double total_ms, double connect_ms = 1) {
  return {"127.1.0.2:9001", at, true, "", connect_ms, total_ms};
}
store::ProbeRecord failed(int64_t at) { return {"127.1.0.2:9001", at, false, "timeout", 0, 5000}; }

TEST(LatencyTimeline, GroupsAnsweredProbesIntoBucketsFromTheWindowStart) {
  // Three 10-minute buckets: two answers in the first, nothing in the second, one in the third.
  auto t = latency_timeline({answered(kFrom, 10, 2), answered(kFrom + 599, 30, 4), answered(kFrom + 1200, 7)}, kFrom,
                            kFrom + 1800, 600);
  ASSERT_EQ(t.buckets.size(), 3u);
  EXPECT_EQ(t.buckets[0].start, kFrom);
  EXPECT_EQ(t.buckets[1].start, kFrom + 600);
  EXPECT_EQ(t.buckets[2].start, kFrom + 1200);
  const LatencyFigures& first = t.buckets[0].figures;
  EXPECT_EQ(first.probes, 2u);
  EXPECT_EQ(first.answered, 2u);
  EXPECT_DOUBLE_EQ(*first.mean_ms, 20);
  EXPECT_DOUBLE_EQ(*first.p95_ms, 30);
  EXPECT_DOUBLE_EQ(*first.max_ms, 30);
  EXPECT_DOUBLE_EQ(*first.connect_mean_ms, 3);
  EXPECT_EQ(t.buckets[1].figures.probes, 0u);
  EXPECT_FALSE(t.buckets[1].figures.mean_ms);
  EXPECT_DOUBLE_EQ(*t.buckets[2].figures.mean_ms, 7);
  EXPECT_EQ(t.overall.answered, 3u);
  EXPECT_DOUBLE_EQ(*t.overall.mean_ms, 47.0 / 3);
  EXPECT_DOUBLE_EQ(*t.overall.max_ms, 30);
}

TEST(LatencyTimeline, FailedProbesCountAsProbesButNeverAsLatency) {
  auto t = latency_timeline({failed(kFrom), answered(kFrom + 60, 40), failed(kFrom + 700)}, kFrom, kFrom + 1200, 600);
  ASSERT_EQ(t.buckets.size(), 2u);
  EXPECT_EQ(t.buckets[0].figures.probes, 2u);
  EXPECT_EQ(t.buckets[0].figures.answered, 1u);
  EXPECT_DOUBLE_EQ(*t.buckets[0].figures.mean_ms, 40);  // not (0 + 40) / 2, nor the failure's 5000
  EXPECT_DOUBLE_EQ(*t.buckets[0].figures.max_ms, 40);
  // Nothing answered: a gap, not a latency of 0.
  EXPECT_EQ(t.buckets[1].figures.probes, 1u);
  EXPECT_EQ(t.buckets[1].figures.answered, 0u);
  EXPECT_FALSE(t.buckets[1].figures.mean_ms);
  EXPECT_FALSE(t.buckets[1].figures.p95_ms);
  EXPECT_FALSE(t.buckets[1].figures.max_ms);
  EXPECT_FALSE(t.buckets[1].figures.connect_mean_ms);
  EXPECT_EQ(t.overall.probes, 3u);
  EXPECT_DOUBLE_EQ(*t.overall.mean_ms, 40);
}

TEST(LatencyTimeline, AProbeAtTheWindowEndJoinsTheLastBucketAndOutsideOnesAreIgnored) {
  auto t = latency_timeline({answered(kFrom - 1, 99), answered(kFrom + 1200, 5), answered(kFrom + 1201, 99)}, kFrom,
                            kFrom + 1200, 600);
  ASSERT_EQ(t.buckets.size(), 2u);
  EXPECT_EQ(t.buckets[1].figures.answered, 1u);
  EXPECT_DOUBLE_EQ(*t.buckets[1].figures.mean_ms, 5);
  EXPECT_EQ(t.overall.probes, 1u);
}

TEST(LatencyTimeline, AWindowNotAMultipleOfTheWidthEndsWithAShorterBucket) {
  auto t = latency_timeline({answered(kFrom + 650, 3)}, kFrom, kFrom + 700, 600);
  ASSERT_EQ(t.buckets.size(), 2u);
  EXPECT_EQ(t.buckets[1].figures.answered, 1u);
}

TEST(LatencyTimeline, P95IsTheNearestRankOfTheBucketsAnswers) {
  std::vector<store::ProbeRecord> probes;
  for (int i = 1; i <= 20; ++i) probes.push_back(answered(kFrom + i, i));
  auto t = latency_timeline(probes, kFrom, kFrom + 600, 600);
  EXPECT_DOUBLE_EQ(*t.buckets[0].figures.p95_ms, 19);
  EXPECT_DOUBLE_EQ(*t.buckets[0].figures.max_ms, 20);
}

TEST(LatencyTimeline, DefaultWidthGivesAtMostTheTargetBucketsInWholeMinutes) {
  EXPECT_EQ(bucket_width_seconds(24 * 3600, std::nullopt, 200, 1440), 8 * 60);  // 180 buckets
  EXPECT_EQ(bucket_width_seconds(720 * 3600, std::nullopt, 200, 1440), 216 * 60);  // 200 buckets
  EXPECT_EQ(bucket_width_seconds(3600, std::nullopt, 200, 1440), 60);  // never below a minute
}

TEST(LatencyTimeline, ARequestedWidthIsWidenedToStayWithinTheMostBuckets) {
  EXPECT_EQ(bucket_width_seconds(24 * 3600, 5 * 60, 200, 1440), 5 * 60);
  EXPECT_EQ(bucket_width_seconds(24 * 3600, 60, 200, 1440), 60);  // exactly 1440 buckets
  EXPECT_EQ(bucket_width_seconds(720 * 3600, 60, 200, 1440), 30 * 60);  // 43,200 would be too many
}

}  // namespace
}  // namespace pnode::api
