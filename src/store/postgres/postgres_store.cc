#include "store/postgres/postgres_store.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store/history_codec.h"
#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_schema.h"
#include "store/snapshot_codec.h"
#include "store/list_codec.h"

namespace pnode::store::postgres {
namespace {

using model::Registry;
using model::RegistryEntry;
using model::Snapshot;

constexpr int64_t kHourSeconds = 3600;
// Nodes whose finished hour is compacted in one read (~120,000 raw samples).
constexpr int64_t kNodesPerCompactionBatch = 2000;
// Node sample timestamps must lie in [0, 2^34) (store.h), as on SQLite.
constexpr int64_t kMaxSampleTs = int64_t{1} << 34;

int64_t hour_of(int64_t ts) { return ts >= 0 ? ts / kHourSeconds : -((-ts + kHourSeconds - 1) / kHourSeconds); }

// ---- SQL -------------------------------------------------------------------------------

constexpr std::string_view kUpsertSnapshot =
    "INSERT INTO current_snapshot (id, cycle, last_updated, body) VALUES (1, $1::bigint, $2::bigint, $3::text) "
    "ON CONFLICT (id) DO UPDATE SET cycle = excluded.cycle, last_updated = excluded.last_updated, body = excluded.body";
constexpr std::string_view kSelectSnapshot = "SELECT body FROM current_snapshot WHERE id = 1";

constexpr std::string_view kInternNodesHead = "INSERT INTO nodes (address) VALUES ";
constexpr std::string_view kInternNodesTail = " ON CONFLICT (address) DO NOTHING";

constexpr std::string_view kDeleteRegistryRow =
    "DELETE FROM registry WHERE node_id = (SELECT node_id FROM nodes WHERE address = $1::text)";

#define PNODE_REGISTRY_COLUMNS                                                                                      \
  "pubkey, first_seen, last_seen, last_checked, created_at, last_ip, rpc_port, is_public, storage_committed, "     \
  "storage_used, uptime, storage_usage_percent, version, source_ips, gossip_appearances, gossip_disappearances, " \
  "last_gossip_appearance, last_gossip_drop, consistency_score, in_gossip, previous_addresses"
// The VALUES rows carry the address first; the join turns it into the node id. (A join
// written as FROM ... , nodes WHERE ... keeps ON CONFLICT unambiguous.)
constexpr std::string_view kUpsertRegistryHead =
    "INSERT INTO registry (node_id, " PNODE_REGISTRY_COLUMNS ") SELECT n.node_id, " PNODE_REGISTRY_COLUMNS
    " FROM (VALUES ";
constexpr std::string_view kUpsertRegistryTail =
    ") AS v (address, " PNODE_REGISTRY_COLUMNS ") , nodes n WHERE n.address = v.address "
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
const std::vector<std::string_view> kRegistryTypes = {
    "text",   "text",   "bigint", "bigint", "bigint", "bigint", "text",   "bigint",
    "boolean", "bigint", "bigint", "bigint", "float8", "text",   "text",   "bigint",
    "bigint", "bigint", "bigint", "float8", "boolean", "text"};
// "COLLATE C": addresses sort bytewise, as on SQLite.
constexpr std::string_view kSelectRegistry =
    "SELECT n.address, " PNODE_REGISTRY_COLUMNS ", r.node_id FROM registry r JOIN nodes n USING (node_id) "
    "ORDER BY n.address COLLATE \"C\"";
#undef PNODE_REGISTRY_COLUMNS
constexpr int kRegistryIdColumn = 22;

#define PNODE_NETWORK_COLUMNS                                                                                  \
  "ts, total_pnodes, online_pnodes, total_ip_nodes, public_pnodes, private_pnodes, avg_cpu_percent, "          \
  "avg_ram_used_percent, total_active_streams, total_bytes_processed, total_storage_committed, "               \
  "total_storage_used, avg_storage_usage_percent, storage_utilization_ratio, avg_peer_count, version_distribution"
// A second cycle within the same second replaces the first one's sample.
constexpr std::string_view kUpsertNetwork =
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
constexpr std::string_view kNetworkRange =
    "SELECT " PNODE_NETWORK_COLUMNS " FROM network_history WHERE ts >= $1::bigint AND ts <= $2::bigint ORDER BY ts";
constexpr std::string_view kNetworkAtOrBefore =
    "SELECT " PNODE_NETWORK_COLUMNS " FROM network_history WHERE ts <= $1::bigint ORDER BY ts DESC LIMIT 1";
#undef PNODE_NETWORK_COLUMNS
constexpr std::string_view kDeleteOldNetwork = "DELETE FROM network_history WHERE ts < $1::bigint";

constexpr std::string_view kInsertVersionsHead = "INSERT INTO history_versions (version) VALUES ";
constexpr std::string_view kInsertVersionsTail = " ON CONFLICT (version) DO NOTHING";
constexpr std::string_view kAllVersions = "SELECT version_id, version FROM history_versions";

constexpr std::string_view kUpsertRecentHead =
    "INSERT INTO recent_samples (node_id, ts, body) SELECT n.node_id, v.ts, v.body FROM (VALUES ";
constexpr std::string_view kUpsertRecentTail =
    ") AS v (address, ts, body), nodes n WHERE n.address = v.address "
    "ON CONFLICT (node_id, ts) DO UPDATE SET body = excluded.body";
const std::vector<std::string_view> kRecentTypes = {"text", "bigint", "bytea"};

constexpr std::string_view kNewestRecentTs = "SELECT max(ts) FROM recent_samples";
constexpr std::string_view kRecentNodeRangeBefore =
    "SELECT min(node_id), max(node_id) FROM recent_samples WHERE ts < $1::bigint";
constexpr std::string_view kRecentBefore =
    "SELECT node_id, ts, body FROM recent_samples WHERE ts < $1::bigint AND node_id >= $2::bigint "
    "AND node_id < $3::bigint ORDER BY node_id, ts";
constexpr std::string_view kDeleteRecentBefore = "DELETE FROM recent_samples WHERE ts < $1::bigint";
constexpr std::string_view kChunksOfHour =
    "SELECT node_id, body FROM node_chunks WHERE hour = $1::bigint AND node_id >= $2::bigint AND node_id < $3::bigint";
constexpr std::string_view kUpsertChunksHead =
    "INSERT INTO node_chunks (node_id, hour, samples, first_ts, last_ts, body) VALUES ";
constexpr std::string_view kUpsertChunksTail =
    " ON CONFLICT (node_id, hour) DO UPDATE SET samples = excluded.samples, first_ts = excluded.first_ts, "
    "last_ts = excluded.last_ts, body = excluded.body";
const std::vector<std::string_view> kChunkTypes = {"bigint", "bigint", "integer", "bigint", "bigint", "bytea"};
constexpr std::string_view kDeleteOldChunks = "DELETE FROM node_chunks WHERE hour < $1::bigint";

constexpr std::string_view kFindNode = "SELECT node_id FROM nodes WHERE address = $1::text";
constexpr std::string_view kNodeChunks =
    "SELECT body FROM node_chunks WHERE node_id = $1::bigint AND hour >= $2::bigint AND hour <= $3::bigint "
    "ORDER BY hour";
constexpr std::string_view kNodeRecent =
    "SELECT ts, body FROM recent_samples WHERE node_id = $1::bigint AND ts >= $2::bigint AND ts <= $3::bigint "
    "ORDER BY ts";

// No (node, hour) is both compacted and recent (compaction takes every hour before the
// newest), so the two sum without double counting.
constexpr std::string_view kHistoryStatus =
    "SELECT n.address, sum(s.samples)::bigint, min(s.first_ts), max(s.last_ts) FROM ("
    "SELECT node_id, samples, first_ts, last_ts FROM node_chunks "
    "UNION ALL SELECT node_id, 1, ts, ts FROM recent_samples) s JOIN nodes n USING (node_id) "
    "GROUP BY n.address ORDER BY 2 DESC, n.address COLLATE \"C\" LIMIT $1::bigint";

// The per-node history tables and their indexes, with what each takes on disk (the
// TOAST tables that hold large chunk bodies included).
constexpr std::string_view kHistoryRelations =
    "SELECT c.relname, pg_total_relation_size(c.oid) - pg_indexes_size(c.oid) FROM pg_class c "
    "WHERE c.relname IN ('node_chunks', 'recent_samples') AND c.relnamespace = 'public'::regnamespace "
    "UNION ALL SELECT i.relname, pg_relation_size(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
    "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname IN ('node_chunks', 'recent_samples') "
    "AND t.relnamespace = 'public'::regnamespace";
constexpr std::string_view kHistorySampleCounts =
    "SELECT (SELECT coalesce(sum(samples), 0) FROM node_chunks)::bigint, (SELECT count(*) FROM recent_samples)";

// A node still in gossip is never pruned, whatever last_seen its seeds report.
constexpr std::string_view kPruneRegistry =
    "DELETE FROM registry WHERE last_seen < $1::bigint AND NOT in_gossip";
constexpr std::string_view kDeleteMatchingRegistryRow =
    "DELETE FROM registry WHERE node_id = (SELECT node_id FROM nodes WHERE address = $1::text) "
    "AND pubkey = $2::text AND last_seen = $3::bigint AND last_checked = $4::bigint";
// Addresses nothing refers to any more.
constexpr std::string_view kDeleteOrphanNodes =
    "DELETE FROM nodes n WHERE NOT EXISTS (SELECT 1 FROM registry r WHERE r.node_id = n.node_id) "
    "AND NOT EXISTS (SELECT 1 FROM node_chunks c WHERE c.node_id = n.node_id) "
    "AND NOT EXISTS (SELECT 1 FROM recent_samples s WHERE s.node_id = n.node_id)";

// ---- value conversions -----------------------------------------------------------------

Result<Params> registry_params(const RegistryEntry& e) {
  auto source_ips = join_source_ips(e.source_ips);
  if (!source_ips)
    return make_error(ErrorCode::kInvalidData, "registry entry " + e.address + " has a source IP that is empty or contains ','");
  return Params{e.address,
                e.pubkey,
                int_param(e.first_seen),
                int_param(e.last_seen),
                int_param(e.last_checked),
                int_param(e.created_at),
                e.last_ip,
                int_param(e.rpc_port),
                bool_param(e.is_public),
                opt_int_param(e.storage_committed),
                opt_int_param(e.storage_used),
                opt_int_param(e.uptime),
                e.storage_usage_percent ? double_param(*e.storage_usage_percent) : std::nullopt,
                e.version,
                *source_ips,
                int_param(e.gossip_appearances),
                int_param(e.gossip_disappearances),
                opt_int_param(e.last_gossip_appearance),
                opt_int_param(e.last_gossip_drop),
                double_param(e.consistency_score),
                bool_param(e.in_gossip),
                join_addresses(e.previous_addresses)};
}

RegistryEntry read_registry_entry(const PgResult& r, int row) {
  RegistryEntry e;
  e.address = r.string(row, 0);
  e.pubkey = r.string(row, 1);
  e.first_seen = r.int64(row, 2);
  e.last_seen = r.int64(row, 3);
  e.last_checked = r.int64(row, 4);
  e.created_at = r.int64(row, 5);
  e.last_ip = r.opt_string(row, 6);
  e.rpc_port = r.int64(row, 7);
  e.is_public = r.boolean(row, 8);
  e.storage_committed = r.opt_uint64(row, 9);
  e.storage_used = r.opt_uint64(row, 10);
  e.uptime = r.opt_uint64(row, 11);
  e.storage_usage_percent = r.opt_double(row, 12);
  e.version = r.opt_string(row, 13);
  e.source_ips = split_list(r.text(row, 14));
  e.gossip_appearances = r.int64(row, 15);
  e.gossip_disappearances = r.int64(row, 16);
  e.last_gossip_appearance = r.opt_int64(row, 17);
  e.last_gossip_drop = r.opt_int64(row, 18);
  e.consistency_score = r.real(row, 19);
  e.in_gossip = r.boolean(row, 20);
  e.previous_addresses = split_list(r.text(row, 21));
  return e;
}

Params network_params(const NetworkHistoryRow& r) {
  return Params{int_param(r.timestamp),
                int_param(r.total_pnodes),
                int_param(r.online_pnodes),
                int_param(r.total_ip_nodes),
                int_param(r.public_pnodes),
                int_param(r.private_pnodes),
                double_param(r.avg_cpu_percent),
                double_param(r.avg_ram_used_percent),
                uint_param(r.total_active_streams),
                uint_param(r.total_bytes_processed),
                uint_param(r.total_storage_committed),
                uint_param(r.total_storage_used),
                double_param(r.avg_storage_usage_percent),
                double_param(r.storage_utilization_ratio),
                double_param(r.avg_peer_count),
                encode_count_map(r.version_distribution)};
}

Result<NetworkHistoryRow> read_network_row(const PgResult& s, int row) {
  NetworkHistoryRow r;
  r.timestamp = s.int64(row, 0);
  r.total_pnodes = s.int64(row, 1);
  r.online_pnodes = s.int64(row, 2);
  r.total_ip_nodes = s.int64(row, 3);
  r.public_pnodes = s.int64(row, 4);
  r.private_pnodes = s.int64(row, 5);
  r.avg_cpu_percent = s.real(row, 6);
  r.avg_ram_used_percent = s.real(row, 7);
  r.total_active_streams = s.uint64(row, 8);
  r.total_bytes_processed = s.uint64(row, 9);
  r.total_storage_committed = s.uint64(row, 10);
  r.total_storage_used = s.uint64(row, 11);
  r.avg_storage_usage_percent = s.real(row, 12);
  r.storage_utilization_ratio = s.real(row, 13);
  r.avg_peer_count = s.real(row, 14);
  auto versions = decode_count_map(s.text(row, 15));
  if (!versions) return with_context("network sample " + std::to_string(r.timestamp), versions.error());
  r.version_distribution = std::move(*versions);
  return r;
}

// A stored sample with the node it belongs to.
struct NodeSample {
  int64_t node_id = 0;
  StoredSample sample;
};

// Merges `newer` into `older` (both sorted by ts; `newer` wins at an equal ts).
std::vector<StoredSample> merge_samples(std::vector<StoredSample> older, const std::vector<StoredSample>& newer) {
  std::vector<StoredSample> out;
  out.reserve(older.size() + newer.size());
  size_t i = 0, j = 0;
  while (i < older.size() || j < newer.size()) {
    if (j == newer.size() || (i < older.size() && older[i].ts < newer[j].ts)) {
      out.push_back(older[i++]);
    } else {
      if (i < older.size() && older[i].ts == newer[j].ts) ++i;
      out.push_back(newer[j++]);
    }
  }
  return out;
}

// ---- the store -------------------------------------------------------------------------

// The collector lease, on the server's clock (Store::try_acquire_lease and friends). The
// acquire is one atomic statement: it inserts the row, or takes it over only once it has
// expired, with the next epoch.
constexpr std::string_view kAcquireLease =
    "INSERT INTO collector_lease (id, holder, epoch, expires_at) "
    "VALUES (1, $1, 1, clock_timestamp() + $2::bigint * interval '1 millisecond') "
    "ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, epoch = collector_lease.epoch + 1, "
    "expires_at = excluded.expires_at WHERE collector_lease.expires_at < clock_timestamp() RETURNING epoch";
constexpr std::string_view kRenewLease =
    "UPDATE collector_lease SET expires_at = clock_timestamp() + $3::bigint * interval '1 millisecond' "
    "WHERE id = 1 AND holder = $1 AND epoch = $2 AND expires_at > clock_timestamp() RETURNING epoch";
constexpr std::string_view kResignLease =
    "UPDATE collector_lease SET expires_at = clock_timestamp() - interval '1 second' "
    "WHERE id = 1 AND holder = $1 AND epoch = $2";
// First in a fenced cycle's transaction; FOR UPDATE holds the row, so no other instance
// can take the lease over before this write commits or rolls back.
constexpr std::string_view kCheckFence =
    "SELECT epoch FROM collector_lease WHERE id = 1 AND holder = $1 AND epoch = $2 "
    "AND expires_at > clock_timestamp() FOR UPDATE";

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(Connection conn) : conn_(std::move(conn)) {}

