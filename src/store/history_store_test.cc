// Per-node history through the Store interface: raw samples, compaction into hourly
// chunks, queries across both, retention, counts, bulk writes, the v1 conversion and
// the size on disk.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "store/sqlite/db.h"
#include "store/sqlite/node_history_tables.h"
#include "store/sqlite/schema.h"
#include "store/store.h"
#include "store/store_test_support.h"

namespace pnode::store {
namespace {

using namespace testing_support;

constexpr int64_t kHour = 3600;
constexpr int64_t kStart = 1765000800;  // a whole hour (1765000800 / 3600 = 490278)
static_assert(kStart % kHour == 0);

std::string address(int i) { return "10.2." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ":9001"; }

// A node's sample that varies the way real ones do (and some ways they should not):
// uptime follows the clock and resets, storage steps, scores move and are sometimes
// NaN, the version changes, online flaps.
NodeHistoryRow varied_row(int node, int64_t ts) {
  NodeHistoryRow r;
  r.address = address(node);
  r.timestamp = ts;
  const int64_t minute = (ts - kStart) / 60;
  r.is_online = (minute + node) % 17 != 0;
  r.is_public = node % 3 == 0;
  r.version = minute < 100 ? "0.8.0" : (node % 2 ? "0.8.1" : "");
  r.uptime = static_cast<uint64_t>((ts - kStart) % 5000 + node * 1000);
  r.storage_committed = (1ull << 37) + static_cast<uint64_t>(node);
  r.storage_used = 1000 + static_cast<uint64_t>(minute / 25) * 4096;
  r.storage_usage_percent = static_cast<double>(r.storage_used) / static_cast<double>(r.storage_committed) * 100;
  r.peer_count = node % 5 == 0 ? -1 : (minute / 40) % 9;
  r.score = minute % 13 == 0 ? std::numeric_limits<double>::quiet_NaN() : 50.0 + static_cast<double>(minute % 7) / 4;
  r.trust_score = 83.33;
  r.capacity_score = node % 4 == 0 ? 1e18 : 55.0;  // 1e18 has no hundredths: comes back NaN
  return r;
}

// What the store gives back for `row` (scores to the hundredth, no-scores as NaN).
NodeHistoryRow as_stored(NodeHistoryRow r) {
  auto round = [](double v) { return score_from_hundredths(score_to_hundredths(v)); };
  r.score = round(r.score);
  r.trust_score = round(r.trust_score);
  r.capacity_score = round(r.capacity_score);
  return r;
}

// Equality where NaN equals NaN.
void expect_same_rows(const std::vector<NodeHistoryRow>& got, const std::vector<NodeHistoryRow>& want) {
  ASSERT_EQ(got.size(), want.size());
  auto same = [](double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; };
  for (size_t i = 0; i < got.size(); ++i) {
    const auto &g = got[i], &w = want[i];
    SCOPED_TRACE("row " + std::to_string(i) + " ts " + std::to_string(w.timestamp));
    EXPECT_EQ(g.address, w.address);
    EXPECT_EQ(g.timestamp, w.timestamp);
    EXPECT_EQ(g.is_online, w.is_online);
    EXPECT_EQ(g.is_public, w.is_public);
    EXPECT_EQ(g.version, w.version);
    EXPECT_EQ(g.uptime, w.uptime);
    EXPECT_EQ(g.storage_committed, w.storage_committed);
    EXPECT_EQ(g.storage_used, w.storage_used);
    EXPECT_TRUE(same(g.storage_usage_percent, w.storage_usage_percent));
    EXPECT_EQ(g.peer_count, w.peer_count);
    EXPECT_TRUE(same(g.score, w.score)) << g.score << " vs " << w.score;
    EXPECT_TRUE(same(g.trust_score, w.trust_score));
    EXPECT_TRUE(same(g.capacity_score, w.capacity_score));
    if (::testing::Test::HasFailure()) return;
  }
}

CycleWrite cycle_of(int nodes, int64_t ts, int first_node = 0) {
  CycleWrite w;
  w.network = make_network_row(ts, nodes);
  for (int n = first_node; n < first_node + nodes; ++n) w.nodes.push_back(varied_row(n, ts));
  return w;
}

// Cycles every 60 s (with a second of jitter now and then) over [from, to).
std::vector<int64_t> cycle_times(int64_t from, int64_t to) {
  std::vector<int64_t> out;
  for (int64_t ts = from, i = 0; ts < to; ts += 60, ++i) out.push_back(ts + (i % 5 == 2 ? 1 : 0));
  return out;
}

std::vector<NodeHistoryRow> expected_rows(int node, const std::vector<int64_t>& times, int64_t since, int64_t until) {
  std::vector<NodeHistoryRow> out;
  for (int64_t ts : times)
    if (ts >= since && ts <= until) out.push_back(as_stored(varied_row(node, ts)));
  return out;
}

void write_cycles(Store& store, int nodes, const std::vector<int64_t>& times) {
  for (int64_t ts : times) {
    auto st = store.write_cycle(cycle_of(nodes, ts));
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
}

TEST(NodeHistory, CompactionKeepsEveryRowIdentical) {
  TempDir dir;
  std::string path = dir.file("compact.db");
  auto store = open_ok(path);
  const int kNodes = 100;  // three segments of 48
  auto hour0 = cycle_times(kStart, kStart + kHour);
  write_cycles(*store, kNodes, hour0);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM node_chunks"), 0);  // all raw so far
  std::vector<std::vector<NodeHistoryRow>> before;
  for (int n : {0, 47, 48, 99}) {
    auto rows = history_rows(*store, address(n), 0, std::numeric_limits<int64_t>::max());
    ASSERT_TRUE(rows.ok()) << rows.error().message;
    expect_same_rows(*rows, expected_rows(n, hour0, 0, kStart + kHour));
    before.push_back(*rows);
  }
  // The first cycle of the next hour compacts the closed one (3 segments fit one slice).
  write_cycles(*store, kNodes, {kStart + kHour + 5});
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM node_chunks"), kNodes);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM raw_cycles"), 1);
  EXPECT_EQ(raw_int(path, "SELECT min(samples) FROM node_chunks"), 60);
  size_t i = 0;
  for (int n : {0, 47, 48, 99}) {
    auto rows = history_rows(*store, address(n), 0, std::numeric_limits<int64_t>::max());
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 61u);
    expect_same_rows(std::vector<NodeHistoryRow>(rows->begin(), rows->end() - 1), before[i++]);
    expect_same_rows({rows->back()}, {as_stored(varied_row(n, kStart + kHour + 5))});
  }
}

