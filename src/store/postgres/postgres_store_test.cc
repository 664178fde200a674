// What only the PostgreSQL backend has: its schema bookkeeping and its history layout
// (raw newest hour, hourly chunks). The behaviour both backends share is tested once
// for both in store_test.cc and store_history_test.cc.
#include "store/postgres/postgres_store.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_schema.h"
#include "store/store_backend_test_support.h"

namespace pnode::store::postgres {
namespace {

using namespace testing_support;

constexpr int64_t kStart = 1765000800;  // an hour's start (1765000800 % 3600 == 0)
constexpr int64_t kHour = 3600;

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto url = fresh_postgres_url()) url_ = *url;
  }

  std::unique_ptr<Store> open() {
    auto store = open_store(url_);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(*store) : nullptr;
  }

  // Two instances on the database: a's short lease (`old`) ran out and b took the lease
  // over (`current`), as after a's pause past its lease.
  struct LostLease {
    std::unique_ptr<Store> a, b;
    LeaseToken old, current;
  };
  std::optional<LostLease> lose_lease() {
    LostLease out{open(), open(), {}, {}};
    if (!out.a || !out.b) return std::nullopt;
    auto old = out.a->try_acquire_lease("a", std::chrono::milliseconds(200));
    EXPECT_TRUE(old.ok() && *old);
    if (!old.ok() || !*old) return std::nullopt;
    ::usleep(400 * 1000);
    auto current = out.b->try_acquire_lease("b", std::chrono::milliseconds(60000));
    EXPECT_TRUE(current.ok() && *current);
    if (!current.ok() || !*current) return std::nullopt;
    out.old = **old;
    out.current = **current;
    return out;
  }

  // One integer read behind the store's back.
  int64_t raw_int(const std::string& sql) {
    auto conn = Connection::open(url_);
    EXPECT_TRUE(conn.ok()) << conn.error().message;
    if (!conn) return -1;
    auto r = conn->exec(sql);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r && r->rows() > 0 ? r->int64(0, 0) : -1;
  }

  void raw_run(const std::string& sql) {
    auto conn = Connection::open(url_);
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    auto st = conn->run(sql);
    ASSERT_TRUE(st.ok()) << st.error().message;
  }

  std::string url_;
};

// A sample of node `n` at `ts` whose fields all move, so chunk columns are not trivial.
NodeHistoryRow varied_row(int n, int64_t ts) {
  NodeHistoryRow r = make_node_row(addresses(1, n)[0], ts);
  r.storage_used = static_cast<uint64_t>(ts * 7 + n);
  r.peer_count = (ts / 60 + n) % 9;
  r.version = n % 2 == 0 ? "0.8.0" : "0.8.1";
  return r;
}

void write_minutes(Store& store, int nodes, int64_t from, int64_t to) {
  for (int64_t ts = from; ts < to; ts += 60) {
    CycleWrite w;
    w.network = make_network_row(ts, nodes);
    for (int n = 0; n < nodes; ++n) w.nodes.push_back(varied_row(n, ts));
    ASSERT_TRUE(store.write_cycle(w).ok());
  }
}

// A server that takes the TCP connection and never answers: the connection attempt ends
// (at the URL's connect_timeout here; 10 s by default) as an error value.
TEST(PostgresConnection, AServerThatNeverAnswersIsAnErrorNotAHang) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);  // the kernel completes handshakes; nobody reads
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  auto store = open_store("postgresql://u:secret@127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) +
                          "/db?connect_timeout=1&sslmode=disable");
  ::close(fd);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kCannotOpen) << store.error().message;
  EXPECT_EQ(store.error().message.find("secret"), std::string::npos);
}

TEST_F(PostgresStoreTest, MigratesOnceAndRefusesADatabaseFromANewerBuild) {
  ASSERT_NE(open(), nullptr);
  EXPECT_EQ(raw_int("SELECT version FROM schema_version"), schema_version_latest());
  ASSERT_NE(open(), nullptr);  // an up-to-date database opens as it is
  EXPECT_EQ(raw_int("SELECT count(*) FROM schema_version"), 1);
  raw_run("UPDATE schema_version SET version = version + 1");
  auto newer = open_store(url_);
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.error().code, ErrorCode::kSchemaTooNew) << newer.error().message;
}

