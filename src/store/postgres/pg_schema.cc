#include "store/postgres/pg_schema.h"

#include <string>
#include <string_view>

namespace pnode::store::postgres {
namespace {

// Version 1 follows the SQLite layout (docs/storage.md) where PostgreSQL allows:
// - addresses are interned in `nodes`, so history keys on a bigint;
// - per-node history lives as one hourly chunk per node (history_codec.h) in
//   node_chunks, plus the newest hour as 72-byte raw slots in recent_samples, which a
//   cycle compacts into chunks once its hour is over;
// - unsigned counters are stored bit for bit in bigint, NaN doubles as NULL;
// - registry has no index on last_seen (every cycle moves it for every node).
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE nodes (
  node_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  address text NOT NULL UNIQUE
);
CREATE TABLE registry (
  node_id bigint PRIMARY KEY,
  pubkey text NOT NULL,
  first_seen bigint NOT NULL,
  last_seen bigint NOT NULL,
  last_checked bigint NOT NULL,
  created_at bigint NOT NULL,
  last_ip text,
  rpc_port bigint NOT NULL,
  is_public boolean NOT NULL,
  storage_committed bigint,
  storage_used bigint,
  uptime bigint,
  storage_usage_percent double precision,
  version text,
  source_ips text NOT NULL,
  gossip_appearances bigint NOT NULL,
  gossip_disappearances bigint NOT NULL,
  last_gossip_appearance bigint,
  last_gossip_drop bigint,
  consistency_score double precision,
  in_gossip boolean NOT NULL,
  previous_addresses text NOT NULL DEFAULT ''
);
CREATE TABLE network_history (
  ts bigint PRIMARY KEY,
  total_pnodes bigint NOT NULL,
  online_pnodes bigint NOT NULL,
  total_ip_nodes bigint NOT NULL,
  public_pnodes bigint NOT NULL,
  private_pnodes bigint NOT NULL,
  avg_cpu_percent double precision,
  avg_ram_used_percent double precision,
  total_active_streams bigint NOT NULL,
  total_bytes_processed bigint NOT NULL,
  total_storage_committed bigint NOT NULL,
  total_storage_used bigint NOT NULL,
  avg_storage_usage_percent double precision,
  storage_utilization_ratio double precision,
  avg_peer_count double precision,
  version_distribution text NOT NULL
);
CREATE TABLE history_versions (
  version_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version text NOT NULL UNIQUE
);
CREATE TABLE recent_samples (
  node_id bigint NOT NULL,
  ts bigint NOT NULL,
  body bytea NOT NULL,
  PRIMARY KEY (node_id, ts)
);
CREATE INDEX recent_samples_by_ts ON recent_samples (ts);
CREATE TABLE node_chunks (
  node_id bigint NOT NULL,
  hour bigint NOT NULL,
  samples integer NOT NULL,
  first_ts bigint NOT NULL,
  last_ts bigint NOT NULL,
  body bytea NOT NULL,
  PRIMARY KEY (node_id, hour)
);
CREATE INDEX node_chunks_by_hour ON node_chunks (hour);
CREATE TABLE current_snapshot (
  id integer PRIMARY KEY CHECK (id = 1),
  cycle bigint NOT NULL,
  last_updated bigint NOT NULL,
  body text NOT NULL
);
)sql";

// Version 2: the collector lease (one row; docs/storage.md, PostgreSQL). Its expiry is on
// the server's clock; the epoch grows with every new holder and fences cycle writes.
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE collector_lease (
  id integer PRIMARY KEY CHECK (id = 1),
  holder text NOT NULL,
  epoch bigint NOT NULL,
  expires_at timestamptz NOT NULL
);
)sql";

// Version 3: the cycle log, one row per cycle a lease holder committed (in the cycle's
// transaction, after the fence check): which holder wrote it under which epoch, and when
// on the server's clock. The primary key makes a cycle number written twice fail the
// write; the rows show that after a failover no cycle was written twice, that epochs only
// grow, and which cycle (at most the one in flight) was lost. Retention prunes it with
// the history.
constexpr std::string_view kSchemaV3 = R"sql(
CREATE TABLE cycle_log (
  cycle bigint PRIMARY KEY,
  epoch bigint NOT NULL,
  holder text NOT NULL,
  written_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
)sql";