TEST(NodeHistory, CompactionIsSpreadOverCyclesAndNothingIsLostMeanwhile) {
  TempDir dir;
  std::string path = dir.file("spread.db");
  auto store = open_ok(path);
  const int kNodes = 48 * 20;                                            // 20 segments: 8 a cycle
  auto times = cycle_times(kStart + kHour - 180, kStart + kHour + 300);  // 3 cycles, then 5 in the next hour
  std::vector<int64_t> chunks_after_cycle;
  for (size_t c = 0; c < times.size(); ++c) {
    write_cycles(*store, kNodes, {times[c]});
    chunks_after_cycle.push_back(raw_int(path, "SELECT count(*) FROM node_chunks"));
    // After each cycle every node still has every sample, wherever it lives.
    for (int n : {0, 400, 959}) {
      auto rows = history_rows(*store, address(n), 0, std::numeric_limits<int64_t>::max());
      ASSERT_TRUE(rows.ok());
      ASSERT_EQ(rows->size(), c + 1) << "node " << n << " after cycle " << c;
    }
  }
  // Ids 1..960 make 21 segments (the first has 47 nodes, the last 1): 8 + 8 + 5 of them
  // compacted over the first three cycles of the new hour.
  EXPECT_EQ(chunks_after_cycle, (std::vector<int64_t>{0, 0, 0, 47 + 7 * 48, 47 + 15 * 48, kNodes, kNodes, kNodes}));
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM raw_cycles WHERE ts < " + std::to_string(kStart + kHour)), 0);
  auto status = store->history_status(SIZE_MAX);
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->size(), static_cast<size_t>(kNodes));
  for (const auto& s : *status) ASSERT_EQ(s.snapshots, static_cast<int64_t>(times.size())) << s.address;
}

