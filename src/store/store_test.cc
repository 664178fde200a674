#include "store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include "store/sqlite/sqlite_store.h"
#include "store/store_test_support.h"

namespace pnode::store {
namespace {

using namespace testing_support;
using model::RegistryEntry;
using model::Snapshot;

std::unique_ptr<Store> open_ok(const std::string& path) {
  auto store = open_store("sqlite://" + path);
  EXPECT_TRUE(store.ok()) << store.error().message;
  return store.ok() ? std::move(*store) : nullptr;
}

// A cycle at `ts` whose snapshot, registry and history all name `addresses`.
CycleWrite make_cycle(uint64_t cycle, int64_t ts, const std::vector<std::string>& addresses) {
  CycleWrite w;
  auto snapshot = std::make_shared<Snapshot>(sample_snapshot(cycle, ts));
  snapshot->nodes.clear();
  for (const auto& a : addresses) {
    w.registry_upserts.push_back(full_entry(a, ts));
    w.nodes.push_back(node_row(a, ts));
    snapshot->nodes.push_back({full_pod(a), {0}, 0});
  }
  w.snapshot = snapshot;
  w.network = network_row(ts, static_cast<int64_t>(addresses.size()));
  return w;
}

std::vector<std::string> addresses(int n, int from = 0) {
  std::vector<std::string> out;
  for (int i = from; i < from + n; ++i) out.push_back("10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ":9001");
  return out;
}

// Runs one SQL statement on the file behind the store's back (to set up odd states).
void raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

int64_t raw_int(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return v;
}

// ---- opening ---------------------------------------------------------------------------

TEST(OpenStore, RefusesUnknownSchemesWithoutEchoingCredentials) {
  auto mysql = open_store("mysql://user:secret@127.0.0.1/db");
  ASSERT_FALSE(mysql.ok());
  EXPECT_EQ(mysql.error().code, ErrorCode::kInvalidDatabaseUrl);
  EXPECT_NE(mysql.error().message.find("\"mysql\""), std::string::npos) << mysql.error().message;
  EXPECT_EQ(mysql.error().message.find("secret"), std::string::npos) << mysql.error().message;

  auto pg = open_store("postgresql://user:secret@127.0.0.1/pnodes");
  ASSERT_FALSE(pg.ok());
  EXPECT_EQ(pg.error().code, ErrorCode::kNotImplemented);
  EXPECT_NE(pg.error().message.find("PostgreSQL store is not implemented yet"), std::string::npos);
  EXPECT_EQ(open_store("postgres://x").error().code, ErrorCode::kNotImplemented);

  EXPECT_EQ(open_store("").error().code, ErrorCode::kInvalidDatabaseUrl);
  EXPECT_EQ(open_store("sqlite://").error().code, ErrorCode::kInvalidDatabaseUrl);
  EXPECT_EQ(open_store("sqlite:///").error().code, ErrorCode::kInvalidDatabaseUrl);
  EXPECT_EQ(open_store("/plain/path.db").error().code, ErrorCode::kInvalidDatabaseUrl);
  EXPECT_EQ(open_store("sqlite:///tmp/x.db?mode=ro").error().code, ErrorCode::kInvalidDatabaseUrl);
}

TEST(OpenStore, CreatesParentDirectoriesAndTheFile) {
  TempDir dir;
  std::string path = dir.file("a/b/c/pnodes.db");
  auto store = open_ok(path);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), 2);
}

TEST(OpenStore, AcceptsAPathRelativeToTheWorkingDirectory) {
  TempDir dir;
  auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto store = open_store("sqlite://data/rel.db");
  std::filesystem::current_path(previous);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "data/rel.db"));
}

TEST(OpenStore, ReportsAFileThatCannotBeOpened) {
  TempDir dir;
  std::string blocker = dir.file("file");
  { std::ofstream(blocker) << "x"; }
  auto under_file = open_store("sqlite://" + blocker + "/sub/x.db");  // a parent is a regular file
  ASSERT_FALSE(under_file.ok());
  EXPECT_NE(under_file.error().message.find("cannot create directory"), std::string::npos)
      << under_file.error().message;

  std::string not_db = dir.file("not.db");
  { std::ofstream(not_db) << std::string(4096, 'z'); }
  auto garbage = open_store("sqlite://" + not_db);
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(garbage.error().message.find("file is not a database"), std::string::npos) << garbage.error().message;
}

