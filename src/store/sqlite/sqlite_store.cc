#include "store/sqlite/sqlite_store.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <mutex>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/snapshot_codec.h"
#include "store/sqlite/db.h"
#include "store/sqlite/node_history_tables.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store_internal.h"
#include "store/list_codec.h"

namespace pnode::store::sqlite {
namespace {

using model::Registry;
using model::RegistryEntry;
using model::Snapshot;

// ---- SQL -------------------------------------------------------------------------------

constexpr std::string_view kUpsertSnapshot =
    "INSERT INTO current_snapshot (id, cycle, last_updated, body) VALUES (1, ?1, ?2, ?3) "
    "ON CONFLICT (id) DO UPDATE SET cycle = excluded.cycle, last_updated = excluded.last_updated, "
    "body = excluded.body";
constexpr std::string_view kUpsertSnapshotDelta =
    "INSERT INTO snapshot_delta (id, base_cycle, cycle, last_updated, body) VALUES (1, ?1, ?2, ?3, ?4) "
    "ON CONFLICT (id) DO UPDATE SET base_cycle = excluded.base_cycle, cycle = excluded.cycle, "
    "last_updated = excluded.last_updated, body = excluded.body";
constexpr std::string_view kDeleteSnapshotDelta = "DELETE FROM snapshot_delta";
constexpr std::string_view kStoredBaseCycle = "SELECT cycle FROM current_snapshot WHERE id = 1";

constexpr std::string_view kInsertNode = "INSERT INTO nodes (address) VALUES (?1) ON CONFLICT (address) DO NOTHING";
constexpr std::string_view kFindNode = "SELECT node_id FROM nodes WHERE address = ?1";
constexpr std::string_view kAllNodes = "SELECT node_id, address FROM nodes";

constexpr std::string_view kUpsertRegistry =
    "INSERT INTO registry (node_id, pubkey, first_seen, last_seen, last_checked, created_at, last_ip, rpc_port, "
    "is_public, storage_committed, storage_used, uptime, storage_usage_percent, version, source_ips, "
    "gossip_appearances, gossip_disappearances, last_gossip_appearance, last_gossip_drop, consistency_score, "
    "in_gossip, previous_addresses) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22) "
    "ON CONFLICT (node_id) DO UPDATE SET pubkey = excluded.pubkey, first_seen = excluded.first_seen, "
    "last_seen = excluded.last_seen, last_checked = excluded.last_checked, created_at = excluded.created_at, "
    "last_ip = excluded.last_ip, rpc_port = excluded.rpc_port, is_public = excluded.is_public, "
    "storage_committed = excluded.storage_committed, storage_used = excluded.storage_used, "
    "uptime = excluded.uptime, storage_usage_percent = excluded.storage_usage_percent, "
    "version = excluded.version, source_ips = excluded.source_ips, "
    "gossip_appearances = excluded.gossip_appearances, gossip_disappearances = excluded.gossip_disappearances, "
    "last_gossip_appearance = excluded.last_gossip_appearance, last_gossip_drop = excluded.last_gossip_drop, "
    "consistency_score = excluded.consistency_score, in_gossip = excluded.in_gossip, "
    "previous_addresses = excluded.previous_addresses";

constexpr std::string_view kSelectRegistry =
    "SELECT n.address, r.pubkey, r.first_seen, r.last_seen, r.last_checked, r.created_at, r.last_ip, r.rpc_port, "
    "r.is_public, r.storage_committed, r.storage_used, r.uptime, r.storage_usage_percent, r.version, "
    "r.source_ips, r.gossip_appearances, r.gossip_disappearances, r.last_gossip_appearance, r.last_gossip_drop, "
    "r.consistency_score, r.in_gossip, r.previous_addresses FROM registry r JOIN nodes n ON n.node_id = r.node_id "
    "ORDER BY n.address";
constexpr std::string_view kDeleteRegistryRow =
    "DELETE FROM registry WHERE node_id = (SELECT node_id FROM nodes WHERE address = ?1)";

constexpr std::string_view kSelectSnapshot =
    "SELECT s.body, d.body FROM current_snapshot s "
    "LEFT JOIN snapshot_delta d ON d.id = 1 AND d.base_cycle = s.cycle WHERE s.id = 1";

// A second cycle within the same second replaces the first one's sample.
constexpr std::string_view kInsertNetwork =
    "INSERT OR REPLACE INTO network_history (ts, total_pnodes, online_pnodes, total_ip_nodes, public_pnodes, "
    "private_pnodes, avg_cpu_percent, avg_ram_used_percent, total_active_streams, total_bytes_processed, "
    "total_storage_committed, total_storage_used, avg_storage_usage_percent, storage_utilization_ratio, "
    "avg_peer_count, version_distribution) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

#define PNODE_NETWORK_SELECT                                                                               \
  "SELECT ts, total_pnodes, online_pnodes, total_ip_nodes, public_pnodes, private_pnodes, avg_cpu_percent, "   \
  "avg_ram_used_percent, total_active_streams, total_bytes_processed, total_storage_committed, "                \
  "total_storage_used, avg_storage_usage_percent, storage_utilization_ratio, avg_peer_count, "                  \
  "version_distribution FROM network_history "
constexpr std::string_view kNetworkRange = PNODE_NETWORK_SELECT "WHERE ts >= ?1 AND ts <= ?2 ORDER BY ts";
constexpr std::string_view kNetworkAtOrBefore = PNODE_NETWORK_SELECT "WHERE ts <= ?1 ORDER BY ts DESC LIMIT 1";
#undef PNODE_NETWORK_SELECT

constexpr std::string_view kDeleteOldNetwork = "DELETE FROM network_history WHERE ts < ?1";
// A node still in gossip is never pruned, whatever last_seen its seeds report.
constexpr std::string_view kPruneRegistry = "DELETE FROM registry WHERE last_seen < ?1 AND in_gossip = 0";
// Addresses nothing refers to any more (pruned from the registry, no compacted history);
// the caller also drops those with raw samples (kept in bitmaps SQL cannot read).
constexpr std::string_view kOrphanNodes =
    "SELECT node_id, address FROM nodes WHERE node_id NOT IN (SELECT node_id FROM registry) "
    "AND NOT EXISTS (SELECT 1 FROM node_chunks h WHERE h.node_id = nodes.node_id)";
constexpr std::string_view kDeleteNode = "DELETE FROM nodes WHERE node_id = ?1";
constexpr std::string_view kDeleteNodeCount = "DELETE FROM node_history_counts WHERE node_id = ?1";

// ---- value conversions -----------------------------------------------------------------

// NaN is stored as NULL (SQLite does that itself for REAL); NULL reads back as NaN.
double real_or_nan(const Statement& s, int col) {
  return s.is_null(col) ? std::numeric_limits<double>::quiet_NaN() : s.column_double(col);
}


}  // namespace

Result<NetworkHistoryRow> read_network_row(const Statement& s) {
  NetworkHistoryRow r;
  r.timestamp = s.column_int64(0);
  r.total_pnodes = s.column_int64(1);
  r.online_pnodes = s.column_int64(2);
  r.total_ip_nodes = s.column_int64(3);
  r.public_pnodes = s.column_int64(4);
  r.private_pnodes = s.column_int64(5);
  r.avg_cpu_percent = real_or_nan(s, 6);
  r.avg_ram_used_percent = real_or_nan(s, 7);
  r.total_active_streams = s.column_uint64(8);
  r.total_bytes_processed = s.column_uint64(9);
  r.total_storage_committed = s.column_uint64(10);
  r.total_storage_used = s.column_uint64(11);
  r.avg_storage_usage_percent = real_or_nan(s, 12);
  r.storage_utilization_ratio = real_or_nan(s, 13);
  r.avg_peer_count = real_or_nan(s, 14);
  auto versions = decode_count_map(s.column_text(15));
  if (!versions) return with_context("network sample " + std::to_string(r.timestamp), versions.error());
  r.version_distribution = std::move(*versions);
  return r;
}

RegistryEntry read_registry_entry(const Statement& s) {
  RegistryEntry e;
  e.address = s.column_string(0);
  e.pubkey = s.column_string(1);
  e.first_seen = s.column_int64(2);
  e.last_seen = s.column_int64(3);
  e.last_checked = s.column_int64(4);
  e.created_at = s.column_int64(5);
  e.last_ip = s.column_opt_string(6);
  e.rpc_port = s.column_int64(7);
  e.is_public = s.column_bool(8);
  e.storage_committed = s.column_opt_uint64(9);
  e.storage_used = s.column_opt_uint64(10);
  e.uptime = s.column_opt_uint64(11);
  e.storage_usage_percent = s.column_opt_double(12);
  e.version = s.column_opt_string(13);
  e.source_ips = split_list(s.column_text(14));
  e.gossip_appearances = s.column_int64(15);
  e.gossip_disappearances = s.column_int64(16);
  e.last_gossip_appearance = s.column_opt_int64(17);
  e.last_gossip_drop = s.column_opt_int64(18);
  e.consistency_score = real_or_nan(s, 19);
  e.in_gossip = s.column_bool(20);
  e.previous_addresses = split_list(s.column_text(21));
  return e;
}

namespace {

// Connection settings shared by the writer and the readers.
Status configure(Database& db, const SqliteOptions& options) {
  return db.exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms) +
                 "; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY");
}