TEST_F(PostgresStoreTest, ClosedHoursAreCompactedIntoChunksAndReadBackIdentically) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  write_minutes(*store, 3, kStart, kStart + kHour);
  EXPECT_EQ(raw_int("SELECT count(*) FROM node_chunks"), 0);  // the newest hour stays raw
  EXPECT_EQ(raw_int("SELECT count(*) FROM recent_samples"), 180);
  write_minutes(*store, 3, kStart + kHour, kStart + kHour + 120);
  EXPECT_EQ(raw_int("SELECT count(*) FROM node_chunks"), 3);
  EXPECT_EQ(raw_int("SELECT min(samples) FROM node_chunks"), 60);
  EXPECT_EQ(raw_int("SELECT count(*) FROM recent_samples"), 6);
  // Chunks stay within the budget of 32 bytes a node-sample.
  EXPECT_LE(raw_int("SELECT sum(octet_length(body)) FROM node_chunks"), 3 * 60 * 32);
  for (int n = 0; n < 3; ++n) {
    auto rows = history_rows(*store, addresses(3)[static_cast<size_t>(n)], 0, std::numeric_limits<int64_t>::max());
    ASSERT_TRUE(rows.ok()) << rows.error().message;
    ASSERT_EQ(rows->size(), 62u);
    for (size_t i = 0; i < rows->size(); ++i) {
      NodeHistoryRow want = varied_row(n, kStart + 60 * static_cast<int64_t>(i));
      EXPECT_EQ((*rows)[i], want) << "node " << n << " sample " << i;
    }
  }
  auto footprint = store->history_footprint();
  ASSERT_TRUE(footprint.ok()) << footprint.error().message;
  EXPECT_EQ(footprint->samples, 186);
  EXPECT_EQ(footprint->recent_samples, 6);
  EXPECT_GT(footprint->bytes_by_table.at("node_chunks"), 0);
  EXPECT_GT(footprint->bytes_by_table.at("node_chunks_pkey"), 0);
  EXPECT_GT(footprint->bytes, footprint->bytes_by_table.at("recent_samples"));
  auto part = history_rows(*store, addresses(1)[0], kStart + 600, kStart + kHour + 60);
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(part->size(), 52u);  // 600..3540 (50 compacted) and two raw
  auto status = store->history_status(SIZE_MAX);
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_EQ(status->size(), 3u);
  EXPECT_EQ((*status)[0].snapshots, 62);
  EXPECT_EQ((*status)[0].first_seen, kStart);
  EXPECT_EQ((*status)[0].last_seen, kStart + kHour + 60);
}

// One node's chunks are read from an index that holds their bodies (schema version 5);
// a body too large for an index entry (an hour sampled every second, bulk-written) is
// left out of it and still read back, as are the small chunks beside it.
TEST_F(PostgresStoreTest, ChunksTooLargeForTheCoveringIndexAreStoredAndReadBack) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  std::vector<NodeHistoryRow> bulk;
  for (int64_t ts = kStart; ts < kStart + kHour; ++ts) {
    bulk.push_back(varied_row(0, ts));
    bulk.back().storage_used = static_cast<uint64_t>(ts) * 0x9E3779B97F4A7C15ull >> 20;  // no pattern to compress
  }
  for (int64_t ts = kStart + kHour; ts < kStart + 3 * kHour; ts += 60) bulk.push_back(varied_row(0, ts));
  ASSERT_TRUE(store->write_history_bulk(bulk).ok());
  EXPECT_EQ(raw_int("SELECT count(*) FROM node_chunks WHERE length(body) > 2000"), 1);
  EXPECT_EQ(raw_int("SELECT count(*) FROM node_chunks WHERE length(body) <= 2000"), 1);
  auto rows = history_rows(*store, addresses(1)[0], 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), bulk.size());
  for (size_t i = 0; i < rows->size(); i += 599) EXPECT_EQ((*rows)[i], bulk[i]) << i;
  EXPECT_EQ(rows->back(), bulk.back());
}

