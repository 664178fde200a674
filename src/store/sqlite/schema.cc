#include "store/sqlite/schema.h"

#include <cassert>
#include <string>

namespace pnode::store::sqlite {
namespace {

// Version 1. Why it looks like this (version 2 replaces node_history and its counts):
// - Addresses are interned once in `nodes`, so the big history table keys on a small
//   integer: (node_id, ts) in a WITHOUT ROWID table answers one node's range straight
//   from the primary key and costs ~75 B a row (a TEXT key with a secondary index was
//   12x slower cold and 60 % larger).
// - node_history keeps scores as integers x100 (they are rounded to 2 decimals), and
//   its flags as 0/1 integers, which SQLite stores in the record header for free.
// - REAL columns are nullable: SQLite turns NaN into NULL, and one odd average must not
//   fail a whole cycle; NULL reads back as NaN.
// - node_history_by_ts lets retention find and delete the oldest slice without a full
//   scan.
// - node_history_counts keeps each node's number of history rows, maintained by every
//   insert and retention delete, so /nodes/history-status reads ~N small rows (plus two
//   primary-key seeks per listed node for first/last) instead of counting every history
//   row (millions after a month). A count that retention brings to 0 stays until
//   prune_registry() removes the address; readers skip it.
// - registry has no index on last_seen: every cycle moves it for every node (an index
//   would double the upsert cost), and pruning the registry is a rare manual action.
// - Unsigned counters are stored bit-for-bit in INTEGER columns (see to_stored()).
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE nodes (
  node_id INTEGER PRIMARY KEY,
  address TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE registry (
  node_id INTEGER PRIMARY KEY,
  pubkey TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  last_checked INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_ip TEXT,
  rpc_port INTEGER NOT NULL,
  is_public INTEGER NOT NULL,
  storage_committed INTEGER,
  storage_used INTEGER,
  uptime INTEGER,
  storage_usage_percent REAL,
  version TEXT,
  source_ips TEXT NOT NULL,
  gossip_appearances INTEGER NOT NULL,
  gossip_disappearances INTEGER NOT NULL,
  last_gossip_appearance INTEGER,
  last_gossip_drop INTEGER,
  consistency_score REAL,
  in_gossip INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE network_history (
  ts INTEGER PRIMARY KEY,
  total_pnodes INTEGER NOT NULL,
  online_pnodes INTEGER NOT NULL,
  total_ip_nodes INTEGER NOT NULL,
  public_pnodes INTEGER NOT NULL,
  private_pnodes INTEGER NOT NULL,
  avg_cpu_percent REAL,
  avg_ram_used_percent REAL,
  total_active_streams INTEGER NOT NULL,
  total_bytes_processed INTEGER NOT NULL,
  total_storage_committed INTEGER NOT NULL,
  total_storage_used INTEGER NOT NULL,
  avg_storage_usage_percent REAL,
  storage_utilization_ratio REAL,
  avg_peer_count REAL,
  version_distribution TEXT NOT NULL
) STRICT;

CREATE TABLE node_history (
  node_id INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  is_online INTEGER NOT NULL,
  is_public INTEGER NOT NULL,
  version TEXT NOT NULL,
  uptime INTEGER NOT NULL,
  storage_committed INTEGER NOT NULL,
  storage_used INTEGER NOT NULL,
  storage_usage_percent REAL,
  peer_count INTEGER NOT NULL,
  score_x100 INTEGER,
  trust_score_x100 INTEGER,
  capacity_score_x100 INTEGER,
  PRIMARY KEY (node_id, ts)
) STRICT, WITHOUT ROWID;

CREATE INDEX node_history_by_ts ON node_history (ts);

CREATE TABLE node_history_counts (
  node_id INTEGER PRIMARY KEY,
  snapshots INTEGER NOT NULL
) STRICT;

CREATE TABLE current_snapshot (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  cycle INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  body TEXT NOT NULL
) STRICT;
)sql";

// Version 2: per-node history as recent raw segments plus hourly compressed chunks (the
// layout and its reasons are in docs/storage.md). The v1 rows are kept aside as
// legacy_node_history; opening the store re-encodes them into chunks and drops the table
// (a step in C++, as the encoding is ours). The v1 counts counted raw rows; the new ones
// count compacted samples only and are rebuilt by that import.
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE node_history RENAME TO legacy_node_history;
DROP INDEX node_history_by_ts;
DROP TABLE node_history_counts;

CREATE TABLE history_versions (
  version_id INTEGER PRIMARY KEY,
  version TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE raw_cycles (
  ts INTEGER PRIMARY KEY,
  present BLOB NOT NULL
) STRICT;

CREATE TABLE raw_samples (
  key INTEGER PRIMARY KEY,
  body BLOB NOT NULL
) STRICT;

CREATE TABLE node_chunks (
  node_id INTEGER NOT NULL,
  hour INTEGER NOT NULL,
  samples INTEGER NOT NULL,
  first_ts INTEGER NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (node_id, hour)
) STRICT, WITHOUT ROWID;

CREATE INDEX node_chunks_by_hour ON node_chunks (hour);

CREATE TABLE node_history_counts (
  node_id INTEGER PRIMARY KEY,
  snapshots INTEGER NOT NULL,
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL
) STRICT;
)sql";

// Version 3: a node's earlier addresses (NAT port changes), comma-separated, oldest
// first; the registry row moves with the node, its history stays under each address.
constexpr std::string_view kSchemaV3 = R"sql(
ALTER TABLE registry ADD COLUMN previous_addresses TEXT NOT NULL DEFAULT '';
)sql";

// Version 4: the event outbox (docs/events.md). `seq` is the readers' cursor: AUTOINCREMENT
// so a number is never given twice, even after retention deleted the newest rows' elders.
// The unique id makes a re-derived event (a cycle written again after a crash) a no-op.
// event_cursors: how far each reader of the outbox outside the process (the NATS relay)
// has got.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  time INTEGER NOT NULL,
  cycle INTEGER NOT NULL,
  address TEXT NOT NULL,
  pubkey TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;
CREATE INDEX events_by_time ON events (time);
CREATE INDEX events_by_address ON events (address, seq);
CREATE TABLE event_cursors (
  name TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
) STRICT;
)sql";

// Version 5: the collector's alert and seed states (analysis/monitor_state_codec.h), one
// row replaced by every cycle, so a restart continues the alert lifecycle.
constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE monitor_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  body TEXT NOT NULL
) STRICT;
)sql";