// Asked before opening: SQLite would open a write-protected file read-only without a
// word (every cycle's write then failing), and a write-protected directory shows only
// when it cannot create the -wal and -shm files beside the database.
Status refuse_unwritable(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::string dir = parent.empty() ? std::string(".") : parent.string();
  if (::access(dir.c_str(), W_OK) != 0) {
    return make_error(ErrorCode::kReadOnly,
                      "cannot write the directory " + dir + " of the database " + path + " (" + std::strerror(errno) +
                          "): SQLite creates " + path + "-wal and " + path +
                          "-shm beside the database; check the directory's owner and permissions, or whether its "
                          "file system is mounted read-only");
  }
  for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
    if (::access(file.c_str(), F_OK) == 0 && ::access(file.c_str(), W_OK) != 0) {
      return make_error(ErrorCode::kReadOnly, "cannot write the database file " + file + " (" +
                                                  std::strerror(errno) +
                                                  "): check its owner and permissions (the server writes every cycle)");
    }
  }
  return ok_status();
}

// How many problems an integrity check lists before stopping.
constexpr int kMaxIntegrityProblems = 5;

// What PRAGMA quick_check (or integrity_check) finds wrong ("quick_check: ..."), empty
// when nothing. A file whose structure SQLite cannot read at all ("file is not a
// database") is a finding too.
Result<std::string> integrity_problems(Database& db, IntegrityCheck check) {
  if (check == IntegrityCheck::kOff) return std::string();
  const std::string pragma = check == IntegrityCheck::kFull ? "integrity_check" : "quick_check";
  std::vector<std::string> problems;
  Status st = [&]() -> Status {
    auto stmt = db.prepare("PRAGMA " + pragma + "(" + std::to_string(kMaxIntegrityProblems) + ")");
    if (!stmt) return stmt.error();
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) return ok_status();
      problems.push_back(stmt->column_string(0));
    }
  }();
  if (!st) {
    if (!st.error().is(ErrorCode::kCorrupt)) return with_context("checking " + db.path() + " (" + pragma + ")", st.error());
    problems = {st.error().message};
  }
  if (problems.size() == 1 && problems[0] == "ok") return std::string();
  std::string listed;
  for (const auto& p : problems) listed += (listed.empty() ? "" : "; ") + p;
  return pragma + ": " + listed;
}

}  // namespace

