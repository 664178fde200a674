// The SQL of the PostgreSQL store (postgres_store.cc), kept apart from the code that runs
// it. Parameters are typed in the text ($1::bigint), so libpq sends them as text.
// Thread-safety: constants.
#pragma once

#include <string_view>

namespace pnode::store::postgres {

inline constexpr std::string_view kUpsertSnapshot =
    "INSERT INTO current_snapshot (id, cycle, last_updated, body) VALUES (1, $1::bigint, $2::bigint, $3::text) "
    "ON CONFLICT (id) DO UPDATE SET cycle = excluded.cycle, last_updated = excluded.last_updated, body = excluded.body";
inline constexpr std::string_view kUpsertSnapshotDelta =
    "INSERT INTO snapshot_delta (id, base_cycle, cycle, last_updated, body) "
    "VALUES (1, $1::bigint, $2::bigint, $3::bigint, $4::text) ON CONFLICT (id) DO UPDATE SET "
    "base_cycle = excluded.base_cycle, cycle = excluded.cycle, last_updated = excluded.last_updated, "
    "body = excluded.body";
inline constexpr std::string_view kDeleteSnapshotDelta = "DELETE FROM snapshot_delta";
inline constexpr std::string_view kStoredBaseCycle = "SELECT cycle FROM current_snapshot WHERE id = 1";
// The base (its cycle, time and body; the body NULL when it is the base of cycle $1 at
// time $2, which the caller holds decoded) and, when later cycles were written as deltas
// against it, the latest delta.
inline constexpr std::string_view kSelectSnapshot =
    "SELECT s.cycle, s.last_updated, "
    "CASE WHEN s.cycle = $1::bigint AND s.last_updated = $2::bigint THEN NULL ELSE s.body END, d.body "
    "FROM current_snapshot s LEFT JOIN snapshot_delta d ON d.id = 1 AND d.base_cycle = s.cycle WHERE s.id = 1";
inline constexpr std::string_view kLatestCycle =
    "SELECT greatest(s.cycle, d.cycle) FROM current_snapshot s "
    "LEFT JOIN snapshot_delta d ON d.id = 1 AND d.base_cycle = s.cycle WHERE s.id = 1";

inline constexpr std::string_view kInternNodesHead = "INSERT INTO nodes (address) VALUES ";
inline constexpr std::string_view kInternNodesTail = " ON CONFLICT (address) DO NOTHING";
inline constexpr std::string_view kNodeIdsOf = "SELECT address, node_id FROM nodes WHERE address = ANY($1::text[])";
// Changes whenever rows of `nodes` were deleted (schema version 8).
inline constexpr std::string_view kNodesGeneration = "SELECT generation FROM nodes_generation WHERE id = 1";

inline constexpr std::string_view kDeleteRegistryRow =
    "DELETE FROM registry WHERE node_id = (SELECT node_id FROM nodes WHERE address = $1::text)";

#define PNODE_REGISTRY_COLUMNS                                                                                      \
  "pubkey, first_seen, last_seen, last_checked, created_at, last_ip, rpc_port, is_public, storage_committed, "     \
  "storage_used, uptime, storage_usage_percent, version, source_ips, gossip_appearances, gossip_disappearances, " \
  "last_gossip_appearance, last_gossip_drop, consistency_score, in_gossip, previous_addresses"
// Registry rows go in by COPY into the temporary table copy_registry (pg_conn.h
// copy_upsert), the node id first.
inline constexpr std::string_view kCopyRegistryTable = "copy_registry";
inline constexpr std::string_view kCopyRegistryColumns =
    "node_id bigint, pubkey text, first_seen bigint, last_seen bigint, last_checked bigint, created_at bigint, "
    "last_ip text, rpc_port bigint, is_public boolean, storage_committed bigint, storage_used bigint, uptime bigint, "
    "storage_usage_percent float8, version text, source_ips text, gossip_appearances bigint, "
    "gossip_disappearances bigint, last_gossip_appearance bigint, last_gossip_drop bigint, consistency_score float8, "
    "in_gossip boolean, previous_addresses text";
inline constexpr std::string_view kUpsertCopiedRegistry =
    "INSERT INTO registry (node_id, " PNODE_REGISTRY_COLUMNS ") SELECT node_id, " PNODE_REGISTRY_COLUMNS
    " FROM copy_registry ON CONFLICT (node_id) DO UPDATE SET pubkey = excluded.pubkey, first_seen = excluded.first_seen, "
    "last_seen = excluded.last_seen, last_checked = excluded.last_checked, created_at = excluded.created_at, "
    "last_ip = excluded.last_ip, rpc_port = excluded.rpc_port, is_public = excluded.is_public, "
    "storage_committed = excluded.storage_committed, storage_used = excluded.storage_used, "
    "uptime = excluded.uptime, storage_usage_percent = excluded.storage_usage_percent, "
    "version = excluded.version, source_ips = excluded.source_ips, "
    "gossip_appearances = excluded.gossip_appearances, gossip_disappearances = excluded.gossip_disappearances, "
    "last_gossip_appearance = excluded.last_gossip_appearance, last_gossip_drop = excluded.last_gossip_drop, "
    "consistency_score = excluded.consistency_score, in_gossip = excluded.in_gossip, "
    "previous_addresses = excluded.previous_addresses";
// "COLLATE C": addresses sort bytewise, as on SQLite.
inline constexpr std::string_view kSelectRegistry =
    "SELECT n.address, " PNODE_REGISTRY_COLUMNS ", r.node_id FROM registry r JOIN nodes n USING (node_id) "
    "ORDER BY n.address COLLATE \"C\"";
#undef PNODE_REGISTRY_COLUMNS
inline constexpr int kRegistryIdColumn = 22;

#define PNODE_NETWORK_COLUMNS                                                                                  \
  "ts, total_pnodes, online_pnodes, total_ip_nodes, public_pnodes, private_pnodes, avg_cpu_percent, "          \
  "avg_ram_used_percent, total_active_streams, total_bytes_processed, total_storage_committed, "               \
  "total_storage_used, avg_storage_usage_percent, storage_utilization_ratio, avg_peer_count, version_distribution"
// A second cycle within the same second replaces the first one's sample.
inline constexpr std::string_view kUpsertNetwork =
    "INSERT INTO network_history (" PNODE_NETWORK_COLUMNS ") VALUES ($1::bigint, $2::bigint, $3::bigint, "
    "$4::bigint, $5::bigint, $6::bigint, $7::float8, $8::float8, $9::bigint, $10::bigint, $11::bigint, "
    "$12::bigint, $13::float8, $14::float8, $15::float8, $16::text) ON CONFLICT (ts) DO UPDATE SET "
    "total_pnodes = excluded.total_pnodes, online_pnodes = excluded.online_pnodes, "
    "total_ip_nodes = excluded.total_ip_nodes, public_pnodes = excluded.public_pnodes, "
    "private_pnodes = excluded.private_pnodes, avg_cpu_percent = excluded.avg_cpu_percent, "
    "avg_ram_used_percent = excluded.avg_ram_used_percent, total_active_streams = excluded.total_active_streams, "
    "total_bytes_processed = excluded.total_bytes_processed, "
    "total_storage_committed = excluded.total_storage_committed, total_storage_used = excluded.total_storage_used, "
    "avg_storage_usage_percent = excluded.avg_storage_usage_percent, "
    "storage_utilization_ratio = excluded.storage_utilization_ratio, avg_peer_count = excluded.avg_peer_count, "
    "version_distribution = excluded.version_distribution";
inline constexpr std::string_view kNetworkRange =
    "SELECT " PNODE_NETWORK_COLUMNS " FROM network_history WHERE ts >= $1::bigint AND ts <= $2::bigint ORDER BY ts";
inline constexpr std::string_view kNetworkAtOrBefore =
    "SELECT " PNODE_NETWORK_COLUMNS " FROM network_history WHERE ts <= $1::bigint ORDER BY ts DESC LIMIT 1";
#undef PNODE_NETWORK_COLUMNS
inline constexpr std::string_view kDeleteOldNetwork = "DELETE FROM network_history WHERE ts < $1::bigint";

inline constexpr std::string_view kInsertVersionsHead = "INSERT INTO history_versions (version) VALUES ";
inline constexpr std::string_view kInsertVersionsTail = " ON CONFLICT (version) DO NOTHING";
inline constexpr std::string_view kAllVersions = "SELECT version_id, version FROM history_versions";

// Without conflicts (the usual cycle: a new timestamp) node samples are copied straight
// into recent_samples. Only the lease holder writes, so none can appear in between.
inline constexpr std::string_view kRecentAtAnyTs =
    "SELECT EXISTS (SELECT 1 FROM recent_samples WHERE ts = ANY($1::bigint[]))";
inline constexpr std::string_view kCopyIntoRecent = "COPY recent_samples (node_id, ts, body) FROM STDIN (FORMAT binary)";
// With conflicts, through the temporary table copy_samples.
inline constexpr std::string_view kCopySamplesTable = "copy_samples";
inline constexpr std::string_view kCopySamplesColumns = "node_id bigint, ts bigint, body bytea";
inline constexpr std::string_view kUpsertCopiedSamples =
    "INSERT INTO recent_samples (node_id, ts, body) SELECT node_id, ts, body FROM copy_samples "
    "ON CONFLICT (ts, node_id) DO UPDATE SET body = excluded.body";
inline constexpr std::string_view kNewestRecentTs = "SELECT max(ts) FROM recent_samples";
inline constexpr std::string_view kAnyRecentBefore =
    "SELECT EXISTS (SELECT 1 FROM recent_samples WHERE ts < $1::bigint)";
inline constexpr std::string_view kNodeIdRange = "SELECT min(node_id), max(node_id) FROM nodes";
// recent_samples is keyed by (ts, node_id) (schema version 8): the distinct timestamps in
// a range are found by one index probe each (a loose index scan), and a node or a range
// of nodes by one probe per timestamp. `lo` and `hi` bound the timestamps (inclusive).
#define PNODE_RECENT_TIMESTAMPS(lo, hi)                                                               \
  "WITH RECURSIVE t(ts) AS (SELECT min(ts) FROM recent_samples WHERE ts >= " lo " AND ts <= " hi       \
  " UNION ALL SELECT (SELECT min(r.ts) FROM recent_samples r WHERE r.ts > t.ts AND r.ts <= " hi ") " \
  "FROM t WHERE t.ts IS NOT NULL) "
// The distinct timestamps of the raw samples before $1; a compaction slice then reads and
// deletes its nodes' samples at each of them ($1 below) by a probe of the key each. (The
// lateral subquery with OFFSET 0 keeps the planner from a scan of the whole table.)
inline constexpr std::string_view kRecentTimestampsBefore =
    PNODE_RECENT_TIMESTAMPS("0", "($1::bigint - 1)") "SELECT ts FROM t WHERE ts IS NOT NULL";
inline constexpr std::string_view kRecentBefore =
    "SELECT r.node_id, r.ts, r.body FROM unnest($1::bigint[]) t(ts) CROSS JOIN LATERAL (SELECT node_id, ts, body "
    "FROM recent_samples s WHERE s.ts = t.ts AND s.node_id >= $2::bigint AND s.node_id < $3::bigint OFFSET 0) r "
    "ORDER BY r.node_id, r.ts";
inline constexpr std::string_view kDeleteRecentOfNodes =
    "DELETE FROM recent_samples WHERE ts = ANY($1::bigint[]) AND node_id >= $2::bigint AND node_id < $3::bigint";
inline constexpr std::string_view kDeleteRecentBefore = "DELETE FROM recent_samples WHERE ts < $1::bigint";
inline constexpr std::string_view kChunksOfHour =
    "SELECT node_id, body FROM node_chunks WHERE hour = $1::bigint AND node_id >= $2::bigint AND node_id < $3::bigint";
inline constexpr std::string_view kUpsertChunksHead =
    "INSERT INTO node_chunks (node_id, hour, samples, first_ts, last_ts, body) VALUES ";
inline constexpr std::string_view kUpsertChunksTail =
    " ON CONFLICT (node_id, hour) DO UPDATE SET samples = excluded.samples, first_ts = excluded.first_ts, "
    "last_ts = excluded.last_ts, body = excluded.body";
const std::vector<std::string_view> kChunkTypes = {"bigint", "bigint", "integer", "bigint", "bigint", "bytea"};
inline constexpr std::string_view kDeleteOldChunks = "DELETE FROM node_chunks WHERE hour < $1::bigint";

// One node's history in one statement (one round trip, one snapshot of the database):
// its chunks of hours [$2, $3] (kind 0, by hour), then its raw samples of [$4, $5] (kind
// 1, by ts). The chunks' two halves match the partial indexes of schema version 5: small
// bodies come from node_chunks_covering by an index-only scan, large ones through
// node_chunks_large.
#define PNODE_NODE_ID "(SELECT node_id FROM nodes WHERE address = $1::text)"
#define PNODE_NODE_CHUNKS_OF(cond)                                                                            \
  "SELECT 0::bigint, hour, body FROM node_chunks WHERE node_id = " PNODE_NODE_ID                                      \
  " AND hour >= $2::bigint AND hour <= $3::bigint AND length(body) " cond
inline constexpr std::string_view kNodeHistory =
    PNODE_RECENT_TIMESTAMPS("$4::bigint", "$5::bigint")
    PNODE_NODE_CHUNKS_OF("<= 2000") " UNION ALL " PNODE_NODE_CHUNKS_OF("> 2000")
    " UNION ALL SELECT 1::bigint, r.ts, r.body FROM t JOIN recent_samples r ON r.ts = t.ts AND r.node_id = " PNODE_NODE_ID
    " ORDER BY 1, 2";
#undef PNODE_NODE_CHUNKS_OF
#undef PNODE_NODE_ID
#undef PNODE_RECENT_TIMESTAMPS

// No (node, hour) is both compacted and recent (compaction takes every hour before the
// newest), so the two sum without double counting.
inline constexpr std::string_view kHistoryStatus =
    "SELECT n.address, sum(s.samples)::bigint, min(s.first_ts), max(s.last_ts) FROM ("
    "SELECT node_id, samples, first_ts, last_ts FROM node_chunks "
    "UNION ALL SELECT node_id, 1, ts, ts FROM recent_samples) s JOIN nodes n USING (node_id) "
    "GROUP BY n.address ORDER BY 2 DESC, n.address COLLATE \"C\" LIMIT $1::bigint";

// The per-node history tables and their indexes, with what each takes on disk (the
// TOAST tables that hold large chunk bodies included).
inline constexpr std::string_view kHistoryRelations =
    "SELECT c.relname, pg_total_relation_size(c.oid) - pg_indexes_size(c.oid) FROM pg_class c "
    "WHERE c.relname IN ('node_chunks', 'recent_samples') AND c.relnamespace = 'public'::regnamespace "
    "UNION ALL SELECT i.relname, pg_relation_size(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
    "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname IN ('node_chunks', 'recent_samples') "
    "AND t.relnamespace = 'public'::regnamespace";
inline constexpr std::string_view kHistorySampleCounts =
    "SELECT (SELECT coalesce(sum(samples), 0) FROM node_chunks)::bigint, (SELECT count(*) FROM recent_samples)";

// A node still in gossip is never pruned, whatever last_seen its seeds report.
inline constexpr std::string_view kPruneRegistry =
    "DELETE FROM registry WHERE last_seen < $1::bigint AND NOT in_gossip";
inline constexpr std::string_view kDeleteMatchingRegistryRow =
    "DELETE FROM registry WHERE node_id = (SELECT node_id FROM nodes WHERE address = $1::text) "
    "AND pubkey = $2::text AND last_seen = $3::bigint AND last_checked = $4::bigint";
// Addresses nothing refers to any more.
inline constexpr std::string_view kDeleteOrphanNodes =
    "DELETE FROM nodes n WHERE NOT EXISTS (SELECT 1 FROM registry r WHERE r.node_id = n.node_id) "
    "AND NOT EXISTS (SELECT 1 FROM node_chunks c WHERE c.node_id = n.node_id) "
    "AND NOT EXISTS (SELECT 1 FROM recent_samples s WHERE s.node_id = n.node_id)";

// The collector lease, on the server's clock (Store::try_acquire_lease and friends). The
// acquire is one atomic statement: it inserts the row, or takes it over only once it has
// expired, with the next epoch.
inline constexpr std::string_view kAcquireLease =
    "INSERT INTO collector_lease (id, holder, epoch, expires_at) "
    "VALUES (1, $1, 1, clock_timestamp() + $2::bigint * interval '1 millisecond') "
    "ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, epoch = collector_lease.epoch + 1, "
    "expires_at = excluded.expires_at WHERE collector_lease.expires_at < clock_timestamp() RETURNING epoch";
inline constexpr std::string_view kRenewLease =
    "UPDATE collector_lease SET expires_at = clock_timestamp() + $3::bigint * interval '1 millisecond' "
    "WHERE id = 1 AND holder = $1 AND epoch = $2 AND expires_at > clock_timestamp() RETURNING epoch";
inline constexpr std::string_view kResignLease =
    "UPDATE collector_lease SET expires_at = clock_timestamp() - interval '1 second' "
    "WHERE id = 1 AND holder = $1 AND epoch = $2";
// First in a fenced cycle's transaction; FOR UPDATE holds the row, so no other instance
// can take the lease over before this write commits or rolls back.
inline constexpr std::string_view kCheckFence =
    "SELECT epoch FROM collector_lease WHERE id = 1 AND holder = $1 AND epoch = $2 "
    "AND expires_at > clock_timestamp() FOR UPDATE";

// Word of a committed cycle for followers (pg_listener.h): the leader's cycle transaction
// sends "<cycle>:<epoch>" on the channel, which PostgreSQL delivers only at commit (a
// rolled-back or fenced-out write says nothing). The payload is a notice, never data.
#define PNODE_CYCLE_CHANNEL "pnode_cycles"
inline constexpr std::string_view kNotifyCycle = "SELECT pg_notify('" PNODE_CYCLE_CHANNEL "', $1::text)";
inline constexpr std::string_view kListenCycles = "LISTEN " PNODE_CYCLE_CHANNEL;
#undef PNODE_CYCLE_CHANNEL
// The cycle log (schema version 3): a fenced cycle's row, and retention's cut.
inline constexpr std::string_view kLogCycle =
    "INSERT INTO cycle_log (cycle, epoch, holder) VALUES ($1::bigint, $2::bigint, $3::text)";
inline constexpr std::string_view kDeleteOldCycleLog =
    "DELETE FROM cycle_log WHERE written_at < to_timestamp($1::bigint)";

}  // namespace pnode::store::postgres