// Version 6: silences and acknowledgements of alerts (docs/events.md), written by the API
// of any instance and read by the collector every cycle. A silence's id is "s<seq>";
// AUTOINCREMENT so an id is never given twice. An acknowledgement names one firing of one
// alert by (rule, address, firing_since).
constexpr std::string_view kSchemaV6 = R"sql(
CREATE TABLE silences (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  address TEXT,
  pubkey TEXT,
  rule TEXT,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  comment TEXT NOT NULL,
  author TEXT NOT NULL
) STRICT;
CREATE TABLE alert_acks (
  rule TEXT NOT NULL,
  address TEXT NOT NULL,
  firing_since INTEGER NOT NULL,
  author TEXT NOT NULL,
  comment TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (rule, address, firing_since)
) STRICT;
)sql";

// Version 7: notification subscriptions added through the API (docs/notifications.md),
// read by the notifier of the instance that delivers. An id is "api-<seq>", AUTOINCREMENT
// so it is never given twice; `spec` is the subscription as the API took it (JSON);
// `starts_after` the outbox's newest seq when it was added.
constexpr std::string_view kSchemaV7 = R"sql(
CREATE TABLE notify_subscriptions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  spec TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  starts_after INTEGER NOT NULL
) STRICT;
)sql";

// Version 8: probe history, availability sessions and credits history (issue 13;
// docs/storage.md). Probes key on (address, ts) in WITHOUT ROWID tables, so one pod's
// range reads straight from the primary key; the ts index lets retention cut the oldest
// slice. A NULL failure is an answered probe; latencies are tenths of a millisecond.
// Sessions key on (address, started_at), rewritten while open; the ended_at index finds
// the open ones (a restart restores them) and the expired ones.
constexpr std::string_view kSchemaV8 = R"sql(
CREATE TABLE probe_history (
  address TEXT NOT NULL,
  ts INTEGER NOT NULL,
  failure TEXT,
  connect_ms_x10 INTEGER NOT NULL,
  total_ms_x10 INTEGER NOT NULL,
  PRIMARY KEY (address, ts)
) STRICT, WITHOUT ROWID;
CREATE INDEX probe_history_by_ts ON probe_history (ts);
CREATE TABLE availability_sessions (
  address TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  up INTEGER NOT NULL,
  ended_at INTEGER,
  last_probe_at INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  failing_since INTEGER NOT NULL,
  PRIMARY KEY (address, started_at)
) STRICT, WITHOUT ROWID;
CREATE INDEX availability_sessions_by_end ON availability_sessions (ended_at);
CREATE TABLE credits_history (
  pubkey TEXT NOT NULL,
  ts INTEGER NOT NULL,
  credits REAL NOT NULL,
  network TEXT NOT NULL,
  PRIMARY KEY (pubkey, ts)
) STRICT, WITHOUT ROWID;
CREATE INDEX credits_history_by_ts ON credits_history (ts);
)sql";