// More nodes than one compaction batch (2,000): the cycles of the new hour compact the
// finished one 500 nodes at a time (a cycle never reads a whole hour back), reads see
// every sample meanwhile, and in the end every node's hour is compacted.
TEST_F(PostgresStoreTest, CyclesCompactAFinishedHourASliceOfNodesAtATime) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  const int kNodes = 2100;
  write_minutes(*store, kNodes, kStart + kHour - 120, kStart + kHour + 60);  // two samples, then one
  EXPECT_EQ(raw_int("SELECT count(*) FROM node_chunks"), 500);
  EXPECT_EQ(raw_int("SELECT count(*) FROM recent_samples"), 3 * kNodes - 2 * 500);
  auto expect_history = [&](size_t new_hour_samples) {
    for (int n : {0, 499, 500, 1999, 2000, kNodes - 1}) {
      auto rows =
          history_rows(*store, addresses(kNodes)[static_cast<size_t>(n)], 0, std::numeric_limits<int64_t>::max());
      ASSERT_TRUE(rows.ok()) << rows.error().message;
      ASSERT_EQ(rows->size(), 2 + new_hour_samples) << n;
      EXPECT_EQ((*rows)[0], varied_row(n, kStart + kHour - 120));
      EXPECT_EQ((*rows)[2], varied_row(n, kStart + kHour));
    }
  };
  expect_history(1);
  write_minutes(*store, kNodes, kStart + kHour + 60, kStart + kHour + 300);  // four more slices
  EXPECT_EQ(raw_int("SELECT count(*) FROM node_chunks"), kNodes);
  EXPECT_EQ(raw_int("SELECT count(*) FROM recent_samples WHERE ts < " + std::to_string(kStart + kHour)), 0);
  expect_history(5);
}

// A late sample replaces a compacted one while the pass that would merge it has already
// gone past its node: until then reads give the late one, once.
TEST_F(PostgresStoreTest, ALateSampleWaitingForItsPassIsReadInsteadOfTheCompactedOne) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  const int kNodes = 1200;  // three slices
  write_minutes(*store, kNodes, kStart + kHour - 60, kStart + kHour + 60);  // slice 1 compacted
  CycleWrite w;
  w.network = make_network_row(kStart + kHour + 60, kNodes);
  NodeHistoryRow late = varied_row(0, kStart + kHour - 60);
  late.storage_used = 77;
  w.nodes = {late};
  ASSERT_TRUE(store->write_cycle(w).ok());  // slice 2: node 0's late sample stays raw
  auto rows = history_rows(*store, addresses(1)[0], 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0], late);
  write_minutes(*store, kNodes, kStart + kHour + 120, kStart + kHour + 240);  // slice 3, then a new pass
  EXPECT_EQ(raw_int("SELECT count(*) FROM recent_samples WHERE ts < " + std::to_string(kStart + kHour)), 0);
  EXPECT_EQ((*history_rows(*store, addresses(1)[0], 0, kStart + kHour - 1))[0], late);
  EXPECT_EQ((*store->history_status(1))[0].snapshots, 4);
}

TEST_F(PostgresStoreTest, ALateSampleReplacesACompactedOneOrJoinsItsChunk) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  write_minutes(*store, 1, kStart, kStart + kHour + 120);
  CycleWrite w;
  w.network = make_network_row(kStart + 600, 1);
  NodeHistoryRow replaced = varied_row(0, kStart + 600);
  replaced.storage_used = 77;
  NodeHistoryRow added = varied_row(0, kStart + 607);
  w.nodes = {replaced, added};
  ASSERT_TRUE(store->write_cycle(w).ok());
  EXPECT_EQ(raw_int("SELECT count(*) FROM recent_samples WHERE ts < " + std::to_string(kStart + kHour)), 0);
  auto rows = history_rows(*store, addresses(1)[0], kStart, kStart + kHour - 1);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 61u);
  EXPECT_EQ((*rows)[10], replaced);
  EXPECT_EQ((*rows)[11], added);
  EXPECT_EQ((*store->history_status(1))[0].snapshots, 63);
}

TEST_F(PostgresStoreTest, RetentionDeletesWholeChunkHoursAndExactRawSamples) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  write_minutes(*store, 1, kStart, kStart + 2 * kHour + 120);
  ASSERT_EQ(raw_int("SELECT count(*) FROM node_chunks"), 2);
  CycleWrite w;
  w.network = make_network_row(kStart + 2 * kHour + 120, 1);
  w.nodes = {varied_row(0, kStart + 2 * kHour + 120)};
  w.retention_cutoff = kStart + kHour + 30;  // inside the second hour: that chunk stays
  ASSERT_TRUE(store->write_cycle(w).ok());
  EXPECT_EQ(raw_int("SELECT count(*) FROM node_chunks"), 1);
  auto rows = history_rows(*store, addresses(1)[0], 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->front().timestamp, kStart + kHour);
  EXPECT_EQ(rows->back().timestamp, kStart + 2 * kHour + 120);
  EXPECT_EQ(store->network_history(0, kStart + kHour + 29)->size(), 0u);

  CycleWrite raw_cut;
  raw_cut.network = make_network_row(kStart + 2 * kHour + 180, 1);
  raw_cut.retention_cutoff = kStart + 2 * kHour + 60;  // raw samples go exactly
  ASSERT_TRUE(store->write_cycle(raw_cut).ok());
  auto newest = history_rows(*store, addresses(1)[0], kStart + 2 * kHour, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ(newest->front().timestamp, kStart + 2 * kHour + 60);
}