// Version 4: the event outbox (docs/events.md), as in SQLite. `seq` (an identity, never
// given twice) is the readers' cursor; the unique id makes a re-derived event a no-op.
// event_cursors: how far each reader of the outbox outside the process has got.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  type text NOT NULL,
  time bigint NOT NULL,
  cycle bigint NOT NULL,
  address text NOT NULL,
  pubkey text NOT NULL,
  body text NOT NULL
);
CREATE INDEX events_by_time ON events (time);
CREATE INDEX events_by_address ON events (address, seq);
CREATE TABLE event_cursors (
  name text PRIMARY KEY,
  seq bigint NOT NULL
);
)sql";

// Version 5: one node's history without a heap page per hour (docs/storage.md,
// PostgreSQL). node_chunks_covering holds the chunk bodies beside the key, so a node's
// 720 chunks of 30 days are read from a few adjacent index pages by an index-only scan
// instead of 720 heap pages (compaction writes an hour of every node together). An index
// entry must stay under ~2.7 kB: bodies over 2,000 bytes (dense bulk-written hours) are
// left out of it and found through node_chunks_large instead. Insert-triggered autovacuum
// every 20,000 chunks (not after a fifth of the table) keeps the visibility map current,
// so the scan skips the heap for all but the newest chunks. Registry pages are left half
// empty: every cycle rewrites every row (last_seen), and an update that fits in its page
// is a HOT update that adds no index entry.
constexpr std::string_view kSchemaV5 = R"sql(
CREATE INDEX node_chunks_covering ON node_chunks (node_id, hour) INCLUDE (body) WHERE length(body) <= 2000;
CREATE INDEX node_chunks_large ON node_chunks (node_id, hour) WHERE length(body) > 2000;
ALTER TABLE node_chunks SET (autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 20000);
ALTER TABLE registry SET (fillfactor = 50);
)sql";

// Version 6: the collector's alert and seed states (analysis/monitor_state_codec.h), one
// row replaced by every cycle, so a restart or a new leader continues the alert lifecycle
// and every instance serves the same states.
constexpr std::string_view kSchemaV6 = R"sql(
CREATE TABLE monitor_state (
  id integer PRIMARY KEY CHECK (id = 1),
  body text NOT NULL
);
)sql";

// Version 7: silences and acknowledgements of alerts, as in SQLite: written by the API of
// any instance, read by the leader's collector every cycle.
constexpr std::string_view kSchemaV7 = R"sql(
CREATE TABLE silences (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  address text,
  pubkey text,
  rule text,
  starts_at bigint NOT NULL,
  ends_at bigint NOT NULL,
  created_at bigint NOT NULL,
  comment text NOT NULL,
  author text NOT NULL
);
CREATE TABLE alert_acks (
  rule text NOT NULL,
  address text NOT NULL,
  firing_since bigint NOT NULL,
  author text NOT NULL,
  comment text NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (rule, address, firing_since)
);
)sql";

// Version 8: cheaper cycle writes (docs/storage.md, PostgreSQL).
// - recent_samples is keyed by (ts, node_id) alone: a cycle's samples share one ts, so
//   they append to the right edge of one index instead of landing on a random leaf of a
//   (node_id, ts) index and the right edge of a second one on ts. One node's samples are
//   found with one probe per distinct timestamp (an hour holds about 60).
// - nodes_generation counts statements that deleted rows of `nodes`: a writer that keeps
//   node ids in memory drops them when it changes, whoever deleted (pruning by any
//   instance's API, an operator by hand).
// - cycle_log gets an index on written_at for retention's cut, which every fenced cycle
//   makes (a month of cycles is 43,200 rows).
constexpr std::string_view kSchemaV8 = R"sql(
ALTER TABLE recent_samples DROP CONSTRAINT recent_samples_pkey;
DROP INDEX recent_samples_by_ts;
ALTER TABLE recent_samples ADD PRIMARY KEY (ts, node_id);
CREATE TABLE nodes_generation (
  id integer PRIMARY KEY CHECK (id = 1),
  generation bigint NOT NULL
);
INSERT INTO nodes_generation (id, generation) VALUES (1, 0);
CREATE FUNCTION bump_nodes_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE nodes_generation SET generation = generation + 1 WHERE id = 1;
  RETURN NULL;
END $$;
CREATE TRIGGER nodes_deleted AFTER DELETE ON nodes FOR EACH STATEMENT EXECUTE FUNCTION bump_nodes_generation();
CREATE INDEX cycle_log_by_time ON cycle_log (written_at);
)sql";