// Version 9: the snapshot as a base plus a delta (issue 14; store/snapshot_delta.h).
// current_snapshot now holds the last snapshot written in full; the cycles after it are
// one row here, their changes against that base, rewritten each cycle. A row whose
// base_cycle is not current_snapshot's cycle is stale and ignored.
constexpr std::string_view kSchemaV9 = R"sql(
CREATE TABLE snapshot_delta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  base_cycle INTEGER NOT NULL,
  cycle INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  body TEXT NOT NULL
) STRICT;
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial schema", kSchemaV1},
    {2, "compressed per-node history", kSchemaV2},
    {3, "previous addresses of moved nodes", kSchemaV3},
    {4, "event outbox", kSchemaV4},
    {5, "alert states", kSchemaV5},
    {6, "silences and acknowledgements", kSchemaV6},
    {7, "notification subscriptions added through the API", kSchemaV7},
    {8, "probe history, availability sessions and credits history", kSchemaV8},
    {9, "snapshot deltas", kSchemaV9},
};

// Applies `step` if the database is still at `from` once the write lock is held;
// returns false (and changes nothing) if it is not.
Result<bool> apply_step(Database& db, const Migration& step, int64_t from) {
  assert(step.version == from + 1 && "migrations must be numbered 1..n in order");
  std::string context = "migrating " + db.path() + " to schema version " + std::to_string(step.version) + " (" +
                        std::string(step.description) + ")";
  auto tx = Transaction::begin(db, Transaction::Kind::kImmediate);
  if (!tx) return with_context(context, tx.error());
  auto locked = db.query_int("PRAGMA user_version");
  if (!locked) return with_context(context, locked.error());
  if (*locked != from) return false;
  if (auto st = db.exec(step.sql); !st) return with_context(context, st.error());
  if (auto st = db.exec("PRAGMA user_version = " + std::to_string(step.version)); !st)
    return with_context(context, st.error());
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return true;
}

}  // namespace

std::span<const Migration> schema_migrations() { return kMigrations; }

Status migrate(Database& db, std::span<const Migration> migrations) {
  auto current = db.query_int("PRAGMA user_version");
  if (!current) return with_context("reading the schema version of " + db.path(), current.error());
  const int64_t latest = static_cast<int64_t>(migrations.size());
  if (*current > latest) {
    return make_error(ErrorCode::kSchemaTooNew,
                      "database " + db.path() + " has schema version " + std::to_string(*current) +
                          ", newer than this build supports (" + std::to_string(latest) +
                          "); use a newer pnode-analytics or another database");
  }
  for (int64_t v = *current; v < latest; ++v) {
    auto applied = apply_step(db, migrations[static_cast<size_t>(v)], v);
    if (!applied) return applied.error();
    // Another process migrated while we waited for the write lock: start over from
    // the version it left.
    if (!*applied) return migrate(db, migrations);
  }
  return ok_status();
}

}  // namespace pnode::store::sqlite
