#include "store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/schema.h"
#include "store/store_test_support.h"

namespace pnode::store {
namespace {

using namespace testing_support;
using model::RegistryEntry;
using model::Snapshot;

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
  EXPECT_EQ(store->node_history(addresses(1)[0], 0, 9999)->samples.size(), 2u);
  // Writing after the reopen reuses the interned addresses.
  ASSERT_TRUE(store->write_cycle(make_cycle(3, 1120, addresses(7))).ok());
  EXPECT_EQ(store->node_history(addresses(1)[0], 0, 9999)->samples.size(), 3u);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM nodes"), 7);
}

// The server frees the page caches after each cycle: what the writer and the idle
// readers cached goes, and the store reads and writes as before.
TEST(SqliteStore, ReleasingMemoryFreesThePageCachesAndKeepsTheStoreWorking) {
  TempDir dir;
  auto store = open_ok(dir.file("release.db"));
  for (uint64_t c = 1; c <= 3; ++c) ASSERT_TRUE(store->write_cycle(make_cycle(c, 1000 + 60 * c, addresses(2000))).ok());
  ASSERT_TRUE(store->load().ok());  // a reader's cache too
  const sqlite3_int64 cached = sqlite3_memory_used();
  store->release_memory();
  const sqlite3_int64 released = sqlite3_memory_used();
  EXPECT_LT(released, cached - (256 << 10)) << "from " << cached << " to " << released << " bytes";
  ASSERT_TRUE(store->write_cycle(make_cycle(4, 1240, addresses(2000))).ok());
  auto state = store->load();
  ASSERT_TRUE(state.ok()) << state.error().message;
  EXPECT_EQ(state->snapshot->cycle, 4u);
  EXPECT_EQ(state->registry.entries.size(), 2000u);
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
  EXPECT_EQ(raw_int(path, "PRAGMA user_version"), static_cast<int64_t>(sqlite::schema_migrations().size()));
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
  big.snapshot = std::make_shared<Snapshot>(make_sample_snapshot(2, 1060));
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
  EXPECT_TRUE(store->node_history(many[0], 0, 9999)->samples.empty());
  EXPECT_EQ(store->history_status(100)->size(), small.size());

  // The failed cycle's new addresses were not remembered as interned: a small write
  // that names one of them stores it properly.
  CycleWrite next = make_cycle(3, 1120, {many[0]});
  next.snapshot = nullptr;
  ASSERT_TRUE(store->write_cycle(next).ok());
  EXPECT_EQ(store->node_history(many[0], 0, 9999)->samples.size(), 1u);
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
  w.network = make_network_row(100, 1);
  w.nodes = {make_node_row(a, 100)};
  ASSERT_TRUE(first->write_cycle(w).ok());
  w.network = make_network_row(101, 1);
  w.nodes = {make_node_row(a, 101)};
  ASSERT_TRUE(second->write_cycle(w).ok());  // finds the id `first` gave the address
  EXPECT_EQ(first->node_history(a, 0, 1000)->samples.size(), 2u);
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
  EXPECT_EQ(store->node_history(nodes[7], 0, 1'000'000)->samples.size(), 30u);
  EXPECT_EQ(store->load()->snapshot->cycle, 30u);
}

}  // namespace
}  // namespace pnode::store