TEST(OpenStore, UsesWalMode) {
  TempDir dir;
  std::string path = dir.file("wal.db");
  auto store = open_ok(path);
  ASSERT_TRUE(store->write_cycle(make_cycle(1, 1000, addresses(3))).ok());
  EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
  store.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");  // persistent
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

// ---- load / snapshot / registry --------------------------------------------------------

TEST(SqliteStore, AFreshDatabaseLoadsAnEmptyRegistryAndNoSnapshot) {
  TempDir dir;
  auto store = open_ok(dir.file("fresh.db"));
  auto state = store->load();
  ASSERT_TRUE(state.ok()) << state.error().message;
  EXPECT_EQ(state->snapshot, nullptr);
  EXPECT_TRUE(state->registry.entries.empty());
  EXPECT_TRUE(state->registry.index.empty());
}

TEST(SqliteStore, RoundTripsTheSnapshotAndAttachesTheLoadedRegistry) {
  TempDir dir;
  auto store = open_ok(dir.file("snap.db"));
  CycleWrite w;
  Snapshot original = sample_snapshot(1, 1765000000);
  w.snapshot = std::make_shared<Snapshot>(original);
  w.registry_upserts = {full_entry("10.0.0.1:9001", 1765000000), bare_entry("10.0.0.2:9001", 1765000000)};
  w.network = network_row(1765000000, 2);
  ASSERT_TRUE(store->write_cycle(w).ok());

  auto state = store->load();
  ASSERT_TRUE(state.ok()) << state.error().message;
  ASSERT_NE(state->snapshot, nullptr);
  expect_same_snapshot(original, *state->snapshot);
  ASSERT_NE(state->snapshot->registry, nullptr);
  EXPECT_EQ(state->snapshot->registry->entries, state->registry.entries);
  EXPECT_NE(state->snapshot->registry->find("10.0.0.2:9001"), nullptr);
  EXPECT_EQ(state->snapshot->views, nullptr);

  // The next cycle replaces it.
  w.snapshot = std::make_shared<Snapshot>(sample_snapshot(2, 1765000060));
  w.registry_upserts.clear();
  w.network = network_row(1765000060, 2);
  ASSERT_TRUE(store->write_cycle(w).ok());
  state = store->load();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->snapshot->cycle, 2u);
  EXPECT_EQ(state->snapshot->last_updated, 1765000060);
}

TEST(SqliteStore, AWriteWithoutASnapshotKeepsThePreviousOne) {
  TempDir dir;
  auto store = open_ok(dir.file("keep.db"));
  ASSERT_TRUE(store->write_cycle(make_cycle(4, 1000, addresses(2))).ok());
  CycleWrite no_snapshot = make_cycle(5, 1060, addresses(2));
  no_snapshot.snapshot = nullptr;
  ASSERT_TRUE(store->write_cycle(no_snapshot).ok());
  auto state = store->load();
  ASSERT_TRUE(state.ok());
  ASSERT_NE(state->snapshot, nullptr);
  EXPECT_EQ(state->snapshot->cycle, 4u);
  auto history = store->network_history(0, 2000);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 2u);
}