TEST(NodeHistory, QueriesSpanRawAndCompactedSamples) {
  TempDir dir;
  auto store = open_ok(dir.file("span.db"));
  auto times = cycle_times(kStart, kStart + 2 * kHour + 1800);  // 2.5 hours: 2 compacted, 1 raw
  write_cycles(*store, 5, times);
  const int n = 3;
  struct Range {
    int64_t since, until;
  };
  for (Range r : {Range{kStart + 1800, kStart + 2 * kHour + 600},      // chunk, chunk, raw
                  Range{kStart + kHour, kStart + kHour},               // exactly one boundary sample
                  Range{times[10], times[10]},                         // exactly one sample
                  Range{times[10] + 1, times[11] - 1},                 // between two samples
                  Range{kStart + 2 * kHour + 60, kStart + 9 * kHour},  // raw only
                  Range{std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()},
                  Range{kStart + 5, kStart - 5}}) {  // since > until
    SCOPED_TRACE(std::to_string(r.since) + ".." + std::to_string(r.until));
    auto rows = history_rows(*store, address(n), r.since, r.until);
    ASSERT_TRUE(rows.ok()) << rows.error().message;
    expect_same_rows(*rows, expected_rows(n, times, r.since, r.until));
  }
}

TEST(NodeHistory, RetentionDeletesWholeChunkHoursAndExactRawSamples) {
  TempDir dir;
  std::string path = dir.file("retention.db");
  auto store = open_ok(path);
  auto times = cycle_times(kStart, kStart + 3 * kHour + 600);
  write_cycles(*store, 3, times);
  // Cut in the middle of the second hour: the first hour's chunks go, the second's stay
  // whole (compacted history goes by hours).
  CycleWrite w = cycle_of(3, kStart + 3 * kHour + 660);
  w.retention_cutoff = kStart + kHour + 1800;
  ASSERT_TRUE(store->write_cycle(w).ok());
  times.push_back(kStart + 3 * kHour + 660);
  auto rows = history_rows(*store, address(1), 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(rows.ok());
  expect_same_rows(*rows, expected_rows(1, times, kStart + kHour, std::numeric_limits<int64_t>::max()));
  auto status = store->history_status(SIZE_MAX);
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->size(), 3u);
  EXPECT_EQ((*status)[0].snapshots, static_cast<int64_t>(rows->size()));
  EXPECT_EQ((*status)[0].first_seen, kStart + kHour);
  EXPECT_EQ((*status)[0].last_seen, kStart + 3 * kHour + 660);
  EXPECT_EQ(raw_int(path, "SELECT min(hour) FROM node_chunks"), (kStart + kHour) / kHour);

  // A cutoff inside the raw hour deletes raw samples exactly.
  w = cycle_of(3, kStart + 3 * kHour + 720);
  w.retention_cutoff = kStart + 3 * kHour + 300;
  ASSERT_TRUE(store->write_cycle(w).ok());
  times.push_back(kStart + 3 * kHour + 720);
  rows = history_rows(*store, address(1), 0, std::numeric_limits<int64_t>::max());
  expect_same_rows(*rows, expected_rows(1, times, kStart + 3 * kHour + 300, std::numeric_limits<int64_t>::max()));
  status = store->history_status(SIZE_MAX);
  EXPECT_EQ((*status)[0].snapshots, static_cast<int64_t>(rows->size()));
  EXPECT_EQ((*status)[0].first_seen, rows->front().timestamp);
}

TEST(NodeHistory, RetentionWaitsForACycleWithoutCompactionUnlessOverdue) {
  TempDir dir;
  std::string path = dir.file("slices.db");
  auto store = open_ok(path);
  write_cycles(*store, 2, cycle_times(kStart, kStart + 4 * kHour + 1800));  // hours 0-3 compacted, 4 raw
  const std::string oldest_hour = "SELECT min(hour) FROM node_chunks";
  auto cycle = [&](int64_t ts, int64_t cutoff) {
    CycleWrite w = cycle_of(2, ts);
    w.retention_cutoff = cutoff;
    auto st = store->write_cycle(w);
    ASSERT_TRUE(st.ok()) << st.error().message;
  };
  // Hour 0 is due, but this cycle compacts hour 4: retention waits a cycle.
  cycle(kStart + 5 * kHour + 10, kStart + kHour + 5);
  EXPECT_EQ(raw_int(path, oldest_hour), kStart / kHour);
  cycle(kStart + 5 * kHour + 70, kStart + kHour + 5);
  EXPECT_EQ(raw_int(path, oldest_hour), kStart / kHour + 1);
  // Hours 1 and 2 are due, more than an hour overdue: they go in a compacting cycle too.
  cycle(kStart + 6 * kHour + 10, kStart + 3 * kHour + 5);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM raw_cycles WHERE ts < " + std::to_string(kStart + 6 * kHour)), 0);
  EXPECT_EQ(raw_int(path, oldest_hour), kStart / kHour + 3);
  auto status = store->history_status(SIZE_MAX);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ((*status)[0].first_seen, kStart + 3 * kHour);
}