  Status write_cycle(const CycleWrite& write) override;
  Status write_history_bulk(const std::vector<NodeHistoryRow>& rows) override;
  Result<LoadedState> load() override;
  Result<std::vector<NetworkHistoryRow>> network_history(int64_t since, int64_t until) override;
  Result<std::optional<NetworkHistoryRow>> network_sample_at_or_before(int64_t at) override;
  Result<std::vector<NodeHistoryRow>> node_history(const std::string& address, int64_t since,
                                                   int64_t until) override;
  Result<std::vector<HistoryStatusRow>> history_status(size_t limit) override;
  Result<HistoryFootprint> history_footprint() override;
  Result<int64_t> prune_registry(int64_t cutoff) override;
  Result<std::vector<StoredRegistryRow>> registry_rows() override;
  Result<int64_t> delete_registry_rows(const std::vector<RegistryRowMatch>& rows) override;
  Result<std::optional<LeaseToken>> try_acquire_lease(const std::string& holder, std::chrono::milliseconds ttl) override;
  Result<bool> renew_lease(const LeaseToken& token, std::chrono::milliseconds ttl) override;
  Status resign_lease(const LeaseToken& token) override;
  Result<uint64_t> latest_cycle() override;

 private:
  Status write_cycle_locked(const CycleWrite& write, const std::string& snapshot_body);
  Status intern_addresses(const std::vector<RegistryEntry>& upserts, const std::vector<NodeHistoryRow>& rows);
  void remember_addresses(const std::vector<RegistryEntry>& upserts, const std::vector<NodeHistoryRow>& rows);
  Status write_node_samples(const std::vector<NodeHistoryRow>& rows);
  Status compact_finished_hours();
  // Compacts the raw samples before `before` of the nodes with ids in [first_node, end_node).
  Status compact_nodes(int64_t before, int64_t first_node, int64_t end_node);
  Status apply_retention(int64_t cutoff);
  // Version ids of `rows`' versions, interning new ones (reloads versions_ in the open
  // transaction; a rollback clears it).
  Status intern_versions(const std::vector<NodeHistoryRow>& rows);
  Status load_versions();
  Result<std::unordered_map<int64_t, std::string>> version_names();