TEST(SqliteStore, RegistryUpsertThenUpdateThenLoad) {
  TempDir dir;
  auto store = open_ok(dir.file("reg.db"));
  CycleWrite first;
  first.network = network_row(1000, 3);
  // Written out of order: load() must sort by address.
  first.registry_upserts = {full_entry("10.0.0.3:9001", 1000), bare_entry("10.0.0.1:9001", 1000),
                            full_entry("10.0.0.2:9001", 1000)};
  ASSERT_TRUE(store->write_cycle(first).ok());

  CycleWrite second;
  second.network = network_row(1060, 3);
  RegistryEntry filled = full_entry("10.0.0.1:9001", 1060);  // optional fields now set
  RegistryEntry emptied = bare_entry("10.0.0.3:9001", 1060);  // optional fields now empty
  emptied.first_seen = 1000;
  emptied.consistency_score = 0.5;
  second.registry_upserts = {filled, emptied};
  ASSERT_TRUE(store->write_cycle(second).ok());

  auto state = store->load();
  ASSERT_TRUE(state.ok()) << state.error().message;
  const auto& entries = state->registry.entries;
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0], filled);
  EXPECT_EQ(entries[1], full_entry("10.0.0.2:9001", 1000));  // untouched by the second cycle
  EXPECT_EQ(entries[2], emptied);
  ASSERT_EQ(state->registry.index.size(), 3u);
  EXPECT_EQ(state->registry.find("10.0.0.3:9001"), &entries[2]);
  EXPECT_EQ(state->snapshot, nullptr);  // no cycle carried one
}

TEST(SqliteStore, RefusesASourceIpListItCouldNotReadBack) {
  TempDir dir;
  auto store = open_ok(dir.file("comma.db"));
  CycleWrite w = make_cycle(1, 1000, addresses(2));
  w.registry_upserts[1].source_ips = {"127.0.0.1:6000,127.0.0.2:6000"};
  auto st = store->write_cycle(w);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidData);
  auto state = store->load();
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->registry.entries.empty());  // the first upsert was rolled back too
  EXPECT_EQ(state->snapshot, nullptr);
}

// ---- history ---------------------------------------------------------------------------

TEST(SqliteStore, HistoryInsertsAndRangeQueries) {
  TempDir dir;
  auto store = open_ok(dir.file("hist.db"));
  const std::string a = "10.0.0.1:9001", b = "10.0.0.2:9001";
  for (int64_t ts = 100; ts <= 105; ++ts) {
    CycleWrite w;
    w.network = network_row(ts, ts);
    w.nodes = {node_row(a, ts)};
    if (ts % 2 == 1) w.nodes.push_back(node_row(b, ts));
    ASSERT_TRUE(store->write_cycle(w).ok());
  }

  auto net = store->network_history(101, 103);
  ASSERT_TRUE(net.ok()) << net.error().message;
  ASSERT_EQ(net->size(), 3u);
  EXPECT_EQ((*net)[0], network_row(101, 101));
  EXPECT_EQ((*net)[2], network_row(103, 103));
  EXPECT_TRUE(store->network_history(200, 300)->empty());

  auto at = store->network_sample_at_or_before(102);
  ASSERT_TRUE(at.ok());
  ASSERT_TRUE(at->has_value());
  EXPECT_EQ(**at, network_row(102, 102));
  EXPECT_EQ((*store->network_sample_at_or_before(100000))->timestamp, 105);
  EXPECT_FALSE(store->network_sample_at_or_before(99)->has_value());

  auto rows = store->node_history(a, 101, 104);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 4u);
  for (size_t i = 0; i < rows->size(); ++i) EXPECT_EQ((*rows)[i], node_row(a, 101 + static_cast<int64_t>(i)));
  auto b_rows = store->node_history(b, 0, 1000);
  ASSERT_TRUE(b_rows.ok());
  ASSERT_EQ(b_rows->size(), 3u);
  EXPECT_EQ(b_rows->front().timestamp, 101);
  EXPECT_EQ(b_rows->back().timestamp, 105);
  auto unknown = store->node_history("10.9.9.9:9001", 0, 1000);
  ASSERT_TRUE(unknown.ok());
  EXPECT_TRUE(unknown->empty());
}