TEST_F(PostgresStoreTest, RefusesSampleTimestampsOutsideTheKeptRangeAndWritesNothing) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  CycleWrite w = make_cycle(1, 1000, addresses(1));
  w.nodes.push_back(make_node_row(addresses(1)[0], int64_t{1} << 34));
  auto st = store->write_cycle(w);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidData);
  EXPECT_EQ(store->load()->snapshot, nullptr);  // the whole cycle was rolled back
}

TEST_F(PostgresStoreTest, AFailedCycleLeavesTheStoreUsableForTheNext) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  raw_run("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
          "RAISE EXCEPTION 'refused by the test'; END $$");
  raw_run("CREATE TRIGGER refuse BEFORE INSERT ON network_history FOR EACH ROW EXECUTE FUNCTION refuse()");
  auto st = store->write_cycle(make_cycle(1, 1000, addresses(2)));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("refused by the test"), std::string::npos) << st.error().message;
  EXPECT_TRUE(store->load()->registry.entries.empty());  // nothing of it stayed
  raw_run("DROP TRIGGER refuse ON network_history");
  ASSERT_TRUE(store->write_cycle(make_cycle(2, 1060, addresses(2))).ok());
  EXPECT_EQ(store->load()->registry.entries.size(), 2u);
  EXPECT_EQ(store->node_history(addresses(2)[1], 0, 2000)->samples.size(), 1u);
}

// The writer keeps node ids in memory; rows of `nodes` deleted behind its back (another
// instance's pruning, an operator) must not leave it writing under ids that are gone.
TEST_F(PostgresStoreTest, NodeIdsKeptInMemoryAreDroppedWhenNodesAreDeletedElsewhere) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->write_cycle(make_cycle(1, 1000, addresses(2))).ok());
  raw_run("DELETE FROM recent_samples; DELETE FROM registry; DELETE FROM nodes");
  ASSERT_TRUE(store->write_cycle(make_cycle(2, 1060, addresses(2))).ok());
  EXPECT_EQ(store->load()->registry.entries.size(), 2u);
  auto rows = history_rows(*store, addresses(2)[1], 0, 2000);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().timestamp, 1060);
  EXPECT_EQ(raw_int("SELECT count(*) FROM recent_samples s JOIN nodes n USING (node_id)"), 2);
}

TEST_F(PostgresStoreTest, BulkWritesMergeWithCyclesAndLeaveOnlyTheNewestHourRaw) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  write_minutes(*store, 1, kStart + kHour, kStart + kHour + 120);
  std::vector<NodeHistoryRow> bulk;
  for (int64_t ts = kStart + 2 * kHour - 60; ts >= kStart; ts -= 60) bulk.push_back(varied_row(0, ts));  // unsorted
  NodeHistoryRow& over_cycle = bulk[59];  // at kStart + kHour, which a cycle wrote
  over_cycle.storage_used = 5;
  auto st = store->write_history_bulk(bulk);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(raw_int("SELECT count(*) FROM node_chunks"), 1);  // the first hour
  EXPECT_EQ(raw_int("SELECT count(*) FROM recent_samples"), 60);  // the newest hour
  auto rows = history_rows(*store, addresses(1)[0], 0, std::numeric_limits<int64_t>::max());
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 120u);
  EXPECT_EQ((*rows)[1], varied_row(0, kStart + 60));
  EXPECT_EQ(rows->back(), bulk[0]);
  EXPECT_EQ((*rows)[60], over_cycle);  // a bulk sample replaces the cycle's at its timestamp
  EXPECT_EQ((*store->history_status(1))[0].snapshots, 120);
}