// Version 9: notification subscriptions added through the API, as in SQLite: written by
// the API of any instance, read by the notifier of the leader.
constexpr std::string_view kSchemaV9 = R"sql(
CREATE TABLE notify_subscriptions (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE,
  spec text NOT NULL,
  created_at bigint NOT NULL,
  starts_after bigint NOT NULL
);
)sql";

// Version 10: probe history, availability sessions and credits history (issue 13), as
// SQLite's version 8 (docs/storage.md): a NULL failure is an answered probe, latencies
// are tenths of a millisecond; sessions key on (address, started_at); the ts and ended_at
// indexes serve retention and the open sessions a restart restores.
constexpr std::string_view kSchemaV10 = R"sql(
CREATE TABLE probe_history (
  address text NOT NULL,
  ts bigint NOT NULL,
  failure text,
  connect_ms_x10 integer NOT NULL,
  total_ms_x10 integer NOT NULL,
  PRIMARY KEY (address, ts)
);
CREATE INDEX probe_history_by_ts ON probe_history (ts);
CREATE TABLE availability_sessions (
  address text NOT NULL,
  started_at bigint NOT NULL,
  up boolean NOT NULL,
  ended_at bigint,
  last_probe_at bigint NOT NULL,
  failures integer NOT NULL,
  failing_since bigint NOT NULL,
  PRIMARY KEY (address, started_at)
);
CREATE INDEX availability_sessions_by_end ON availability_sessions (ended_at);
CREATE TABLE credits_history (
  pubkey text NOT NULL,
  ts bigint NOT NULL,
  credits double precision NOT NULL,
  network text NOT NULL,
  PRIMARY KEY (pubkey, ts)
);
CREATE INDEX credits_history_by_ts ON credits_history (ts);
)sql";

// Version 11: the snapshot as a base plus a delta, as SQLite's version 9 (issue 14;
// store/snapshot_delta.h): current_snapshot holds the last snapshot written in full,
// snapshot_delta the latest cycle's changes against it.
constexpr std::string_view kSchemaV11 = R"sql(
CREATE TABLE snapshot_delta (
  id integer PRIMARY KEY CHECK (id = 1),
  base_cycle bigint NOT NULL,
  cycle bigint NOT NULL,
  last_updated bigint NOT NULL,
  body text NOT NULL
);
)sql";

constexpr std::string_view kMigrations[] = {kSchemaV1, kSchemaV2, kSchemaV3, kSchemaV4, kSchemaV5,
                                            kSchemaV6, kSchemaV7, kSchemaV8, kSchemaV9, kSchemaV10, kSchemaV11};

// Any fixed number: the advisory lock that serialises migrations.
constexpr std::string_view kMigrationLock = "SELECT pg_advisory_xact_lock(7166001)";

}  // namespace

int schema_version_latest() { return static_cast<int>(std::size(kMigrations)); }

Status migrate(Connection& conn) {
  const std::string context = "migrating the schema of " + conn.description();
  auto tx = Transaction::begin(conn);
  if (!tx) return with_context(context, tx.error());
  if (auto st = conn.run(kMigrationLock); !st) return with_context(context, st.error());
  if (auto st = conn.run("CREATE TABLE IF NOT EXISTS schema_version (id integer PRIMARY KEY CHECK (id = 1), "
                         "version integer NOT NULL)");
      !st)
    return with_context(context, st.error());
  auto current = conn.exec("SELECT version FROM schema_version WHERE id = 1");
  if (!current) return with_context(context, current.error());
  int64_t version = current->rows() == 0 ? 0 : current->int64(0, 0);
  if (version > schema_version_latest()) {
    return make_error(ErrorCode::kSchemaTooNew,
                      conn.description() + " has schema version " + std::to_string(version) +
                          ", newer than this build supports (" + std::to_string(schema_version_latest()) +
                          "); use a newer pnode-analytics or another database");
  }
  for (int64_t v = version; v < schema_version_latest(); ++v) {
    if (auto st = conn.run(kMigrations[v]); !st)
      return with_context(context + " to version " + std::to_string(v + 1), st.error());
  }
  if (auto st = conn.run("INSERT INTO schema_version (id, version) VALUES (1, $1::integer) "
                         "ON CONFLICT (id) DO UPDATE SET version = excluded.version",
                         {int_param(schema_version_latest())});
      !st)
    return with_context(context, st.error());
  return tx->commit();
}

}  // namespace pnode::store::postgres