TEST(NodeHistory, HistoryStatusCountsCompactedAndRawSamplesPerNode) {
  TempDir dir;
  auto store = open_ok(dir.file("status.db"));
  // a: two hours (one compacted); b: only in the first hour (all compacted);
  // c: only in the last cycles (raw only).
  const std::string a = address(0), b = address(1), c = address(60);
  auto times = cycle_times(kStart, kStart + kHour + 300);
  for (int64_t ts : times) {
    CycleWrite w;
    w.network = make_network_row(ts, 3);
    w.nodes.push_back(varied_row(0, ts));
    if (ts < kStart + kHour) w.nodes.push_back(varied_row(1, ts));
    if (ts >= kStart + kHour + 120) w.nodes.push_back(varied_row(60, ts));
    ASSERT_TRUE(store->write_cycle(w).ok());
    if (ts == times[30]) {
      ASSERT_TRUE(store->write_cycle(w).ok());  // the same second again counts once
    }
  }
  auto status = store->history_status(SIZE_MAX);
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_EQ(status->size(), 3u);
  EXPECT_EQ((*status)[0].address, a);
  EXPECT_EQ((*status)[0].snapshots, 65);
  EXPECT_EQ((*status)[0].first_seen, kStart);
  EXPECT_EQ((*status)[0].last_seen, times.back());
  EXPECT_EQ((*status)[1].address, b);
  EXPECT_EQ((*status)[1].snapshots, 60);
  EXPECT_EQ((*status)[1].last_seen, times[59]);
  EXPECT_EQ((*status)[2].address, c);
  EXPECT_EQ((*status)[2].snapshots, 3);
  EXPECT_EQ((*status)[2].first_seen, times[62]);
  auto top = store->history_status(1);
  ASSERT_EQ(top->size(), 1u);
  EXPECT_EQ((*top)[0].address, a);
}

TEST(NodeHistory, ALateSampleReplacesACompactedOneOrJoinsItsChunk) {
  TempDir dir;
  std::string path = dir.file("late.db");
  auto store = open_ok(path);
  auto times = cycle_times(kStart, kStart + kHour + 120);
  write_cycles(*store, 2, times);
  ASSERT_EQ(raw_int(path, "SELECT count(*) FROM node_chunks"), 2);
  // The clock went back: one sample at a compacted timestamp, one new in a compacted hour.
  CycleWrite w;
  w.network = make_network_row(kStart + 600, 2);
  NodeHistoryRow replaced = varied_row(0, times[10]);
  replaced.storage_used = 77;
  NodeHistoryRow added = varied_row(0, times[10] + 7);
  w.nodes = {replaced, added};
  ASSERT_TRUE(store->write_cycle(w).ok());
  // Later cycles compact the new one into its chunk.
  write_cycles(*store, 2, {kStart + 2 * kHour + 10});
  std::vector<NodeHistoryRow> want = expected_rows(0, times, 0, std::numeric_limits<int64_t>::max());
  want[10] = as_stored(replaced);
  want.insert(want.begin() + 11, as_stored(added));
  want.push_back(as_stored(varied_row(0, kStart + 2 * kHour + 10)));
  auto rows = history_rows(*store, address(0), 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(rows.ok());
  expect_same_rows(*rows, want);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM raw_cycles WHERE ts < " + std::to_string(kStart + 2 * kHour)), 0);
  auto status = store->history_status(SIZE_MAX);
  EXPECT_EQ((*status)[0].snapshots, static_cast<int64_t>(want.size()));
}

TEST(NodeHistory, BulkWritesGoStraightIntoChunksAndMergeWithCycles) {
  TempDir dir;
  std::string path = dir.file("bulk.db");
  auto store = open_ok(path);
  auto times = cycle_times(kStart, kStart + 3 * kHour);
  std::vector<NodeHistoryRow> bulk;
  for (int64_t ts : times)
    for (int n = 0; n < 4; ++n) bulk.push_back(varied_row(n, ts));
  std::shuffle(bulk.begin(), bulk.end(), std::mt19937(5));  // order does not matter
  ASSERT_TRUE(store->write_history_bulk(bulk).ok());
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM node_chunks"), 12);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM raw_cycles"), 0);
  // Cycles carry on inside the last bulk hour, then into the next.
  auto later = cycle_times(kStart + 3 * kHour - 30, kStart + 3 * kHour + 200);
  write_cycles(*store, 4, later);
  // A bulk rewrite of samples: one from the bulk, one a cycle wrote into a bulk chunk,
  // one still raw.
  NodeHistoryRow changed = varied_row(2, times[5]);
  changed.peer_count = 1234;
  NodeHistoryRow changed_merged = varied_row(2, later[0]);
  changed_merged.peer_count = 4321;
  NodeHistoryRow changed_raw = varied_row(2, later[2]);
  changed_raw.peer_count = 5678;
  ASSERT_TRUE(store->write_history_bulk({changed, changed_merged, changed_raw}).ok());

  std::vector<int64_t> all = times;
  all.insert(all.end(), later.begin(), later.end());
  auto want = expected_rows(2, all, 0, std::numeric_limits<int64_t>::max());
  want[5] = as_stored(changed);
  want[times.size()] = as_stored(changed_merged);
  want[times.size() + 2] = as_stored(changed_raw);
  auto rows = history_rows(*store, address(2), 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(rows.ok());
  expect_same_rows(*rows, want);
  auto status = store->history_status(SIZE_MAX);
  ASSERT_EQ(status->size(), 4u);
  for (const auto& s : *status) EXPECT_EQ(s.snapshots, static_cast<int64_t>(all.size())) << s.address;
  auto footprint = store->history_footprint();
  ASSERT_TRUE(footprint.ok()) << footprint.error().message;
  EXPECT_EQ(footprint->samples, static_cast<int64_t>(4 * all.size()));
}

