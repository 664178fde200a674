#include "store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "store/sqlite/schema.h"
#include "store/store_backend_test_support.h"
#include "store/store_test_support.h"

namespace pnode::store {
namespace {

using namespace testing_support;
using model::RegistryEntry;
using model::Snapshot;

class StoreBackends : public StoreBackendTest {};
PNODE_STORE_BACKENDS(StoreBackends);

// ---- opening ---------------------------------------------------------------------------

TEST(OpenStore, RefusesUnknownSchemesAndUnreachableServersWithoutEchoingCredentials) {
  auto mysql = open_store("mysql://user:secret@127.0.0.1/db");
  ASSERT_FALSE(mysql.ok());
  EXPECT_EQ(mysql.error().code, ErrorCode::kInvalidDatabaseUrl);
  EXPECT_NE(mysql.error().message.find("\"mysql\""), std::string::npos) << mysql.error().message;
  EXPECT_EQ(mysql.error().message.find("secret"), std::string::npos) << mysql.error().message;

  // A PostgreSQL URL selects that backend: nothing listens on port 1, so connecting
  // fails, as a value that names libpq's reason but not the password.
  for (const char* url : {"postgresql://user:secret@127.0.0.1:1/pnodes", "postgres://user:secret@127.0.0.1:1/pnodes"}) {
    auto pg = open_store(url);
    ASSERT_FALSE(pg.ok());
    EXPECT_EQ(pg.error().code, ErrorCode::kCannotOpen) << pg.error().message;
    EXPECT_NE(pg.error().message.find("cannot connect to PostgreSQL"), std::string::npos) << pg.error().message;
    EXPECT_EQ(pg.error().message.find("secret"), std::string::npos) << pg.error().message;
  }

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
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), static_cast<int64_t>(sqlite::schema_migrations().size()));
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

TEST_P(StoreBackends, AFreshDatabaseLoadsAnEmptyRegistryAndNoSnapshot) {
  auto store = open();
  auto state = store->load();
  ASSERT_TRUE(state.ok()) << state.error().message;
  EXPECT_EQ(state->snapshot, nullptr);
  EXPECT_TRUE(state->registry.entries.empty());
  EXPECT_TRUE(state->registry.index.empty());
}

TEST_P(StoreBackends, RoundTripsTheSnapshotAndAttachesTheLoadedRegistry) {
  auto store = open();
  CycleWrite w;
  Snapshot original = make_sample_snapshot(1, 1765000000);
  w.snapshot = std::make_shared<Snapshot>(original);
  w.registry_upserts = {make_registry_entry("10.0.0.1:9001", 1765000000), make_bare_registry_entry("10.0.0.2:9001", 1765000000)};
  w.network = make_network_row(1765000000, 2);
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
  w.snapshot = std::make_shared<Snapshot>(make_sample_snapshot(2, 1765000060));
  w.registry_upserts.clear();
  w.network = make_network_row(1765000060, 2);
  ASSERT_TRUE(store->write_cycle(w).ok());
  state = store->load();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->snapshot->cycle, 2u);
  EXPECT_EQ(state->snapshot->last_updated, 1765000060);
}

// Cycles after a full one go in as deltas against it (store/snapshot_delta.h); each
// loads back exactly, and the base stays the first cycle's while the deltas stay small.
TEST_P(StoreBackends, CyclesAfterAFullOneAreStoredAsDeltasAndLoadExactly) {
  auto store = open();
  for (uint64_t cycle = 1; cycle <= 4; ++cycle) {
    CycleWrite w = make_cycle(cycle, 1765000000 + 60 * static_cast<int64_t>(cycle), addresses(200));
    auto changed = std::make_shared<Snapshot>(*w.snapshot);
    changed->nodes[cycle].pod.version = "0.9." + std::to_string(cycle);
    w.snapshot = changed;
    ASSERT_TRUE(store->write_cycle(w).ok());
    auto state = store->load();
    ASSERT_TRUE(state.ok()) << state.error().message;
    ASSERT_NE(state->snapshot, nullptr);
    expect_same_snapshot(*w.snapshot, *state->snapshot);
    EXPECT_EQ(*store->latest_cycle(), cycle);
  }
  if (GetParam() == Backend::kSqlite) {
    EXPECT_EQ(raw_int(sqlite_path(), "SELECT cycle FROM current_snapshot"), 1);
    EXPECT_EQ(raw_int(sqlite_path(), "SELECT base_cycle FROM snapshot_delta"), 1);
    EXPECT_LT(raw_int(sqlite_path(), "SELECT length(body) FROM snapshot_delta") * 4,
              raw_int(sqlite_path(), "SELECT length(body) FROM current_snapshot"));
  }
}

// Another writer (a new leader, a second store on the file) replaced the base: a delta
// against the old one would be ignored on load, so the cycle is written in full.
TEST_P(StoreBackends, ACycleIsWrittenInFullWhenItsBaseWasReplaced) {
  auto first = open();
  auto second = open();
  ASSERT_TRUE(first->write_cycle(make_cycle(1, 1765000060, addresses(200))).ok());
  ASSERT_TRUE(first->write_cycle(make_cycle(2, 1765000120, addresses(200))).ok());
  ASSERT_TRUE(second->write_cycle(make_cycle(3, 1765000180, addresses(200))).ok());
  CycleWrite fourth = make_cycle(4, 1765000240, addresses(200));
  ASSERT_TRUE(first->write_cycle(fourth).ok());
  auto state = second->load();
  ASSERT_TRUE(state.ok()) << state.error().message;
  ASSERT_NE(state->snapshot, nullptr);
  expect_same_snapshot(*fourth.snapshot, *state->snapshot);
}