TEST(SqliteStore, HistoryKeepsScoresToTheHundredthAndNanAsNan) {
  TempDir dir;
  auto store = open_ok(dir.file("scores.db"));
  CycleWrite w;
  w.network = network_row(500, 1);
  w.network.avg_cpu_percent = std::nan("");  // a NaN average must not fail the cycle
  NodeHistoryRow r = node_row("10.0.0.1:9001", 500);
  r.score = 2.675;  // Python's round(2.675, 2) gives 2.67: stored values are already rounded
  r.trust_score = -12.5;
  r.capacity_score = std::nan("");
  r.storage_usage_percent = 4.6764705882352943e-7;  // kept as REAL, exactly
  w.nodes = {r};
  ASSERT_TRUE(store->write_cycle(w).ok());
  auto net = store->network_history(500, 500);
  ASSERT_TRUE(net.ok());
  ASSERT_EQ(net->size(), 1u);
  EXPECT_TRUE(std::isnan((*net)[0].avg_cpu_percent));
  auto rows = store->node_history("10.0.0.1:9001", 0, 1000);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].score, 2.68);  // to the hundredth
  EXPECT_EQ((*rows)[0].trust_score, -12.5);
  EXPECT_TRUE(std::isnan((*rows)[0].capacity_score));
  EXPECT_EQ((*rows)[0].storage_usage_percent, 4.6764705882352943e-7);
}

TEST(SqliteStore, ASecondSampleInTheSameSecondReplacesTheFirst) {
  TempDir dir;
  auto store = open_ok(dir.file("same.db"));
  ASSERT_TRUE(store->write_cycle(make_cycle(1, 700, addresses(2))).ok());
  CycleWrite again = make_cycle(2, 700, addresses(2));
  again.network.total_pnodes = 99;
  again.nodes[0].uptime = 4242;
  ASSERT_TRUE(store->write_cycle(again).ok());
  auto net = store->network_history(0, 1000);
  ASSERT_EQ(net->size(), 1u);
  EXPECT_EQ((*net)[0].total_pnodes, 99);
  auto rows = store->node_history(addresses(1)[0], 0, 1000);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].uptime, 4242u);
}

TEST(SqliteStore, HistoryStatusCountsPerAddressSortedAndLimited) {
  TempDir dir;
  auto store = open_ok(dir.file("status.db"));
  const std::string a = "10.0.0.1:9001", b = "10.0.0.2:9001", c = "10.0.0.3:9001";
  // a: 3 samples, b: 2, c: 2 (b and c tie: address order decides).
  for (int64_t ts : {10, 20, 30}) {
    CycleWrite w;
    w.network = network_row(ts, 3);
    w.nodes = {node_row(a, ts)};
    if (ts >= 20) w.nodes.push_back(node_row(c, ts));
    if (ts <= 20) w.nodes.push_back(node_row(b, ts));
    ASSERT_TRUE(store->write_cycle(w).ok());
  }
  auto all = store->history_status(100);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].address, a);
  EXPECT_EQ((*all)[0].snapshots, 3);
  EXPECT_EQ((*all)[0].first_seen, 10);
  EXPECT_EQ((*all)[0].last_seen, 30);
  EXPECT_EQ((*all)[1].address, b);
  EXPECT_EQ((*all)[1].first_seen, 10);
  EXPECT_EQ((*all)[1].last_seen, 20);
  EXPECT_EQ((*all)[2].address, c);
  EXPECT_EQ((*all)[2].first_seen, 20);
  EXPECT_EQ((*all)[2].last_seen, 30);

  auto top = store->history_status(2);
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->size(), 2u);
  EXPECT_EQ((*top)[1].address, b);
  EXPECT_EQ(store->history_status(SIZE_MAX)->size(), 3u);
}

TEST(SqliteStore, HistoryStatusStaysExactThroughRewritesAndRetention) {
  TempDir dir;
  std::string path = dir.file("counts.db");
  auto store = open_ok(path);
  const std::string a = "10.0.0.1:9001", b = "10.0.0.2:9001", c = "10.0.0.3:9001";
  for (int64_t ts = 100; ts < 120; ++ts) {
    CycleWrite w;
    w.network = network_row(ts, 3);
    w.nodes = {node_row(a, ts)};
    if (ts % 2 == 0) w.nodes.push_back(node_row(b, ts));
    if (ts < 105) w.nodes.push_back(node_row(c, ts));
    if (ts == 115) w.retention_cutoff = 105;  // c's history is gone entirely after this
    ASSERT_TRUE(store->write_cycle(w).ok());
    if (ts == 110) {
      ASSERT_TRUE(store->write_cycle(w).ok());  // the same second written twice
    }
  }
  auto status = store->history_status(10);
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_EQ(status->size(), 2u);
  EXPECT_EQ((*status)[0].address, a);
  EXPECT_EQ((*status)[0].snapshots, 15);  // 105..119
  EXPECT_EQ((*status)[0].first_seen, 105);
  EXPECT_EQ((*status)[0].last_seen, 119);
  EXPECT_EQ((*status)[1].address, b);
  EXPECT_EQ((*status)[1].snapshots, 7);  // 106, 108, ..., 118
  EXPECT_EQ((*status)[1].first_seen, 106);
  // All of it is recent (one hour): counted from the raw bitmaps, nothing compacted.
  store.reset();
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM node_chunks"), 0);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM raw_cycles"), 15);
  // Pruning drops addresses nothing refers to any more (c), and keeps a and b, whose
  // history is raw.
  store = open_ok(path);
  ASSERT_TRUE(store->prune_registry(0).ok());
  store.reset();
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM nodes"), 2);
}