  std::mutex mutex_;  // guards everything below
  Connection conn_;
  std::unordered_map<std::string, int64_t> versions_;  // version -> id, as committed
  // Addresses known to be in `nodes` (committed); cleared when nodes are deleted.
  std::unordered_set<std::string> known_addresses_;
};

Status PostgresStore::load_versions() {
  auto all = conn_.exec(kAllVersions);
  if (!all) return all.error();
  versions_.clear();
  for (int i = 0; i < all->rows(); ++i) versions_.emplace(all->string(i, 1), all->int64(i, 0));
  return ok_status();
}

Status PostgresStore::intern_versions(const std::vector<NodeHistoryRow>& rows) {
  std::set<std::string> missing;
  for (const auto& r : rows)
    if (!versions_.contains(r.version)) missing.insert(r.version);
  if (missing.empty()) return ok_status();
  std::vector<Params> params;
  for (const auto& v : missing) params.push_back({v});
  if (auto st = insert_rows(conn_, kInsertVersionsHead, {"text"}, params, kInsertVersionsTail); !st) return st;
  return load_versions();
}

Status PostgresStore::intern_addresses(const std::vector<RegistryEntry>& upserts,
                                       const std::vector<NodeHistoryRow>& rows) {
  // In order of first sighting (node ids grow in that order), each address once.
  std::vector<Params> missing;
  std::unordered_set<std::string_view> listed;
  auto add = [&](const std::string& address) {
    if (!known_addresses_.contains(address) && listed.insert(address).second) missing.push_back({address});
  };
  for (const auto& e : upserts) add(e.address);
  for (const auto& r : rows) add(r.address);
  if (missing.empty()) return ok_status();
  return insert_rows(conn_, kInternNodesHead, {"text"}, missing, kInternNodesTail);
}

Status PostgresStore::write_node_samples(const std::vector<NodeHistoryRow>& rows) {
  if (rows.empty()) return ok_status();
  for (const auto& r : rows) {
    if (r.timestamp < 0 || r.timestamp >= kMaxSampleTs)
      return make_error(ErrorCode::kInvalidData, "history sample of " + r.address + " at " +
                                                     std::to_string(r.timestamp) + " is outside [0, 2^34)");
  }
  if (auto st = intern_versions(rows); !st) return st;
  // One statement cannot touch a row twice: the last sample of an (address, ts) wins.
  std::map<std::pair<std::string, int64_t>, const NodeHistoryRow*> latest;
  for (const auto& r : rows) latest[{r.address, r.timestamp}] = &r;
  std::vector<Params> params;
  params.reserve(latest.size());
  std::string slot(kRawSlotBytes, '\0');
  for (const auto& [key, row] : latest) {
    write_raw_slot(to_stored_sample(*row, versions_.at(row->version)), slot.data());
    params.push_back({row->address, int_param(row->timestamp), bytea_param(slot)});
  }
  return insert_rows(conn_, kUpsertRecentHead, kRecentTypes, params, kUpsertRecentTail);
}

// Every hour before the newest one goes from raw slots into chunks, merged with a chunk
// already there (a late sample for an hour compacted before).
Status PostgresStore::compact_finished_hours() {
  auto newest = conn_.exec(kNewestRecentTs);
  if (!newest) return newest.error();
  if (newest->is_null(0, 0)) return ok_status();
  const int64_t before = hour_of(newest->int64(0, 0)) * kHourSeconds;
  auto nodes = conn_.exec(kRecentNodeRangeBefore, {int_param(before)});
  if (!nodes) return nodes.error();
  if (nodes->is_null(0, 0)) return ok_status();
  // A batch of nodes at a time: an hour of 10,000 nodes is 600,000 raw samples.
  for (int64_t first = nodes->int64(0, 0); first <= nodes->int64(0, 1); first += kNodesPerCompactionBatch) {
    if (auto st = compact_nodes(before, first, first + kNodesPerCompactionBatch); !st) return st;
  }
  return conn_.run(kDeleteRecentBefore, {int_param(before)});
}

Status PostgresStore::compact_nodes(int64_t before, int64_t first_node, int64_t end_node) {
  const Param from = int_param(first_node), to = int_param(end_node);
  auto recent = conn_.exec(kRecentBefore, {int_param(before), from, to});
  if (!recent) return recent.error();
  if (recent->rows() == 0) return ok_status();
  // (node, hour) -> samples, sorted by ts (the query orders them).
  std::map<std::pair<int64_t, int64_t>, std::vector<StoredSample>> groups;
  for (int i = 0; i < recent->rows(); ++i) {
    StoredSample s;
    int64_t ts = recent->int64(i, 1);
    if (!read_raw_slot(recent->bytea(i, 2), 0, ts, s))
      return make_error(ErrorCode::kCorrupt, "a recent history sample at " + std::to_string(ts) + " is unreadable");
    groups[{recent->int64(i, 0), hour_of(ts)}].push_back(s);
  }
  std::set<int64_t> hours;
  for (const auto& [key, samples] : groups) hours.insert(key.second);
  std::vector<Params> chunks;
  for (int64_t hour : hours) {
    auto existing = conn_.exec(kChunksOfHour, {int_param(hour), from, to});
    if (!existing) return existing.error();
    std::unordered_map<int64_t, std::string> bodies;
    for (int i = 0; i < existing->rows(); ++i) bodies.emplace(existing->int64(i, 0), existing->bytea(i, 1));
    for (auto it = groups.lower_bound({INT64_MIN, hour}); it != groups.end(); ++it) {
      if (it->first.second != hour) continue;
      std::vector<StoredSample> merged;
      if (auto body = bodies.find(it->first.first); body != bodies.end()) {
        std::vector<StoredSample> old;
        if (auto st = decode_history_chunk(body->second, old); !st) return st;
        merged = merge_samples(std::move(old), it->second);
      } else {
        merged = std::move(it->second);
      }
      chunks.push_back({int_param(it->first.first), int_param(hour), int_param(static_cast<int64_t>(merged.size())),
                        int_param(merged.front().ts), int_param(merged.back().ts),
                        bytea_param(encode_history_chunk(merged))});
    }
  }
  return insert_rows(conn_, kUpsertChunksHead, kChunkTypes, chunks, kUpsertChunksTail);
}

// Raw samples go exactly at the cutoff, chunks by whole hours (an hour whose end is
// past the cutoff stays), the network history exactly.
Status PostgresStore::apply_retention(int64_t cutoff) {
  if (cutoff <= 0) return ok_status();
  if (auto st = conn_.run(kDeleteRecentBefore, {int_param(cutoff)}); !st) return st;
  if (auto st = conn_.run(kDeleteOldChunks, {int_param(hour_of(cutoff))}); !st) return st;
  return conn_.run(kDeleteOldNetwork, {int_param(cutoff)});
}

Result<std::optional<LeaseToken>> PostgresStore::try_acquire_lease(const std::string& holder,
                                                                   std::chrono::milliseconds ttl) {
  std::lock_guard lock(mutex_);
  auto r = conn_.exec(kAcquireLease, {holder, int_param(ttl.count())});
  if (!r) return with_context("acquiring the collector lease", r.error());
  if (r->rows() == 0) return std::optional<LeaseToken>();
  return std::optional<LeaseToken>(LeaseToken{holder, r->int64(0, 0)});
}

Result<uint64_t> PostgresStore::latest_cycle() {
  std::lock_guard lock(mutex_);
  auto r = conn_.exec("SELECT cycle FROM current_snapshot WHERE id = 1");
  if (!r) return with_context("reading the latest cycle", r.error());
  return r->rows() > 0 ? static_cast<uint64_t>(r->int64(0, 0)) : uint64_t{0};
}

Result<bool> PostgresStore::renew_lease(const LeaseToken& token, std::chrono::milliseconds ttl) {
  std::lock_guard lock(mutex_);
  auto r = conn_.exec(kRenewLease, {token.holder, int_param(token.epoch), int_param(ttl.count())});
  if (!r) return with_context("renewing the collector lease", r.error());
  return r->rows() > 0;
}

Status PostgresStore::resign_lease(const LeaseToken& token) {
  std::lock_guard lock(mutex_);
  if (auto st = conn_.run(kResignLease, {token.holder, int_param(token.epoch)}); !st)
    return with_context("resigning the collector lease", st.error());
  return ok_status();
}

Status PostgresStore::write_cycle_locked(const CycleWrite& write, const std::string& snapshot_body) {
  auto tx = Transaction::begin(conn_);
  if (!tx) return tx.error();
  if (write.fence) {
    auto held = conn_.exec(kCheckFence, {write.fence->holder, int_param(write.fence->epoch)});
    if (!held) return with_context("checking the collector lease", held.error());
    if (held->rows() == 0) {
      return make_error(ErrorCode::kNotLeader, "the collector lease of " + write.fence->holder + " (epoch " +
                                                   std::to_string(write.fence->epoch) +
                                                   ") has expired or passed to another instance; nothing written");
    }
  }
  if (write.snapshot) {
    auto st = conn_.run(kUpsertSnapshot, {int_param(static_cast<int64_t>(write.snapshot->cycle)),
                                          int_param(write.snapshot->last_updated), snapshot_body});
    if (!st) return with_context("saving the snapshot", st.error());
  }
  for (const auto& address : write.registry_deletes) {
    if (auto st = conn_.run(kDeleteRegistryRow, {address}); !st)
      return with_context("removing registry entry " + address, st.error());
  }
  if (auto st = intern_addresses(write.registry_upserts, write.nodes); !st) return with_context("saving addresses", st.error());
  {
    // One statement cannot touch a row twice: the last upsert of an address wins.
    std::map<std::string, const RegistryEntry*> latest;
    for (const auto& e : write.registry_upserts) latest[e.address] = &e;
    std::vector<Params> rows;
    rows.reserve(latest.size());
    for (const auto& [address, entry] : latest) {
      auto params = registry_params(*entry);
      if (!params) return with_context("saving registry entry " + address, params.error());
      rows.push_back(std::move(*params));
    }
    if (auto st = insert_rows(conn_, kUpsertRegistryHead, kRegistryTypes, rows, kUpsertRegistryTail); !st)
      return with_context("saving the registry", st.error());
  }
  for (const auto& missed : write.missed_network) {
    if (auto st = conn_.run(kUpsertNetwork, network_params(missed)); !st)
      return with_context("saving the network sample of " + std::to_string(missed.timestamp), st.error());
  }
  if (auto st = conn_.run(kUpsertNetwork, network_params(write.network)); !st)
    return with_context("saving the network sample", st.error());
  if (auto st = write_node_samples(write.nodes); !st) return with_context("saving node history", st.error());
  if (auto st = compact_finished_hours(); !st) return with_context("compacting node history", st.error());
  if (auto st = apply_retention(write.retention_cutoff); !st) return with_context("deleting old history", st.error());
  return tx->commit();
}

Status PostgresStore::write_cycle(const CycleWrite& write) {
  const std::string cycle = write.snapshot ? std::to_string(write.snapshot->cycle) : std::string("(no snapshot)");
  // Encode before taking the lock: the lock is held only for the writes.
  std::string body = write.snapshot ? encode_snapshot(*write.snapshot) : std::string();
  std::lock_guard lock(mutex_);
  auto st = write_cycle_locked(write, body);
  if (!st) {
    // Rolled back: ids read in the transaction may not exist.
    versions_.clear();
    return with_context("writing cycle " + cycle + " to " + conn_.description(), st.error());
  }
  remember_addresses(write.registry_upserts, write.nodes);
  return ok_status();
}

void PostgresStore::remember_addresses(const std::vector<RegistryEntry>& upserts,
                                       const std::vector<NodeHistoryRow>& rows) {
  for (const auto& e : upserts) known_addresses_.insert(e.address);
  for (const auto& r : rows) known_addresses_.insert(r.address);
}

// Through the raw table, then compacted at once: every hour but the newest ends up in
// chunks, as after cycles, and the newest stays raw, so no (node, hour) is in both.
Status PostgresStore::write_history_bulk(const std::vector<NodeHistoryRow>& rows) {
  std::lock_guard lock(mutex_);
  const std::string context =
      "writing " + std::to_string(rows.size()) + " history samples in bulk to " + conn_.description();
  Status st = [&]() -> Status {
    auto tx = Transaction::begin(conn_);
    if (!tx) return tx.error();
    if (auto written = intern_addresses({}, rows); !written) return written;
    if (auto written = write_node_samples(rows); !written) return written;
    if (auto compacted = compact_finished_hours(); !compacted) return compacted;
    return tx->commit();
  }();
  if (!st) {
    versions_.clear();
    return with_context(context, st.error());
  }
  remember_addresses({}, rows);
  return ok_status();
}

Result<LoadedState> PostgresStore::load() {
  const std::string context = "loading state from " + conn_.description();
  std::lock_guard lock(mutex_);
  // One snapshot of the database: the registry and the snapshot from the same commit.
  auto tx = Transaction::begin(conn_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!tx) return with_context(context, tx.error());
  auto registry = conn_.exec(kSelectRegistry);
  if (!registry) return with_context(context, registry.error());
  LoadedState state;
  for (int i = 0; i < registry->rows(); ++i) state.registry.entries.push_back(read_registry_entry(*registry, i));
  state.registry.reindex();
  auto stored = conn_.exec(kSelectSnapshot);
  if (!stored) return with_context(context, stored.error());
  std::optional<Snapshot> snapshot;
  if (stored->rows() > 0) {
    auto decoded = decode_snapshot(stored->text(0, 0));
    if (!decoded) return with_context(context, decoded.error());
    snapshot = std::move(*decoded);
  }
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  if (snapshot) {
    snapshot->registry = std::make_shared<const Registry>(state.registry);
    state.snapshot = std::make_shared<const Snapshot>(std::move(*snapshot));
  }
  return state;
}

Result<std::vector<NetworkHistoryRow>> PostgresStore::network_history(int64_t since, int64_t until) {
  std::lock_guard lock(mutex_);
  const std::string context = "reading network history from " + conn_.description();
  auto rows = conn_.exec(kNetworkRange, {int_param(since), int_param(until)});
  if (!rows) return with_context(context, rows.error());
  std::vector<NetworkHistoryRow> out;
  out.reserve(static_cast<size_t>(rows->rows()));
  for (int i = 0; i < rows->rows(); ++i) {
    auto parsed = read_network_row(*rows, i);
    if (!parsed) return with_context(context, parsed.error());
    out.push_back(std::move(*parsed));
  }
  return out;
}

Result<std::optional<NetworkHistoryRow>> PostgresStore::network_sample_at_or_before(int64_t at) {
  std::lock_guard lock(mutex_);
  const std::string context = "reading network history from " + conn_.description();
  auto rows = conn_.exec(kNetworkAtOrBefore, {int_param(at)});
  if (!rows) return with_context(context, rows.error());
  if (rows->rows() == 0) return std::optional<NetworkHistoryRow>();
  auto parsed = read_network_row(*rows, 0);
  if (!parsed) return with_context(context, parsed.error());
  return std::optional<NetworkHistoryRow>(std::move(*parsed));
}

Result<std::unordered_map<int64_t, std::string>> PostgresStore::version_names() {
  auto all = conn_.exec(kAllVersions);
  if (!all) return all.error();
  std::unordered_map<int64_t, std::string> names;
  for (int i = 0; i < all->rows(); ++i) names.emplace(all->int64(i, 0), all->string(i, 1));
  return names;
}

Result<std::vector<NodeHistoryRow>> PostgresStore::node_history(const std::string& address, int64_t since,
                                                                int64_t until) {
  std::lock_guard lock(mutex_);
  const std::string context = "reading history of " + address + " from " + conn_.description();
  std::vector<NodeHistoryRow> out;
  if (since > until) return out;
  // One snapshot of the database: chunks and raw samples from the same commit.
  auto tx = Transaction::begin(conn_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!tx) return with_context(context, tx.error());
  auto node = conn_.exec(kFindNode, {address});
  if (!node) return with_context(context, node.error());
  if (node->rows() == 0) return out;
  const Param node_id = int_param(node->int64(0, 0));
  auto chunks = conn_.exec(kNodeChunks, {node_id, int_param(hour_of(since)), int_param(hour_of(until))});
  if (!chunks) return with_context(context, chunks.error());
  auto recent = conn_.exec(kNodeRecent, {node_id, int_param(since), int_param(until)});
  if (!recent) return with_context(context, recent.error());
  auto names = version_names();
  if (!names) return with_context(context, names.error());
  if (auto st = tx->commit(); !st) return with_context(context, st.error());

  std::vector<StoredSample> samples;
  for (int i = 0; i < chunks->rows(); ++i) {
    if (auto st = decode_history_chunk(chunks->bytea(i, 0), samples); !st) return with_context(context, st.error());
  }
  for (int i = 0; i < recent->rows(); ++i) {
    StoredSample s;
    int64_t ts = recent->int64(i, 0);
    if (!read_raw_slot(recent->bytea(i, 1), 0, ts, s))
      return make_error(ErrorCode::kCorrupt, context + ": the sample at " + std::to_string(ts) + " is unreadable");
    samples.push_back(s);
  }
  std::stable_sort(samples.begin(), samples.end(), [](const auto& a, const auto& b) { return a.ts < b.ts; });
  for (const auto& s : samples) {
    if (s.ts < since || s.ts > until) continue;
    NodeHistoryRow row;
    row.address = address;
    auto name = names->find(s.version_id);
    if (name == names->end())
      return make_error(ErrorCode::kCorrupt, context + ": unknown version id " + std::to_string(s.version_id));
    row.version = name->second;
    fill_history_row(s, row);
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::vector<HistoryStatusRow>> PostgresStore::history_status(size_t limit) {
  std::lock_guard lock(mutex_);
  const std::string context = "reading history status from " + conn_.description();
  const int64_t capped = limit > static_cast<size_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(limit);
  auto rows = conn_.exec(kHistoryStatus, {int_param(capped)});
  if (!rows) return with_context(context, rows.error());
  std::vector<HistoryStatusRow> out;
  for (int i = 0; i < rows->rows(); ++i)
    out.push_back({rows->string(i, 0), rows->int64(i, 1), rows->int64(i, 2), rows->int64(i, 3)});
  return out;
}

Result<HistoryFootprint> PostgresStore::history_footprint() {
  std::lock_guard lock(mutex_);
  const std::string context = "measuring the history in " + conn_.description();
  auto tx = Transaction::begin(conn_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!tx) return with_context(context, tx.error());
  auto sizes = conn_.exec(kHistoryRelations);
  if (!sizes) return with_context(context, sizes.error());
  auto counts = conn_.exec(kHistorySampleCounts);
  if (!counts) return with_context(context, counts.error());
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  HistoryFootprint footprint;
  for (int i = 0; i < sizes->rows(); ++i) {
    footprint.bytes_by_table[sizes->string(i, 0)] = sizes->int64(i, 1);
    footprint.bytes += sizes->int64(i, 1);
  }
  footprint.recent_samples = counts->int64(0, 1);
  footprint.samples = counts->int64(0, 0) + footprint.recent_samples;
  return footprint;
}

Result<int64_t> PostgresStore::prune_registry(int64_t cutoff) {
  std::lock_guard lock(mutex_);
  const std::string context = "pruning the registry of " + conn_.description();
  auto tx = Transaction::begin(conn_);
  if (!tx) return with_context(context, tx.error());
  auto pruned = conn_.exec(kPruneRegistry, {int_param(cutoff)});
  if (!pruned) return with_context(context, pruned.error());
  if (auto st = conn_.run(kDeleteOrphanNodes); !st) return with_context(context, st.error());
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  known_addresses_.clear();
  return pruned->affected();
}

Result<std::vector<StoredRegistryRow>> PostgresStore::registry_rows() {
  std::lock_guard lock(mutex_);
  auto rows = conn_.exec(kSelectRegistry);
  if (!rows) return with_context("listing the registry of " + conn_.description(), rows.error());
  std::vector<StoredRegistryRow> out;
  for (int i = 0; i < rows->rows(); ++i)
    out.push_back(StoredRegistryRow{rows->int64(i, kRegistryIdColumn), read_registry_entry(*rows, i)});
  return out;
}

Result<int64_t> PostgresStore::delete_registry_rows(const std::vector<RegistryRowMatch>& rows) {
  std::lock_guard lock(mutex_);
  const std::string context = "deleting registry rows of " + conn_.description();
  auto tx = Transaction::begin(conn_);
  if (!tx) return with_context(context, tx.error());
  int64_t deleted = 0;
  for (const auto& row : rows) {
    auto r = conn_.exec(kDeleteMatchingRegistryRow,
                        {row.address, row.pubkey, int_param(row.last_seen), int_param(row.last_checked)});
    if (!r) return with_context(context + " (" + row.address + ")", r.error());
    deleted += r->affected();
  }
  if (auto st = conn_.run(kDeleteOrphanNodes); !st) return with_context(context, st.error());
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  known_addresses_.clear();
  return deleted;
}

}  // namespace

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& conninfo) {
  auto conn = Connection::open(conninfo);
  if (!conn) return conn.error();
  if (auto st = migrate(*conn); !st) return st.error();
  return std::unique_ptr<Store>(std::make_unique<PostgresStore>(std::move(*conn)));
}

}  // namespace pnode::store::postgres