TEST(NodeHistory, TimestampsOutsideTheKeptRangeAreRefused) {
  TempDir dir;
  auto store = open_ok(dir.file("range.db"));
  CycleWrite w = cycle_of(1, 1000);
  w.nodes[0].timestamp = -1;
  auto st = store->write_cycle(w);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidData);
  w.nodes[0].timestamp = int64_t{1} << 34;
  EXPECT_FALSE(store->write_cycle(w).ok());
  EXPECT_TRUE(store->node_history(address(0), std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max())
                  ->samples.empty());
}

TEST(NodeHistory, AfterTheProcessDiesMidHourEveryCommittedSampleIsThere) {
  TempDir dir;
  std::string path = dir.file("crash.db");
  auto times = cycle_times(kStart + kHour - 300, kStart + kHour + 300);
  EXPECT_EXIT(
      {
        auto store = open_store("sqlite://" + path);
        if (!store.ok()) _exit(2);
        for (int64_t ts : times)
          if (!(*store)->write_cycle(cycle_of(60, ts)).ok()) _exit(3);
        _exit(0);  // no destructor, no checkpoint
      },
      ::testing::ExitedWithCode(0), "");
  auto store = open_ok(path);
  for (int n : {0, 59}) {
    auto rows = history_rows(*store, address(n), 0, std::numeric_limits<int64_t>::max());
    ASSERT_TRUE(rows.ok());
    expect_same_rows(*rows, expected_rows(n, times, 0, std::numeric_limits<int64_t>::max()));
  }
  // And it goes on compacting where the dead process stopped.
  write_cycles(*store, 60, {kStart + 2 * kHour});
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM raw_cycles"), 1);
  EXPECT_EQ(store->node_history(address(7), 0, kStart + 2 * kHour)->samples.size(), times.size() + 1);
}