TEST(SqliteStore, RetentionDeletesOnlyRowsOlderThanTheCutoff) {
  TempDir dir;
  auto store = open_ok(dir.file("retention.db"));
  const std::string a = "10.0.0.1:9001";
  for (int64_t ts = 1000; ts <= 1005; ++ts) {
    CycleWrite w;
    w.network = network_row(ts, 1);
    w.nodes = {node_row(a, ts)};
    w.retention_cutoff = ts == 1005 ? 1003 : 0;  // the last cycle keeps 1003 and newer
    ASSERT_TRUE(store->write_cycle(w).ok());
  }
  auto net = store->network_history(0, 9999);
  ASSERT_EQ(net->size(), 3u);
  EXPECT_EQ(net->front().timestamp, 1003);
  auto rows = store->node_history(a, 0, 9999);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(rows->front().timestamp, 1003);
  EXPECT_EQ(rows->back().timestamp, 1005);
}

TEST(SqliteStore, PruneRegistryDeletesEntriesLastSeenBeforeTheCutoff) {
  TempDir dir;
  auto store = open_ok(dir.file("prune.db"));
  CycleWrite w;
  w.network = network_row(5000, 3);
  w.registry_upserts = {bare_entry("10.0.0.1:9001", 1000), bare_entry("10.0.0.2:9001", 2000),
                        bare_entry("10.0.0.3:9001", 3000)};
  w.nodes = {node_row("10.0.0.1:9001", 5000)};  // .1 has history, .2 has none
  ASSERT_TRUE(store->write_cycle(w).ok());

  auto pruned = store->prune_registry(2500);
  ASSERT_TRUE(pruned.ok()) << pruned.error().message;
  EXPECT_EQ(*pruned, 2);
  EXPECT_EQ(*store->prune_registry(2500), 0);
  auto state = store->load();
  ASSERT_EQ(state->registry.entries.size(), 1u);
  EXPECT_EQ(state->registry.entries[0].address, "10.0.0.3:9001");
  // History is not the registry's: it stays.
  EXPECT_EQ(store->node_history("10.0.0.1:9001", 0, 9999)->size(), 1u);

  // Pruned addresses can come back (their interned ids were released consistently).
  CycleWrite back;
  back.network = network_row(6000, 2);
  back.registry_upserts = {bare_entry("10.0.0.2:9001", 6000), bare_entry("10.0.0.1:9001", 6000)};
  back.nodes = {node_row("10.0.0.2:9001", 6000), node_row("10.0.0.1:9001", 6000)};
  ASSERT_TRUE(store->write_cycle(back).ok());
  state = store->load();
  ASSERT_EQ(state->registry.entries.size(), 3u);
  EXPECT_EQ(state->registry.entries[1], bare_entry("10.0.0.2:9001", 6000));
  EXPECT_EQ(store->node_history("10.0.0.2:9001", 0, 9999)->size(), 1u);
  EXPECT_EQ(store->node_history("10.0.0.1:9001", 0, 9999)->size(), 2u);
}

// ---- durability and failures -----------------------------------------------------------