Status SqliteStore::refuse_if_read_only(const std::string& what) const {
  if (read_only_reason_.empty()) return ok_status();
  return make_error(ErrorCode::kReadOnly,
                    what + ": the database was opened read-only (" + read_only_reason_ + "); nothing is written");
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open_read_only(const std::string& path, const SqliteOptions& options,
                                                                 const std::string& problems) {
  auto refuse = [&](const std::string& why) {
    return make_error(ErrorCode::kCorrupt,
                      "the database " + path + " is damaged (" + problems + "), and cannot be opened read-only: " + why);
  };
  auto db = Database::open(path, Database::Mode::kReadWrite);
  if (!db) return refuse(db.error().message);
  auto version = db->query_int("PRAGMA user_version");
  if (!version) return refuse(version.error().message);
  // No migration without a writer: only a database at this build's schema is readable.
  if (*version != static_cast<int64_t>(schema_migrations().size()))
    return refuse("its schema version is " + std::to_string(*version) + ", this build reads " +
                  std::to_string(schema_migrations().size()));
  auto store = std::make_unique<SqliteStore>(path, options, Writer{},
                                             "the database failed its integrity check (" + problems + ")");
  auto reader = store->open_reader();
  if (!reader) return refuse(reader.error().message);
  store->return_reader(std::move(*reader));
  return store;
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, const SqliteOptions& options) {
  const std::string context = "opening " + path;
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::filesystem::create_directories(parent, ec);
    if (ec)
      return make_error(ErrorCode::kCannotOpen, "cannot create directory " + parent.string() + ": " + ec.message());
  }

  if (auto st = refuse_unwritable(path); !st) return st.error();
  auto db = Database::open(path, Database::Mode::kReadWriteCreate);
  if (!db) return db.error();
  if (auto st = configure(*db, options); !st) {
    // A damaged header shows here already ("file is not a database"): nothing can be read.
    if (st.error().is(ErrorCode::kCorrupt))
      return make_error(ErrorCode::kCorrupt, "the database " + path + " is damaged (" + st.error().message + ")");
    return with_context(context, st.error());
  }
  auto problems = integrity_problems(*db, options.integrity_check);
  if (!problems) return problems.error();
  if (!problems->empty()) {
    if (options.on_corrupt != OnCorrupt::kReadOnly)
      return make_error(ErrorCode::kCorrupt, "the database " + path + " is damaged (" + *problems + ")");
    *db = Database();  // the read-only store opens its own connections
    return open_read_only(path, options, *problems);
  }
  auto mode = db->query_text("PRAGMA journal_mode = WAL");
  if (!mode) return with_context(context, mode.error());
  if (*mode != "wal") {
    return make_error(ErrorCode::kDatabaseError,
                      context + ": cannot switch to WAL mode (journal_mode is " + *mode + ")");
  }
  // Writer tuning: a cycle dirties a few hundred raw-history pages, the snapshot's, and
  // the registry rows its sightings alone cannot rebuild (about a tenth of ~400 pages at
  // 10k nodes; model/registry_sighting.h); a compaction slice ~1,000 chunk leaves. An
  // 8 MiB cache holds that working set (it is resident memory, so not more: measured at
  // 10k pods, 16 MiB wrote no faster and cost 8 MB more resident; 4 MiB cost 7 ms a
  // cycle). Checkpointing every 32 MiB of WAL rather than SQLite's 4 MiB lets the
  // registry and snapshot pages that every cycle rewrites reach the main file once per
  // several cycles (measured: about 25 % less wall time a cycle); the WAL file is trimmed
  // back to 64 MiB after.
  if (auto st = db->exec("PRAGMA cache_size = -8192; PRAGMA wal_autocheckpoint = 8192; "
                         "PRAGMA journal_size_limit = 67108864");
      !st)
    return with_context(context, st.error());
  if (options.max_page_count > 0) {
    auto cap = db->query_int("PRAGMA max_page_count = " + std::to_string(options.max_page_count));
    if (!cap) return with_context(context, cap.error());
  }
  if (auto st = migrate(*db, schema_migrations()); !st) return st.error();

  Writer w;
  w.db = std::move(*db);
  auto st = prepare_all(w.db, {std::pair{&w.upsert_snapshot, kUpsertSnapshot},
                        std::pair{&w.upsert_snapshot_delta, kUpsertSnapshotDelta},
                        std::pair{&w.delete_snapshot_delta, kDeleteSnapshotDelta},
                        std::pair{&w.stored_base_cycle, kStoredBaseCycle}, std::pair{&w.insert_node, kInsertNode},
                        std::pair{&w.find_node, kFindNode}, std::pair{&w.upsert_registry, kUpsertRegistry},
                        std::pair{&w.delete_registry_row, kDeleteRegistryRow},
                        std::pair{&w.insert_network, kInsertNetwork},
                        std::pair{&w.delete_old_network, kDeleteOldNetwork},
                        std::pair{&w.prune_registry, kPruneRegistry}, std::pair{&w.orphan_nodes, kOrphanNodes},
                        std::pair{&w.delete_node, kDeleteNode}, std::pair{&w.delete_node_count, kDeleteNodeCount}});
  if (!st) return with_context(context, st.error());
  auto history = HistoryWriter::prepare(w.db);
  if (!history) return with_context(context, history.error());
  w.history = std::move(*history);
  if (auto imported = w.history.import_legacy_rows(w.db); !imported) return imported.error();

  auto all_nodes = w.db.prepare(kAllNodes);
  if (!all_nodes) return with_context(context, all_nodes.error());
  for (;;) {
    auto row = all_nodes->step();
    if (!row) return with_context(context + " (reading node ids)", row.error());
    if (!*row) break;
    w.node_ids.emplace(all_nodes->column_string(1), all_nodes->column_int64(0));
  }

  auto store = std::make_unique<SqliteStore>(path, options, std::move(w));
  // Open one reader now so a problem with read access shows at start, not at the
  // first history request.
  auto reader = store->open_reader();
  if (!reader) return reader.error();
  store->return_reader(std::move(*reader));
  return store;
}