// The server ends the store's session (a restart, a failover, an administrator): the
// call in flight fails as a value, the next one reconnects.
TEST_F(PostgresStoreTest, ALostConnectionFailsOneCallAndTheNextReconnects) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->write_cycle(make_cycle(1, 1000, addresses(2))).ok());
  EXPECT_EQ(raw_int("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()) t"),
            2);  // the store's write and read connections
  auto lost = store->write_cycle(make_cycle(2, 1060, addresses(2)));
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, ErrorCode::kIoError) << lost.error().message;
  auto again = store->write_cycle(make_cycle(3, 1120, addresses(2)));
  ASSERT_TRUE(again.ok()) << again.error().message;
  auto state = store->load();
  ASSERT_TRUE(state.ok()) << state.error().message;
  EXPECT_EQ(state->snapshot->cycle, 3u);
  // The read connection was ended too: its first call fails, the next reconnects.
  auto read_lost = store->network_history(0, 2000);
  ASSERT_FALSE(read_lost.ok());
  EXPECT_EQ(read_lost.error().code, ErrorCode::kIoError) << read_lost.error().message;
  auto read = store->network_history(0, 2000);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->size(), 2u);  // cycle 2 left nothing
}

// A cycle's write transaction waits (here on a lock another session holds); meanwhile a
// history read, on the store's read connection, is answered.
TEST_F(PostgresStoreTest, HistoryReadsDoNotWaitBehindACyclesWrite) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->write_cycle(make_cycle(1, 1000, addresses(2))).ok());
  auto blocker = Connection::open(url_);
  ASSERT_TRUE(blocker.ok()) << blocker.error().message;
  ASSERT_TRUE(blocker->run("BEGIN").ok());
  // Every cycle writes a network sample (the snapshot may go to snapshot_delta); reads still pass.
  ASSERT_TRUE(blocker->run("LOCK TABLE network_history IN EXCLUSIVE MODE").ok());
  auto writer = std::async(std::launch::async, [&] { return store->write_cycle(make_cycle(2, 1060, addresses(2))); });
  bool waiting = false;
  for (int i = 0; i < 3000 && !waiting; ++i) {
    waiting = raw_int("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                      "AND wait_event_type = 'Lock'") == 1;
    if (!waiting) ::usleep(10000);
  }
  ASSERT_TRUE(waiting) << "the cycle's write never waited on the lock";
  auto reader = std::async(std::launch::async, [&] { return history_rows(*store, addresses(2)[0], 0, 5000); });
  // A read queued behind the write would wait until the lock goes; the guard only ends
  // the test instead of hanging it.
  ASSERT_EQ(reader.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  auto rows = reader.get();
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(rows->size(), 1u);  // cycle 1's sample; cycle 2 is not committed
  ASSERT_TRUE(blocker->run("COMMIT").ok());
  auto written = writer.get();
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(store->node_history(addresses(2)[0], 0, 5000)->samples.size(), 2u);
}

// ---- the collector lease ----------------------------------------------------------------

TEST_F(PostgresStoreTest, OneLeaseHolderAtATimeWithAGrowingEpoch) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  using std::chrono::milliseconds;
  auto first = a->try_acquire_lease("a", milliseconds(60000));
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(*first);
  EXPECT_EQ(**first, (LeaseToken{"a", 1}));
  auto refused = b->try_acquire_lease("b", milliseconds(60000));
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(*refused) << "the lease runs: nobody else gets it";
  EXPECT_TRUE(*a->renew_lease(**first, milliseconds(60000)));
  EXPECT_FALSE(*b->renew_lease(LeaseToken{"b", 1}, milliseconds(60000)));

  ASSERT_TRUE(a->resign_lease(**first).ok());
  auto second = b->try_acquire_lease("b", milliseconds(200));
  ASSERT_TRUE(second.ok() && *second);
  EXPECT_EQ((*second)->epoch, 2);
  EXPECT_FALSE(*a->renew_lease(**first, milliseconds(60000))) << "a resigned: it cannot renew";

  ::usleep(400 * 1000);  // b's 200 ms lease runs out on the server's clock
  auto third = a->try_acquire_lease("a", milliseconds(60000));
  ASSERT_TRUE(third.ok() && *third);
  EXPECT_EQ((*third)->epoch, 3);
  EXPECT_FALSE(*b->renew_lease(**second, milliseconds(60000)));
}