TEST(SqliteStore, ReopeningKeepsEverything) {
  TempDir dir;
  std::string path = dir.file("reopen.db");
  {
    auto store = open_ok(path);
    ASSERT_TRUE(store->write_cycle(make_cycle(1, 1000, addresses(5))).ok());
    ASSERT_TRUE(store->write_cycle(make_cycle(2, 1060, addresses(6))).ok());
  }
  auto store = open_ok(path);
  auto state = store->load();
  ASSERT_TRUE(state.ok()) << state.error().message;
  ASSERT_NE(state->snapshot, nullptr);
  EXPECT_EQ(state->snapshot->cycle, 2u);
  EXPECT_EQ(state->snapshot->nodes.size(), 6u);
  EXPECT_EQ(state->registry.entries.size(), 6u);
  EXPECT_EQ(store->network_history(0, 9999)->size(), 2u);
  EXPECT_EQ(store->node_history(addresses(1)[0], 0, 9999)->size(), 2u);
  // Writing after the reopen reuses the interned addresses.
  ASSERT_TRUE(store->write_cycle(make_cycle(3, 1120, addresses(7))).ok());
  EXPECT_EQ(store->node_history(addresses(1)[0], 0, 9999)->size(), 3u);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM nodes"), 7);
}

TEST(SqliteStore, RefusesADatabaseWithANewerSchema) {
  TempDir dir;
  std::string path = dir.file("future.db");
  { open_ok(path); }
  raw_exec(path, "PRAGMA user_version = 99");
  auto store = open_store("sqlite://" + path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kSchemaTooNew);
  EXPECT_NE(store.error().message.find("schema version 99"), std::string::npos) << store.error().message;
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), 99);  // left untouched
}

TEST(SqliteStore, MigratesAnEmptyVersionZeroFile) {
  TempDir dir;
  std::string path = dir.file("v0.db");
  raw_exec(path, "CREATE TABLE unrelated (x INTEGER)");  // an existing SQLite file at version 0
  auto store = open_ok(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), 2);
  ASSERT_TRUE(store->write_cycle(make_cycle(1, 1000, addresses(1))).ok());
}

TEST(SqliteStore, AWriteThatFillsTheDiskRollsBackAndKeepsThePreviousCycle) {
  TempDir dir;
  std::string path = dir.file("full.db");
  const auto small = addresses(3);
  {
    auto store = open_ok(path);
    ASSERT_TRUE(store->write_cycle(make_cycle(1, 1000, small)).ok());
  }
  int64_t pages = raw_int(path, "PRAGMA page_count");
  auto opened = sqlite::open_sqlite_store(path, {.max_page_count = pages + 4});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto& store = *opened;

  const auto many = addresses(3000, 100);  // far more than 4 pages
  CycleWrite big = make_cycle(2, 1060, many);
  // A small snapshot, written first and successfully: the disk fills later, among the
  // registry and history rows, once new addresses have been interned.
  big.snapshot = std::make_shared<Snapshot>(sample_snapshot(2, 1060));
  auto st = store->write_cycle(big);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kDiskFull);
  EXPECT_NE(st.error().message.find("database or disk is full"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find("writing cycle 2 to " + path), std::string::npos) << st.error().message;

  auto state = store->load();
  ASSERT_TRUE(state.ok()) << state.error().message;
  ASSERT_NE(state->snapshot, nullptr);
  EXPECT_EQ(state->snapshot->cycle, 1u);
  EXPECT_EQ(state->registry.entries.size(), small.size());
  auto net = store->network_history(0, 9999);
  ASSERT_EQ(net->size(), 1u);
  EXPECT_EQ(net->front().timestamp, 1000);
  EXPECT_TRUE(store->node_history(many[0], 0, 9999)->empty());
  EXPECT_EQ(store->history_status(100)->size(), small.size());

  // The failed cycle's new addresses were not remembered as interned: a small write
  // that names one of them stores it properly.
  CycleWrite next = make_cycle(3, 1120, {many[0]});
  next.snapshot = nullptr;
  ASSERT_TRUE(store->write_cycle(next).ok());
  EXPECT_EQ(store->node_history(many[0], 0, 9999)->size(), 1u);
  EXPECT_EQ(store->load()->registry.find(many[0])->last_seen, 1120);
}

