// Test-only helpers for the store tests: sample snapshots, registry entries and history
// rows with every optional field both empty and set, whole cycles of them, field-by-field
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
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "model/snapshot.h"
#include "store/store.h"

namespace pnode::store::testing_support {

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

inline model::Pod full_pod(const std::string& address) {
  model::Pod p;
  p.address = address;
  p.pubkey = "Pk" + address;
  p.is_public = true;
  p.last_seen_timestamp = 1765000000;
  p.last_seen = "2025-12-06 05:46:40 UTC";
  p.rpc_port = 6000;
  p.storage_committed = 107374182400ull;
  p.storage_used = 4700;
  p.storage_usage_percent = 4.6764705882352943e-7;
  p.uptime = 86400 * 12 + 7;
  p.version = "0.8.0";
  return p;
}

inline model::Pod bare_pod(const std::string& address) {
  model::Pod p;
  p.address = address;  // every optional field left empty
  return p;
}

inline model::SeedPoll full_seed() {
  model::SeedPoll s;
  s.seed = "127.0.0.1:6000";
  s.version = model::VersionInfo{"0.8.0-trynet.20251201"};
  model::NodeStats st;
  st.active_streams = 3;
  st.cpu_percent = 12.345678;
  st.current_index = 17;
  st.file_size = 1ull << 40;
  st.last_updated = 1765000001;
  st.packets_received = 123456789;
  st.packets_sent = 987654321;
  st.ram_total = 16ull << 30;
  st.ram_used = 5ull << 30;
  st.total_bytes = std::numeric_limits<uint64_t>::max();  // the extreme must survive
  st.total_pages = 42;
  st.uptime = 3600;
  s.stats = st;
  s.pod_count = 2;
  s.pods_total_count = 2;
  s.used_fallback = false;
  s.duration_ms = 12.5;
  return s;
}

inline model::SeedPoll failed_seed() {
  model::SeedPoll s;
  s.seed = "127.0.0.2:6000";
  s.version_error = make_error(ErrorCode::kHttpStatus, "127.0.0.2:6000 get-version: HTTP 503")
                        .with_http_status(503)
                        .with_where("127.0.0.2:6000 get-version");
  s.stats_error =
      make_error(ErrorCode::kRpcError, "method \"get-stats\" failed: \"quoted\"\n newline").with_rpc_code(-32000);
  s.pods_error = make_error(ErrorCode::kRefused, "connect 127.0.0.2:6000: Connection refused");
  s.used_fallback = true;
  s.duration_ms = 0.25;
  return s;
}

// A snapshot with seeds (one answering fully, one failing), a full and a bare node,
// summary and changes all set.
inline model::Snapshot sample_snapshot(uint64_t cycle, int64_t at) {
  model::Snapshot s;
  s.cycle = cycle;
  s.started_at = at - 2;
  s.last_updated = at;
  s.duration_ms = 1834.75;
  s.seeds = {full_seed(), failed_seed()};
  model::MergedNode a{full_pod("10.0.0.1:9001"), {0, 1}, 1};
  model::MergedNode b{bare_pod("10.0.0.2:9001"), {1}, 1};
  s.nodes = {a, b};
  s.summary.total_nodes = 2;
  s.summary.total_pnodes = 2;
  s.summary.total_pnodes_raw = 3;
  s.summary.total_bytes_processed = 5ull << 41;
  s.summary.avg_cpu_percent = 6.17;
  s.summary.avg_ram_used_percent = 15.63;
  s.summary.total_active_streams = 3;
  s.summary.last_updated = at;
  s.summary.seeds_responding = 1;
  s.changes.appeared = {"10.0.0.2:9001"};
  s.changes.dropped = {"10.0.0.9:9001", "10.0.0.8:9001"};
  s.changes.first_cycle = cycle == 1;
  return s;
}

inline model::RegistryEntry full_entry(const std::string& address, int64_t at) {
  model::RegistryEntry e;
  e.address = address;
  e.pubkey = "Pk" + address;
  e.first_seen = at - 86400;
  e.last_seen = at;
  e.last_checked = at + 1;
  e.created_at = at - 3600;
  e.last_ip = "127.0.0.1:6000";
  e.rpc_port = 6001;
  e.is_public = true;
  e.storage_committed = std::numeric_limits<uint64_t>::max();
  e.storage_used = 123;
  e.uptime = 7200;
  e.storage_usage_percent = 0.1 + 0.2;  // not a 2-decimal value: stored exactly
  e.version = "0.8.0";
  e.source_ips = {"127.0.0.1:6000", "127.0.0.2:6000"};
  e.gossip_appearances = 3;
  e.gossip_disappearances = 1;
  e.last_gossip_appearance = at - 60;
  e.last_gossip_drop = at - 120;
  e.consistency_score = 0.75;
  e.in_gossip = true;  // a non-default value, so a lost column fails the round trip
  return e;
}

inline model::RegistryEntry bare_entry(const std::string& address, int64_t at) {
  model::RegistryEntry e;
  e.address = address;
  e.pubkey = address;
  e.first_seen = at;
  e.last_seen = at;
  e.last_checked = at;
  e.created_at = at;
  return e;
}

inline NetworkHistoryRow network_row(int64_t ts, int64_t pnodes) {
  NetworkHistoryRow r;
  r.timestamp = ts;
  r.total_pnodes = pnodes;
  r.online_pnodes = pnodes;
  r.total_ip_nodes = 9;
  r.public_pnodes = pnodes / 2;
  r.private_pnodes = pnodes - pnodes / 2;
  r.avg_cpu_percent = 7.25;
  r.avg_ram_used_percent = 33.33;
  r.total_active_streams = 4;
  r.total_bytes_processed = 1ull << 50;
  r.total_storage_committed = 1ull << 45;
  r.total_storage_used = 1ull << 30;
  r.avg_storage_usage_percent = 1.0 / 3.0;
  r.storage_utilization_ratio = 0.01;
  r.avg_peer_count = 2.67;
  r.version_distribution = {{"0.8.0", pnodes - 1}, {"unknown", 1}};
  return r;
}

inline NodeHistoryRow node_row(const std::string& address, int64_t ts) {
  NodeHistoryRow r;
  r.address = address;
  r.timestamp = ts;
  r.is_online = (ts % 2) == 0;
  r.is_public = true;
  r.version = "0.8.0";
  r.uptime = static_cast<uint64_t>(ts) % 100000;
  r.storage_committed = 1ull << 37;
  r.storage_used = 999;
  r.storage_usage_percent = 0.000727;
  r.peer_count = 3;
  r.score = 72.35;
  r.trust_score = 83.33;
  r.capacity_score = 55.0;
  return r;
}

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
  auto snapshot = std::make_shared<model::Snapshot>(sample_snapshot(cycle, ts));
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

}  // namespace pnode::store::testing_support
