// Internal to store/postgres/: the PostgreSQL Store's class, shared by postgres_store.cc
// (writes, the lease, the registry, the outbox), postgres_store_reads.cc (the history
// reads the API routes make), postgres_store_alerts.cc (the alert lifecycle's state),
// postgres_store_subscriptions.cc (notification subscriptions added through the API) and
// postgres_store_probes.cc (probe, availability and credits history). Include only from
// those files; everyone else opens the store through postgres_store.h.
// Thread-safety: as Store (store.h): writes hold mutex_, history reads hold read_mutex_
// on a connection of their own.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>
#include "store/history_codec.h"
#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_events.h"
#include "store/postgres/pg_listener.h"
#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_schema.h"
#include "store/postgres/pg_statements.h"
#include "store/snapshot_codec.h"

#include "store/store.h"

namespace pnode::store::postgres::impl {

using model::Registry;
using model::RegistryEntry;
using model::Snapshot;

constexpr int64_t kHourSeconds = 3600;
// Nodes whose finished hour is compacted in one read (~120,000 raw samples).
constexpr int64_t kNodesPerCompactionBatch = 2000;
// A cycle compacts the finished hour of a slice of the nodes: a twentieth of them, at
// least 500, so the first twenty minutes of an hour share the work instead of its first
// cycle reading the whole hour back (600,000 raw samples at 10,000 nodes).
constexpr int64_t kSpreadOverCycles = 20;
constexpr int64_t kMinNodesPerSlice = 500;
// Node sample timestamps must lie in [0, 2^34) (store.h), as on SQLite.
constexpr int64_t kMaxSampleTs = int64_t{1} << 34;

inline int64_t hour_of(int64_t ts) { return ts >= 0 ? ts / kHourSeconds : -((-ts + kHourSeconds - 1) / kHourSeconds); }

// Where the cycles' compaction of the hours before `before` stands.
struct CompactionPass {
  int64_t before = 0;      // the newest hour's start: raw samples before it are compacted
  int64_t next_node = 0;   // the first node id this pass has not compacted yet
  int64_t last_node = -1;  // the highest node id with such samples when the pass began
  int64_t slice = 0;       // node ids a cycle compacts
  bool late = false;       // a write since the pass began added samples before `before`
  bool done() const { return next_node > last_node; }
};

// A stored sample with the node it belongs to.
struct NodeSample {
  int64_t node_id = 0;
  StoredSample sample;
};

// The oldest timestamp of `rows` (INT64_MAX for none).
inline int64_t oldest_timestamp(const std::vector<NodeHistoryRow>& rows) {
  int64_t oldest = INT64_MAX;
  for (const auto& r : rows) oldest = std::min(oldest, r.timestamp);
  return oldest;
}

// Merges `newer` into `older` (both sorted by ts; `newer` wins at an equal ts).
inline std::vector<StoredSample> merge_samples(std::vector<StoredSample> older, const std::vector<StoredSample>& newer) {
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

// Inside the caller's transaction: replaces the stored monitor state
// (postgres_store_alerts.cc).
Status save_monitor_state(Connection& conn, const std::string& body);
// The stored monitor state, empty when none.
Result<std::string> read_monitor_state(Connection& conn);

// ---- the store -------------------------------------------------------------------------

class PostgresStore final : public Store {
 public:
  PostgresStore(Connection conn, Connection read_conn, std::string conninfo)
      : read_conn_(std::move(read_conn)), conn_(std::move(conn)), conninfo_(std::move(conninfo)) {}

  Status write_cycle(const CycleWrite& write) override;
  Status write_history_bulk(const std::vector<NodeHistoryRow>& rows) override;
  Result<LoadedState> load() override;
  Result<std::vector<NetworkHistoryRow>> network_history(int64_t since, int64_t until) override;
  Result<std::optional<NetworkHistoryRow>> network_sample_at_or_before(int64_t at) override;
  Result<NodeHistory> node_history(const std::string& address, int64_t since, int64_t until) override;
  Result<std::vector<HistoryStatusRow>> history_status(size_t limit) override;
  Result<HistoryFootprint> history_footprint() override;
  Result<int64_t> prune_registry(int64_t cutoff) override;
  Result<std::vector<StoredRegistryRow>> registry_rows() override;
  Result<int64_t> delete_registry_rows(const std::vector<RegistryRowMatch>& rows) override;
  Result<std::optional<LeaseToken>> try_acquire_lease(const std::string& holder, std::chrono::milliseconds ttl) override;
  Result<bool> renew_lease(const LeaseToken& token, std::chrono::milliseconds ttl) override;
  Status resign_lease(const LeaseToken& token) override;
  Result<uint64_t> latest_cycle() override;
  Status write_events(const std::vector<EventRecord>& events) override;
  Result<std::vector<StoredEvent>> read_events(const EventQuery& query) override;
  Result<int64_t> last_event_seq() override;
  Result<int64_t> event_cursor(const std::string& name) override;
  Status save_event_cursor(const std::string& name, int64_t seq) override;
  Status write_attempt_events(const std::vector<EventRecord>& events, const std::string& monitor_state) override;
  Result<std::string> monitor_state() override;
  Result<SilenceRecord> add_silence(const SilenceRecord& silence, int64_t now, size_t max_active) override;
  Result<std::vector<SilenceRecord>> silences(int64_t ended_after) override;
  Result<bool> remove_silence(const std::string& id) override;
  Status record_ack(const AckRecord& ack, size_t max_kept) override;
  Result<std::vector<AckRecord>> acks() override;
  Result<SubscriptionRecord> add_subscription(const SubscriptionRecord& subscription, int64_t now,
                                              size_t max_count) override;
  Result<std::vector<SubscriptionRecord>> subscriptions() override;
  Result<bool> remove_subscription(const std::string& id) override;
  Status write_probe_round(const ProbeRoundWrite& write) override;
  Result<std::vector<ProbeRecord>> probe_history(const std::string& address, int64_t since, int64_t until,
                                                 size_t limit) override;
  Result<std::vector<model::AvailabilitySession>> availability_sessions(const std::string& address,
                                                                        int64_t ended_after) override;
  Status write_credits(const std::vector<CreditRecord>& rows, int64_t retention_cutoff,
                       const std::optional<LeaseToken>& fence) override;
  Result<std::vector<CreditRecord>> credits_history(const std::string& pubkey, int64_t since, int64_t until,
                                                    size_t limit) override;
  std::unique_ptr<CycleWatch> watch_cycles() override { return std::make_unique<CycleListener>(conninfo_); }

 private:
  // As a delta when `encoded` is one and the stored base is still the one it was made
  // against; in full otherwise (re-encoding `snapshot`).
  Status write_snapshot(const model::Snapshot& snapshot, EncodedSnapshot& encoded);
  // The snapshot of a kSelectSnapshot row, through loaded_base_.
  Result<Snapshot> decode_loaded_snapshot(const PgResult& stored);
  Status write_cycle_locked(const CycleWrite& write, EncodedSnapshot& snapshot,
                            std::optional<CompactionPass>& compaction);
  // Makes sure every address of `upserts` and `rows` is in `nodes` and its id known
  // (node_id()); ids learnt in the open transaction count once it commits (keep_node_ids).
  Status intern_addresses(const std::vector<RegistryEntry>& upserts, const std::vector<NodeHistoryRow>& rows);
  // An address's id, after intern_addresses() in the same transaction.
  int64_t node_id(const std::string& address) const;
  // After a commit: the ids learnt in it stay; after a rollback they are forgotten.
  void keep_node_ids(bool committed);
  Status write_node_samples(const std::vector<NodeHistoryRow>& rows);
  // Compacts one slice of the finished hours' nodes (`all`: every slice); `pass` says
  // where the previous step stopped and is advanced.
  // `oldest_written`: the oldest timestamp of the samples the open transaction wrote.
  Status compact_finished_hours(std::optional<CompactionPass>& pass, bool all, int64_t oldest_written);
  // Compacts the raw samples before `before` of the nodes with ids in [first_node, end_node)
  // and deletes them.
  Status compact_slice(int64_t before, int64_t first_node, int64_t end_node);
  // Compacts those samples at `timestamps` (a bigint[] literal: the distinct timestamps
  // before `before`).
  Status compact_nodes(const std::string& timestamps, int64_t first_node, int64_t end_node);
  Status apply_retention(int64_t cutoff);
  // Version ids of `rows`' versions, interning new ones (reloads versions_ in the open
  // transaction; a rollback clears it).
  Status intern_versions(const std::vector<NodeHistoryRow>& rows);
  // In a write's transaction (mutex_ held): refused (not_leader) unless `fence` still
  // holds the collector lease; no fence (the only instance) always passes.
  Status check_fence(const std::optional<LeaseToken>& fence);
  Status load_versions();
  static Result<std::unordered_map<int64_t, std::string>> version_names(Connection& conn);
  // A version id's name for a history read, reloading the names once a read on a miss.
  Result<const std::string*> read_version_name(int64_t version_id, bool& reloaded);

  // The history reads (API routes) have a connection of their own, so they never wait
  // behind a cycle's write transaction.
  std::mutex read_mutex_;  // guards read_conn_ and read_versions_
  Connection read_conn_;
  std::unordered_map<int64_t, std::string> read_versions_;  // version id -> name, reloaded on a miss
  std::mutex mutex_;  // guards everything below
  Connection conn_;
  const std::string conninfo_;  // for the listeners of watch_cycles()
  std::unordered_map<std::string, int64_t> versions_;  // version -> id, as committed
  SnapshotEncoder snapshots_;  // the base the next cycles' snapshots are written against
  // The base load() decoded last, so that a follower, which loads every cycle, decodes
  // only the delta while the base stays; dropped when this store writes a cycle (a leader
  // has no use for it).
  struct LoadedBase {
    int64_t cycle = -1, last_updated = 0;
    std::shared_ptr<const Snapshot> snapshot;
  };
  LoadedBase loaded_base_;
  // Addresses known to be in `nodes` with their ids (committed), valid while
  // nodes_generation (schema version 8) stays at nodes_generation_; what the open
  // transaction learnt is in new_node_ids_ and new_nodes_generation_ until it ends.
  std::unordered_map<std::string, int64_t> node_ids_;
  int64_t nodes_generation_ = -1;
  std::unordered_map<std::string, int64_t> new_node_ids_;
  int64_t new_nodes_generation_ = -1;
  std::optional<CompactionPass> compaction_;  // as committed
};

}  // namespace pnode::store::postgres::impl
