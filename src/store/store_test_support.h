// Test-only helpers for the store tests: whole cycles of sample data (CycleWrite) built
// from the shared model builders of testing/builders.h (re-exported here), field-by-field
// comparisons for the types that have no operator==, temporary database paths, and raw
// SQL on a database file behind the store's back.
// Thread-safety: plain functions; each test uses its own values and files.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <memory>
#include <string>
#include <vector>

#include "model/registry_sighting.h"
#include "model/snapshot.h"
#include "store/store.h"
#include "testing/builders.h"

namespace pnode::store::testing_support {

// The shared model builders (make_pod, make_registry_entry, make_network_row, ...).
using namespace ::pnode::testing;  // NOLINT

// A fresh, empty directory under the test temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("pnode-store-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};


// A SQLite store at `path`, or a test failure and nullptr.
inline std::unique_ptr<Store> open_ok(const std::string& path) {
  auto store = open_store("sqlite://" + path);
  EXPECT_TRUE(store.ok()) << store.error().message;
  return store.ok() ? std::move(*store) : nullptr;
}

inline void expect_same_error(const std::optional<Error>& a, const std::optional<Error>& b) {
  ASSERT_EQ(a.has_value(), b.has_value());
  if (a) {
    EXPECT_EQ(a->code, b->code);
    EXPECT_EQ(a->message, b->message);
    EXPECT_EQ(a->rpc_code, b->rpc_code);
    EXPECT_EQ(a->http_status, b->http_status);
    EXPECT_EQ(a->where, b->where);
  }
}

inline void expect_same_seed(const model::SeedPoll& a, const model::SeedPoll& b) {
  EXPECT_EQ(a.seed, b.seed);
  ASSERT_EQ(a.version.has_value(), b.version.has_value());
  if (a.version) {
    EXPECT_EQ(a.version->version, b.version->version);
  }
  EXPECT_EQ(a.stats, b.stats);
  expect_same_error(a.version_error, b.version_error);
  expect_same_error(a.stats_error, b.stats_error);
  expect_same_error(a.pods_error, b.pods_error);
  EXPECT_EQ(a.pod_count, b.pod_count);
  EXPECT_EQ(a.pods_total_count, b.pods_total_count);
  EXPECT_EQ(a.used_fallback, b.used_fallback);
  EXPECT_EQ(a.duration_ms, b.duration_ms);
}

// Every field except `views` and `registry`.
inline void expect_same_snapshot(const model::Snapshot& a, const model::Snapshot& b) {
  EXPECT_EQ(a.cycle, b.cycle);
  EXPECT_EQ(a.started_at, b.started_at);
  EXPECT_EQ(a.last_updated, b.last_updated);
  EXPECT_EQ(a.duration_ms, b.duration_ms);
  ASSERT_EQ(a.seeds.size(), b.seeds.size());
  for (size_t i = 0; i < a.seeds.size(); ++i) expect_same_seed(a.seeds[i], b.seeds[i]);
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (size_t i = 0; i < a.nodes.size(); ++i) {
    EXPECT_EQ(a.nodes[i].pod, b.nodes[i].pod) << "node " << i;
    EXPECT_EQ(a.nodes[i].peer_sources, b.nodes[i].peer_sources) << "node " << i;
    EXPECT_EQ(a.nodes[i].source, b.nodes[i].source) << "node " << i;
  }
  EXPECT_EQ(a.summary.total_nodes, b.summary.total_nodes);
  EXPECT_EQ(a.summary.total_pnodes, b.summary.total_pnodes);
  EXPECT_EQ(a.summary.total_pnodes_raw, b.summary.total_pnodes_raw);
  EXPECT_EQ(a.summary.total_bytes_processed, b.summary.total_bytes_processed);
  EXPECT_EQ(a.summary.avg_cpu_percent, b.summary.avg_cpu_percent);
  EXPECT_EQ(a.summary.avg_ram_used_percent, b.summary.avg_ram_used_percent);
  EXPECT_EQ(a.summary.total_active_streams, b.summary.total_active_streams);
  EXPECT_EQ(a.summary.last_updated, b.summary.last_updated);
  EXPECT_EQ(a.summary.seeds_responding, b.summary.seeds_responding);
  EXPECT_EQ(a.changes.appeared, b.changes.appeared);
  EXPECT_EQ(a.changes.dropped, b.changes.dropped);
  EXPECT_EQ(a.changes.first_cycle, b.changes.first_cycle);
}

// A cycle at `ts` whose snapshot, registry and history all name `addresses`.
inline CycleWrite make_cycle(uint64_t cycle, int64_t ts, const std::vector<std::string>& addresses) {
  CycleWrite w;
  auto snapshot = std::make_shared<model::Snapshot>(make_sample_snapshot(cycle, ts));
  snapshot->nodes.clear();
  for (const auto& a : addresses) {
    // As the collector makes them: the row carries the snapshot's sighting of the pod.
    model::MergedNode node{make_pod(a), {0}, 0};
    node.pod.last_seen_timestamp = ts;
    model::RegistryEntry entry = make_registry_entry(a, ts);
    model::apply_sighting(entry, node, snapshot->seeds, ts);
    w.registry_upserts.push_back(std::move(entry));
    w.nodes.push_back(make_node_row(a, ts));
    snapshot->nodes.push_back(std::move(node));
  }
  w.snapshot = snapshot;
  w.network = make_network_row(ts, static_cast<int64_t>(addresses.size()));
  return w;
}

inline std::vector<std::string> addresses(int n, int from = 0) {
  std::vector<std::string> out;
  for (int i = from; i < from + n; ++i) out.push_back("10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ":9001");
  return out;
}

// Runs one SQL statement on the file behind the store's back (to set up odd states).
inline void raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

// Reads one integer with SQL on the file behind the store's back.
inline int64_t raw_int(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return v;
}

// Writes `bytes` pseudo-random bytes (a fixed sequence) over the file at `offset`.
inline void scribble(const std::string& path, int64_t offset, size_t bytes) {
  std::mt19937 random(20261205);
  std::string noise(bytes, '\0');
  for (auto& c : noise) c = static_cast<char>(random() & 0xff);
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(f) << path;
  f.seekp(offset);
  f.write(noise.data(), static_cast<std::streamsize>(noise.size()));
  ASSERT_TRUE(f) << "writing " << path;
}

// Damages a closed database where only an integrity check looks: the root page of the
// node_chunks_by_hour index. The schema, registry, snapshot and network history stay
// readable.
inline void damage_an_index(const std::string& path) {
  int64_t page_size = raw_int(path, "PRAGMA page_size");
  int64_t root = raw_int(path, "SELECT rootpage FROM sqlite_schema WHERE name = 'node_chunks_by_hour'");
  scribble(path, (root - 1) * page_size, static_cast<size_t>(page_size));
}

// A node's history as the rows a cycle writes (each with the history's address), so a
// test compares what it wrote with what it reads back.
inline Result<std::vector<NodeHistoryRow>> history_rows(Store& store, const std::string& address, int64_t since,
                                                         int64_t until) {
  auto history = store.node_history(address, since, until);
  if (!history) return history.error();
  std::vector<NodeHistoryRow> rows;
  rows.reserve(history->samples.size());
  for (auto& sample : history->samples) {
    NodeHistoryRow& row = rows.emplace_back();
    static_cast<NodeHistorySample&>(row) = std::move(sample);
    row.address = history->address;
  }
  return rows;
}

}  // namespace pnode::store::testing_support