// A follower loads every cycle (and keeps the base it decoded, on PostgreSQL): each load is
// the latest cycle exactly, across deltas, a new base another writer made, and a delta
// against that one.
TEST_P(StoreBackends, AStoreLoadingEveryCycleReadsEachExactlyAcrossNewBases) {
  auto leader = open();
  auto follower = open();
  auto other = open();
  auto write_and_load = [&](Store& writer, uint64_t cycle) {
    CycleWrite w = make_cycle(cycle, 1765000000 + 60 * static_cast<int64_t>(cycle), addresses(200));
    auto changed = std::make_shared<Snapshot>(*w.snapshot);
    changed->nodes[cycle].pod.uptime = cycle;
    w.snapshot = changed;
    ASSERT_TRUE(writer.write_cycle(w).ok());
    auto state = follower->load();
    ASSERT_TRUE(state.ok()) << state.error().message;
    ASSERT_NE(state->snapshot, nullptr);
    expect_same_snapshot(*w.snapshot, *state->snapshot);
  };
  for (uint64_t cycle = 1; cycle <= 3; ++cycle) write_and_load(*leader, cycle);
  write_and_load(*other, 4);   // a new base
  write_and_load(*leader, 5);  // in full again: its base was replaced
  write_and_load(*leader, 6);  // a delta against cycle 5
  write_and_load(*leader, 7);
}

TEST_P(StoreBackends, AWriteWithoutASnapshotKeepsThePreviousOne) {
  auto store = open();
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

TEST_P(StoreBackends, RegistryUpsertThenUpdateThenLoad) {
  auto store = open();
  CycleWrite first;
  first.network = make_network_row(1000, 3);
  // Written out of order: load() must sort by address.
  first.registry_upserts = {make_registry_entry("10.0.0.3:9001", 1000), make_bare_registry_entry("10.0.0.1:9001", 1000),
                            make_registry_entry("10.0.0.2:9001", 1000)};
  ASSERT_TRUE(store->write_cycle(first).ok());

  CycleWrite second;
  second.network = make_network_row(1060, 3);
  RegistryEntry filled = make_registry_entry("10.0.0.1:9001", 1060);  // optional fields now set
  RegistryEntry emptied = make_bare_registry_entry("10.0.0.3:9001", 1060);  // optional fields now empty
  emptied.first_seen = 1000;
  emptied.consistency_score = 0.5;
  second.registry_upserts = {filled, emptied};
  ASSERT_TRUE(store->write_cycle(second).ok());

  auto state = store->load();
  ASSERT_TRUE(state.ok()) << state.error().message;
  const auto& entries = state->registry.entries;
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0], filled);
  EXPECT_EQ(entries[1], make_registry_entry("10.0.0.2:9001", 1000));  // untouched by the second cycle
  EXPECT_EQ(entries[2], emptied);
  ASSERT_EQ(state->registry.index.size(), 3u);
  EXPECT_EQ(state->registry.find("10.0.0.3:9001"), &entries[2]);
  EXPECT_EQ(state->snapshot, nullptr);  // no cycle carried one
}

// A node that moved (NAT port change): the cycle deletes the old address's row and writes
// the entry under the new one with its previous addresses, which load() reads back and
// indexes for /registry/{old address}.
TEST_P(StoreBackends, AMovedEntryLeavesItsOldRowAndKeepsItsPreviousAddresses) {
  auto store = open();
  CycleWrite first;
  first.network = make_network_row(1000, 1);
  first.registry_upserts = {make_registry_entry("10.0.0.1:5000", 1000), make_registry_entry("10.0.0.2:9001", 1000)};
  ASSERT_TRUE(store->write_cycle(first).ok());

  CycleWrite second;
  second.network = make_network_row(1060, 1);
  RegistryEntry moved = make_registry_entry("10.0.0.1:5001", 1060);
  moved.previous_addresses = {"10.0.0.1:5000", "bad,address"};  // one the list cannot hold is left out
  second.registry_deletes = {"10.0.0.1:5000", "10.0.0.7:1"};     // an unknown address is no error
  second.registry_upserts = {moved};
  ASSERT_TRUE(store->write_cycle(second).ok());

  auto state = store->load();
  ASSERT_TRUE(state.ok()) << state.error().message;
  const auto& entries = state->registry.entries;
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].address, "10.0.0.1:5001");
  EXPECT_EQ(entries[0].previous_addresses, std::vector<std::string>{"10.0.0.1:5000"});
  EXPECT_EQ(state->registry.find("10.0.0.1:5000"), nullptr);
  ASSERT_NE(state->registry.find_moved("10.0.0.1:5000"), nullptr);
  EXPECT_EQ(state->registry.find_moved("10.0.0.1:5000")->address, "10.0.0.1:5001");
}

TEST_P(StoreBackends, RefusesASourceIpListItCouldNotReadBack) {
  auto store = open();
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

}  // namespace
}  // namespace pnode::store