// ---- readers ---------------------------------------------------------------------------

Result<std::unique_ptr<Reader>> SqliteStore::open_reader() {
  const std::string context = "opening a reader on " + path_;
  auto db = Database::open(path_, Database::Mode::kReadWrite);
  if (!db) return db.error();
  if (auto st = configure(*db, options_); !st) return with_context(context, st.error());
  if (auto st = db->exec("PRAGMA query_only = ON"); !st) return with_context(context, st.error());
  auto r = std::make_unique<Reader>();
  r->db = std::move(*db);
  auto st = prepare_all(r->db, {std::pair{&r->select_registry, kSelectRegistry},
                        std::pair{&r->select_snapshot, kSelectSnapshot},
                        std::pair{&r->network_range, kNetworkRange}, std::pair{&r->network_at, kNetworkAtOrBefore}});
  if (!st) return with_context(context, st.error());
  auto history = HistoryReader::prepare(r->db);
  if (!history) return with_context(context, history.error());
  r->history = std::move(*history);
  return r;
}

Result<SqliteStore::ReaderLease> SqliteStore::take_reader() {
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      auto r = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReaderLease(this, std::move(r));
    }
  }
  auto r = open_reader();
  if (!r) return r.error();
  return ReaderLease(this, std::move(*r));
}

