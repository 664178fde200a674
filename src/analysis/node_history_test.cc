#include "analysis/node_history.h"

#include <gtest/gtest.h>

#include <limits>

namespace pnode::analysis {
namespace {

constexpr uint64_t kGiB = 1024ull * 1024 * 1024;

using Samples = std::vector<model::NodeHistorySample>;

model::NodeHistorySample row(int64_t ts, bool online, uint64_t uptime, uint64_t used, double score, double usage,
                             int64_t peers) {
  model::NodeHistorySample r;
  r.timestamp = ts;
  r.is_online = online;
  r.uptime = uptime;
  r.storage_used = used;
  r.score = score;
  r.storage_usage_percent = usage;
  r.peer_count = peers;
  return r;
}

// Given out of order; by time: t=1000 .. 4000, the second one offline.
Samples history_sample() {
  return {row(3000, true, 500, 3 * kGiB / 2, 72.5, 15, 2), row(1000, true, 1000, kGiB, 70.0, 10, 3),
          row(4000, true, 7300, 9 * kGiB / 4, 75.126, 22.5, 3), row(2000, false, 0, kGiB, 0, 10, 0)};
}

TEST(NodeHistory, ChangesBetweenHugeStoredValuesAreClampedNotWrapped) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();  // stored before the bounds
  auto h = analyse_node_history(Samples{row(1000, true, 0, 0, 50, 0, 1), row(2000, true, kMax, kMax, 50, 0, 1)});
  ASSERT_TRUE(h);
  EXPECT_EQ(h->trends.uptime_change_seconds, std::numeric_limits<int64_t>::max());  // a cast would give -1
  EXPECT_EQ(h->trends.storage_used_change_bytes, std::numeric_limits<int64_t>::max());
}

TEST(NodeHistory, TrendsAvailabilityAndCurrentStatus) {
  auto h = analyse_node_history(history_sample());
  ASSERT_TRUE(h);
  EXPECT_EQ(h->data_points, 4);
  EXPECT_EQ(h->time_range.start, 1000);
  EXPECT_EQ(h->time_range.end, 4000);
  EXPECT_EQ(h->time_range.start_readable, "1970-01-01 00:16:40 UTC");
  EXPECT_EQ(h->time_range.end_readable, "1970-01-01 01:06:40 UTC");
  // uptime 1000 -> 7300: +6300 s = 1.75 h, which Python rounds (tie, to even) to 1.8.
  EXPECT_EQ(h->trends.uptime_change_seconds, 6300);
  EXPECT_DOUBLE_EQ(h->trends.uptime_change_hours, 1.8);
  // storage 1 GiB -> 2.25 GiB: +1.25 GiB.
  EXPECT_EQ(h->trends.storage_used_change_bytes, static_cast<int64_t>(5 * kGiB / 4));
  EXPECT_DOUBLE_EQ(h->trends.storage_used_change_gb, 1.25);
  // score 70 -> 75.126: +5.126 -> 5.13.
  EXPECT_DOUBLE_EQ(h->trends.score_change, 5.13);
  EXPECT_EQ(h->trends.score_trend, "improving");
  EXPECT_EQ(h->availability.online_snapshots, 3);
  EXPECT_EQ(h->availability.offline_snapshots, 1);
  EXPECT_EQ(h->availability.total_snapshots, 4);
  EXPECT_DOUBLE_EQ(h->availability.availability_percent, 75.0);
  EXPECT_TRUE(h->current_status.is_online);
  EXPECT_DOUBLE_EQ(h->current_status.score, 75.126);
  EXPECT_EQ(h->current_status.uptime, 7300u);
  EXPECT_DOUBLE_EQ(h->current_status.storage_usage_percent, 22.5);
}

TEST(NodeHistory, DecliningStableAndShrinking) {
  auto h = analyse_node_history(Samples{row(1, true, 9000, 2 * kGiB, 80, 10, 3), row(2, false, 0, kGiB, 70, 10, 3)});
  EXPECT_DOUBLE_EQ(h->trends.score_change, -10.0);
  EXPECT_EQ(h->trends.score_trend, "declining");
  EXPECT_EQ(h->trends.uptime_change_seconds, -9000);
  EXPECT_DOUBLE_EQ(h->trends.uptime_change_hours, -2.5);
  EXPECT_DOUBLE_EQ(h->trends.storage_used_change_gb, -1.0);
  EXPECT_FALSE(h->current_status.is_online);
  EXPECT_DOUBLE_EQ(h->availability.availability_percent, 50.0);
  // One row: compared with itself.
  h = analyse_node_history(Samples{row(1, true, 9000, kGiB, 80, 10, 3)});
  EXPECT_EQ(h->trends.score_trend, "stable");
  EXPECT_EQ(h->trends.uptime_change_seconds, 0);
  EXPECT_FALSE(analyse_node_history({}));
}

TEST(NodeMetrics, AveragesOverPositiveScores) {
  auto m = summarize_node_metrics(history_sample());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->snapshots_analyzed, 4);
  EXPECT_DOUBLE_EQ(m->availability_percent, 75.0);
  // (70 + 72.5 + 75.126) / 3 = 72.542 -> 72.54; the offline 0 is left out.
  EXPECT_DOUBLE_EQ(m->avg_score, 72.54);
  // (10 + 10 + 15 + 22.5) / 4 = 14.375, exact in binary: Python rounds the tie to 14.38.
  EXPECT_DOUBLE_EQ(m->avg_storage_usage, 14.38);
  EXPECT_DOUBLE_EQ(m->avg_peer_count, 2.0);  // (3 + 0 + 2 + 3) / 4
  EXPECT_DOUBLE_EQ(m->min_score, 70.0);
  EXPECT_DOUBLE_EQ(m->max_score, 75.126);
}

TEST(NodeMetrics, NoPositiveScoresAndNoRows) {
  auto m = summarize_node_metrics(Samples{row(1, false, 0, 0, 0, 1, 0), row(2, false, 0, 0, 0, 2, 1)});
  ASSERT_TRUE(m);
  EXPECT_DOUBLE_EQ(m->availability_percent, 0);
  EXPECT_DOUBLE_EQ(m->avg_score, 0);
  EXPECT_DOUBLE_EQ(m->min_score, 0);
  EXPECT_DOUBLE_EQ(m->max_score, 0);
  EXPECT_DOUBLE_EQ(m->avg_storage_usage, 1.5);
  EXPECT_DOUBLE_EQ(m->avg_peer_count, 0.5);
  EXPECT_FALSE(summarize_node_metrics({}));
}

TEST(NodeHistorySeries, OnlineFlagsInTimeOrderAndStorageSamples) {
  EXPECT_EQ(online_flags(history_sample()), (std::vector<bool>{true, false, true, true}));
  EXPECT_TRUE(online_flags({}).empty());
  auto samples = storage_samples(history_sample());
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[1].timestamp, 1000);
  EXPECT_EQ(samples[1].storage_used, kGiB);
  // Feeds growth_trend: 1, 1, 1.5, 2.25 GiB over 3000 s is strong growth -> clamped to 1.
  EXPECT_DOUBLE_EQ(growth_trend(samples), 1.0);
}

}  // namespace
}  // namespace pnode::analysis