TEST_F(PostgresStoreTest, LatestCycleIsWhatFollowersPoll) {
  auto store = open();
  ASSERT_TRUE(store);
  auto empty = store->latest_cycle();
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_EQ(*empty, 0u);
  ASSERT_TRUE(store->write_cycle(make_cycle(5, kStart, addresses(2))).ok());
  EXPECT_EQ(*store->latest_cycle(), 5u);
}

// A paused old leader's write is refused: only the current holder and epoch may write.
TEST_F(PostgresStoreTest, AFencedWriteFromALostLeaseWritesNothing) {
  auto lost = lose_lease();
  ASSERT_TRUE(lost);
  CycleWrite late;
  late.network = make_network_row(kStart, 3);
  late.fence = lost->old;
  auto refused = lost->a->write_cycle(late);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kNotLeader) << refused.error().message;
  EXPECT_EQ(raw_int("SELECT count(*) FROM network_history"), 0) << "nothing of the fenced write";

  CycleWrite fenced;
  fenced.network = make_network_row(kStart, 3);
  fenced.fence = lost->current;
  ASSERT_TRUE(lost->b->write_cycle(fenced).ok());
  EXPECT_EQ(raw_int("SELECT count(*) FROM network_history"), 1);
}

// A paused old leader's late probe round and credits are refused like its late cycle;
// the current holder's are written.
TEST_F(PostgresStoreTest, FencedProbeRoundsAndCreditsFromALostLeaseWriteNothing) {
  auto lost = lose_lease();
  ASSERT_TRUE(lost);

  ProbeRoundWrite round;
  round.probes = {{"127.1.0.1:6000", kStart, true, "", 1.5, 4.0}};
  model::AvailabilitySession session;
  session.address = "127.1.0.1:6000";
  session.up = true;
  session.started_at = kStart;
  session.last_probe_at = kStart;
  round.sessions = {session};
  round.fence = lost->old;
  auto refused = lost->a->write_probe_round(round);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kNotLeader) << refused.error().message;
  const std::vector<CreditRecord> credits = {{"PK1", kStart, 10, "mainnet"}};
  auto credits_refused = lost->a->write_credits(credits, 0, lost->old);
  ASSERT_FALSE(credits_refused.ok());
  EXPECT_EQ(credits_refused.error().code, ErrorCode::kNotLeader);
  EXPECT_EQ(raw_int("SELECT count(*) FROM probe_history"), 0);
  EXPECT_EQ(raw_int("SELECT count(*) FROM availability_sessions"), 0);
  EXPECT_EQ(raw_int("SELECT count(*) FROM credits_history"), 0);

  round.fence = lost->current;
  ASSERT_TRUE(lost->b->write_probe_round(round).ok());
  ASSERT_TRUE(lost->b->write_credits(credits, 0, lost->current).ok());
  EXPECT_EQ(raw_int("SELECT count(*) FROM probe_history"), 1);
  EXPECT_EQ(raw_int("SELECT count(*) FROM availability_sessions"), 1);
  EXPECT_EQ(raw_int("SELECT count(*) FROM credits_history"), 1);
}

// Every fenced cycle is logged with its holder and epoch in the cycle's transaction; a
// fenced-out write logs nothing, and a cycle number written twice fails the write.
TEST_F(PostgresStoreTest, FencedCyclesAreLoggedOnceWithTheirEpochAndHolder) {
  auto store = open();
  ASSERT_TRUE(store);
  auto lease = store->try_acquire_lease("a", std::chrono::milliseconds(60000));
  ASSERT_TRUE(lease.ok() && *lease);
  CycleWrite first = make_cycle(7, kStart, addresses(2));
  first.fence = **lease;
  ASSERT_TRUE(store->write_cycle(first).ok());
  EXPECT_EQ(raw_int("SELECT epoch FROM cycle_log WHERE cycle = 7 AND holder = 'a'"), (*lease)->epoch);

  CycleWrite again = make_cycle(7, kStart + 60, addresses(2));
  again.fence = **lease;
  EXPECT_FALSE(store->write_cycle(again).ok()) << "cycle 7 written twice";
  EXPECT_EQ(*store->latest_cycle(), 7u);
  EXPECT_EQ(raw_int("SELECT count(*) FROM cycle_log"), 1);

  ASSERT_TRUE(store->write_cycle(make_cycle(8, kStart + 120, addresses(2))).ok());
  EXPECT_EQ(raw_int("SELECT count(*) FROM cycle_log"), 1) << "an unfenced write (one process) is not logged";
}

}  // namespace
}  // namespace pnode::store::postgres