TEST(SqliteStore, AfterTheProcessDiesBetweenCyclesTheLastCommittedCycleLoads) {
  TempDir dir;
  std::string path = dir.file("crash.db");
  {
    auto store = open_ok(path);
    ASSERT_TRUE(store->write_cycle(make_cycle(1, 1000, addresses(4))).ok());
  }
  // The child commits cycle 2, then dies without closing anything (the WAL is not
  // checkpointed, nothing is flushed by destructors).
  EXPECT_EXIT(
      {
        auto store = open_store("sqlite://" + path);
        if (!store.ok()) _exit(2);
        if (!(*store)->write_cycle(make_cycle(2, 1060, addresses(5))).ok()) _exit(3);
        _exit(0);
      },
      ::testing::ExitedWithCode(0), "");
  auto store = open_ok(path);
  auto state = store->load();
  ASSERT_TRUE(state.ok()) << state.error().message;
  ASSERT_NE(state->snapshot, nullptr);
  EXPECT_EQ(state->snapshot->cycle, 2u);
  EXPECT_EQ(state->registry.entries.size(), 5u);
  EXPECT_EQ(store->network_history(0, 9999)->size(), 2u);
}

TEST(SqliteStore, AnUnreadableStoredSnapshotIsReportedNotIgnored) {
  TempDir dir;
  std::string path = dir.file("corrupt.db");
  { ASSERT_TRUE(open_ok(path)->write_cycle(make_cycle(1, 1000, addresses(2))).ok()); }
  raw_exec(path, "UPDATE current_snapshot SET body = '{\"v\":1,\"cycle\":'");
  auto store = open_ok(path);
  auto state = store->load();
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(state.error().message.find("stored snapshot is unreadable"), std::string::npos) << state.error().message;
}

TEST(SqliteStore, TwoStoresOnOneFileAgreeOnAddressIds) {
  TempDir dir;
  std::string path = dir.file("two.db");
  auto first = open_ok(path);
  auto second = open_ok(path);  // opened before `first` interns anything
  const std::string a = "10.0.0.1:9001";
  CycleWrite w;
  w.network = network_row(100, 1);
  w.nodes = {node_row(a, 100)};
  ASSERT_TRUE(first->write_cycle(w).ok());
  w.network = network_row(101, 1);
  w.nodes = {node_row(a, 101)};
  ASSERT_TRUE(second->write_cycle(w).ok());  // finds the id `first` gave the address
  EXPECT_EQ(first->node_history(a, 0, 1000)->size(), 2u);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM nodes"), 1);
}

TEST(SqliteStore, ReadersAndTheWriterWorkConcurrently) {
  TempDir dir;
  auto store = open_ok(dir.file("threads.db"));
  const auto nodes = addresses(50);
  std::atomic<bool> done{false};
  std::atomic<int> read_failures{0}, torn_reads{0};
  auto reader = [&] {
    while (!done) {
      auto h = store->node_history(nodes[7], 0, 1'000'000);
      auto s = store->load();
      if (!h.ok() || !s.ok()) {
        ++read_failures;
        continue;
      }
      // A load sees one commit whole: every entry was upserted by the cycle whose
      // snapshot it loaded.
      if (!s->snapshot) continue;
      for (const auto& e : s->registry.entries)
        if (e.last_seen != s->snapshot->last_updated) ++torn_reads;
    }
  };
  std::thread r1(reader), r2(reader);
  for (uint64_t cycle = 1; cycle <= 30; ++cycle) {
    auto st = store->write_cycle(make_cycle(cycle, 1000 + static_cast<int64_t>(cycle) * 60, nodes));
    EXPECT_TRUE(st.ok()) << st.error().message;
  }
  done = true;
  r1.join();
  r2.join();
  EXPECT_EQ(read_failures, 0);
  EXPECT_EQ(torn_reads, 0);
  EXPECT_EQ(store->node_history(nodes[7], 0, 1'000'000)->size(), 30u);
  EXPECT_EQ(store->load()->snapshot->cycle, 30u);
}

}  // namespace
}  // namespace pnode::store