TEST(NodeHistory, VersionOneHistoryIsConvertedAtOpen) {
  TempDir dir;
  std::string path = dir.file("v1.db");
  {
    auto db = sqlite::Database::open(path, sqlite::Database::Mode::kReadWriteCreate);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(sqlite::migrate(*db, sqlite::schema_migrations().first(1)).ok());
    ASSERT_TRUE(db->exec("INSERT INTO nodes (node_id, address) VALUES (1, '10.0.0.1:9001'), (2, '10.0.0.2:9001');"
                         "INSERT INTO node_history VALUES "
                         "(1, 1000, 1, 0, '0.8.0', 50, 100, 10, 10.0, 3, 7235, NULL, 5500),"
                         "(1, 1060, 0, 0, '0.8.0', 110, 100, 11, NULL, 3, 7240, 8333, 5500),"
                         "(1, 9000, 1, 1, '0.9.0', 7000, 100, 12, 12.0, 4, 7240, 8333, 5500),"
                         "(2, 1000, 1, 0, '', 5, 1, 0, 0.0, 0, 0, 0, 0);"
                         "INSERT INTO node_history_counts VALUES (1, 3), (2, 1);")
                    .ok());
  }
  auto store = open_ok(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), static_cast<int64_t>(sqlite::schema_migrations().size()));
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'legacy_node_history'"), 0);
  auto rows = history_rows(*store, "10.0.0.1:9001", 0, 10000);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].timestamp, 1000);
  EXPECT_DOUBLE_EQ((*rows)[0].score, 72.35);
  EXPECT_TRUE(std::isnan((*rows)[0].trust_score));
  EXPECT_TRUE(std::isnan((*rows)[1].storage_usage_percent));
  EXPECT_FALSE((*rows)[1].is_online);
  EXPECT_EQ((*rows)[2].version, "0.9.0");
  EXPECT_TRUE((*rows)[2].is_public);
  EXPECT_EQ((*rows)[2].uptime, 7000u);
  auto status = store->history_status(SIZE_MAX);
  ASSERT_EQ(status->size(), 2u);
  EXPECT_EQ((*status)[0].snapshots, 3);
  EXPECT_EQ((*status)[0].first_seen, 1000);
  EXPECT_EQ((*status)[0].last_seen, 9000);
  EXPECT_EQ(store->node_history("10.0.0.2:9001", 0, 10000)->samples.at(0).version, "");
}

// A deterministic month-like dataset, scaled down: the encoding's size per sample is a
// property of the data, not of the machine.
TEST(NodeHistory, ADayOfRealisticHistoryTakesFewBytesASample) {
  TempDir dir;
  auto store = open_ok(dir.file("size.db"));
  const int kNodes = 200;
  const int64_t kHours = 24;
  std::mt19937_64 rng(11);
  std::vector<uint64_t> used(kNodes, 1ull << 30), uptime(kNodes, 3600);
  std::vector<int64_t> peers(kNodes, 5);
  std::vector<double> score(kNodes, 70.0);
  for (int64_t h = 0; h < kHours; ++h) {
    std::vector<NodeHistoryRow> rows;
    for (int64_t m = 0; m < 60; ++m) {
      int64_t ts = kStart + h * kHour + m * 60 + (rng() % 3 == 0 ? 1 : 0);
      for (int n = 0; n < kNodes; ++n) {
        if (rng() % 30 == 0) used[n] += rng() % (1 << 20);
        if (rng() % 20000 == 0) uptime[n] = 0;  // a restart
        uptime[n] += 60;
        if (rng() % 40 == 0) peers[n] = static_cast<int64_t>(rng() % 12);
        if (rng() % 30 == 0) score[n] = static_cast<double>(rng() % 10000) / 100;
        NodeHistoryRow r;
        r.address = address(n);
        r.timestamp = ts;
        r.is_online = rng() % 200 != 0;
        r.is_public = n % 2 == 0;
        r.version = "0.8.0";
        r.uptime = uptime[n];
        r.storage_committed = 1ull << 40;
        r.storage_used = used[n];
        r.storage_usage_percent = static_cast<double>(used[n]) / static_cast<double>(1ull << 40) * 100;
        r.peer_count = peers[n];
        r.score = score[n];
        r.trust_score = 90.5;
        r.capacity_score = score[n] / 2;
        rows.push_back(r);
      }
    }
    ASSERT_TRUE(store->write_history_bulk(rows).ok());
  }
  auto footprint = store->history_footprint();
  ASSERT_TRUE(footprint.ok()) << footprint.error().message;
  EXPECT_EQ(footprint->samples, kNodes * kHours * 60);
  EXPECT_EQ(footprint->recent_samples, 0);
  EXPECT_GT(footprint->bytes, 0);
  // 4.0 bytes measured (pages of every history table and index); the target is 32.
  EXPECT_LT(footprint->bytes_per_sample(), 8.0) << footprint->bytes << " bytes";
  RecordProperty("bytes_per_sample", std::to_string(footprint->bytes_per_sample()));
}

}  // namespace
}  // namespace pnode::store