void SqliteStore::return_reader(std::unique_ptr<Reader> reader) {
  std::lock_guard lock(readers_mutex_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
}

// ---- writes ----------------------------------------------------------------------------

Result<int64_t> SqliteStore::intern(const std::string& address, PendingIds& pending) {
  if (auto it = writer_.node_ids.find(address); it != writer_.node_ids.end()) return it->second;
  if (auto it = pending.find(address); it != pending.end()) return it->second;
  int64_t id;
  if (auto st = writer_.insert_node.bind(1, address).run(); !st) return st.error();
  if (writer_.db.changes() == 1) {
    id = writer_.db.last_insert_rowid();
  } else {  // another process wrote it: read its id
    ScopedReset reset(writer_.find_node);
    writer_.find_node.bind(1, address);
    auto row = writer_.find_node.step();
    if (!row) return row.error();
    if (!*row) return make_error(ErrorCode::kDatabaseError, "address " + address + " vanished while interning it");
    id = writer_.find_node.column_int64(0);
  }
  pending.emplace(address, id);
  return id;
}

Status SqliteStore::upsert_registry(const RegistryEntry& e, PendingIds& pending) {
  auto id = intern(e.address, pending);
  if (!id) return id.error();
  auto source_ips = join_source_ips(e.source_ips);
  if (!source_ips) {
    return make_error(ErrorCode::kInvalidData,
                      "registry entry " + e.address + " has a source IP that is empty or contains ','");
  }
  Statement& s = writer_.upsert_registry;
  s.bind(1, *id)
      .bind(2, e.pubkey)
      .bind(3, e.first_seen)
      .bind(4, e.last_seen)
      .bind(5, e.last_checked)
      .bind(6, e.created_at)
      .bind(7, e.last_ip)
      .bind(8, e.rpc_port)
      .bind(9, e.is_public)
      .bind(10, e.storage_committed)
      .bind(11, e.storage_used)
      .bind(12, e.uptime)
      .bind(13, e.storage_usage_percent)
      .bind(14, e.version)
      .bind(15, *source_ips)
      .bind(16, e.gossip_appearances)
      .bind(17, e.gossip_disappearances)
      .bind(18, e.last_gossip_appearance)
      .bind(19, e.last_gossip_drop)
      .bind(20, e.consistency_score)
      .bind(21, e.in_gossip)
      .bind(22, join_addresses(e.previous_addresses));
  return s.run();
}

Status SqliteStore::insert_network(const NetworkHistoryRow& r) {
  Statement& s = writer_.insert_network;
  s.bind(1, r.timestamp)
      .bind(2, r.total_pnodes)
      .bind(3, r.online_pnodes)
      .bind(4, r.total_ip_nodes)
      .bind(5, r.public_pnodes)
      .bind(6, r.private_pnodes)
      .bind(7, r.avg_cpu_percent)
      .bind(8, r.avg_ram_used_percent)
      .bind(9, r.total_active_streams)
      .bind(10, r.total_bytes_processed)
      .bind(11, r.total_storage_committed)
      .bind(12, r.total_storage_used)
      .bind(13, r.avg_storage_usage_percent)
      .bind(14, r.storage_utilization_ratio)
      .bind(15, r.avg_peer_count)
      .bind(16, encode_count_map(r.version_distribution));
  return s.run();
}

Result<std::vector<NodeSample>> SqliteStore::to_samples(const std::vector<NodeHistoryRow>& rows, PendingIds& pending) {
  std::vector<NodeSample> samples;
  samples.reserve(rows.size());
  // Bulk rows come a node at a time: the previous row's ids usually serve again.
  const NodeHistoryRow* previous = nullptr;
  int64_t node_id = 0, version_id = 0;
  for (const auto& r : rows) {
    if (!previous || r.address != previous->address) {
      auto id = intern(r.address, pending);
      if (!id) return with_context("saving history of " + r.address, id.error());
      node_id = *id;
    }
    if (!previous || r.version != previous->version) {
      auto version = writer_.history.version_id(writer_.db, r.version);
      if (!version) return with_context("saving history of " + r.address, version.error());
      version_id = *version;
    }
    previous = &r;
    samples.push_back(NodeSample{node_id, to_stored_sample(r, version_id)});
  }
  return samples;
}

Status SqliteStore::write_snapshot(const Snapshot& snapshot, EncodedSnapshot& encoded) {
  if (encoded.base_cycle) {  // a delta needs the base it was made against, which another writer may have replaced
    ScopedReset reset(writer_.stored_base_cycle);
    auto stored = writer_.stored_base_cycle.step();
    if (!stored) return stored.error();
    if (!*stored || writer_.stored_base_cycle.column_uint64(0) != *encoded.base_cycle)
      encoded = writer_.snapshots.encode_full(snapshot);
  }
  if (encoded.base_cycle) {
    return writer_.upsert_snapshot_delta.bind(1, *encoded.base_cycle)
        .bind(2, snapshot.cycle)
        .bind(3, snapshot.last_updated)
        .bind(4, encoded.body)
        .run();
  }
  if (auto st = writer_.upsert_snapshot.bind(1, snapshot.cycle).bind(2, snapshot.last_updated).bind(3, encoded.body).run();
      !st)
    return st;
  return writer_.delete_snapshot_delta.run();
}

Status SqliteStore::write_cycle_locked(const CycleWrite& write, EncodedSnapshot& snapshot, PendingIds& pending) {
  auto tx = Transaction::begin(writer_.db, Transaction::Kind::kImmediate);
  if (!tx) return with_context("starting the transaction", tx.error());
  if (write.snapshot) {
    if (auto st = write_snapshot(*write.snapshot, snapshot); !st) return with_context("saving the snapshot", st.error());
  }
  for (const auto& address : write.registry_deletes) {
    if (auto st = writer_.delete_registry_row.bind(1, address).run(); !st)
      return with_context("removing registry entry " + address, st.error());
  }
  for (const auto& entry : write.registry_upserts) {
    if (auto st = upsert_registry(entry, pending); !st) return with_context("saving registry entry " + entry.address, st.error());
  }
  for (const auto& missed : write.missed_network) {
    if (auto st = insert_network(missed); !st)
      return with_context("saving the network sample of " + std::to_string(missed.timestamp), st.error());
  }
  if (auto st = insert_network(write.network); !st) return with_context("saving the network sample", st.error());
  {
    auto samples = to_samples(write.nodes, pending);
    if (!samples) return samples.error();
    if (auto st = writer_.history.write_cycle_samples(writer_.db, std::move(*samples), write.retention_cutoff); !st)
      return with_context("saving node history", st.error());
  }
  if (auto st = insert_event_rows(writer_.db, write.events, write.retention_cutoff); !st)
    return with_context("saving events", st.error());
  if (write.monitor_state) {
    if (auto st = save_monitor_state(writer_.db, *write.monitor_state); !st)
      return with_context("saving the alert states", st.error());
  }
  if (write.retention_cutoff > 0) {
    if (auto st = writer_.delete_old_network.bind(1, write.retention_cutoff).run(); !st)
      return with_context("deleting old network history", st.error());
  }
  if (auto st = tx->commit(); !st) return with_context("committing", st.error());
  return ok_status();
}

Status SqliteStore::write_cycle(const CycleWrite& write) {
  const std::string context =
      "writing cycle " + (write.snapshot ? std::to_string(write.snapshot->cycle) : std::string("(no snapshot)")) +
      " to " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st;
  std::lock_guard lock(write_mutex_);  // also guards the encoder's base
  EncodedSnapshot snapshot = write.snapshot ? writer_.snapshots.encode(*write.snapshot) : EncodedSnapshot{};
  PendingIds pending;
  auto st = write_cycle_locked(write, snapshot, pending);
  if (!st) {  // rolled back: `pending` ids do not exist
    writer_.history.rolled_back();
    return with_context(context, st.error());
  }
  writer_.node_ids.merge(pending);
  writer_.history.committed();
  if (write.snapshot) writer_.snapshots.committed(*write.snapshot, snapshot);
  return ok_status();
}

Status SqliteStore::write_history_bulk(const std::vector<NodeHistoryRow>& rows) {
  const std::string context = "writing " + std::to_string(rows.size()) + " history samples in bulk to " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st;
  std::lock_guard lock(write_mutex_);
  PendingIds pending;
  Status st = [&]() -> Status {
    auto tx = Transaction::begin(writer_.db, Transaction::Kind::kImmediate);
    if (!tx) return tx.error();
    auto samples = to_samples(rows, pending);
    if (!samples) return samples.error();
    if (auto written = writer_.history.write_bulk(writer_.db, std::move(*samples)); !written) return written;
    return tx->commit();
  }();
  if (!st) {
    writer_.history.rolled_back();
    return with_context(context, st.error());
  }
  writer_.node_ids.merge(pending);
  writer_.history.committed();
  return ok_status();
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const SqliteOptions& options) {
  auto store = SqliteStore::open(path, options);
  if (!store) return store.error();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace pnode::store::sqlite
