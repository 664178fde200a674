// Internal to the SQLite backend of Store (sqlite_store*.cc): the SqliteStore class and
// its connections, shared by the files it is split over and included by nothing else.
// The backend's public face is sqlite_store.h.
//
// The files by concern:
//   sqlite_store.cc           opening, the reader pool, the cycle and bulk writes, and the
//                             row <-> value conversions
//   sqlite_store_reads.cc     load() and the history queries
//   sqlite_store_events.cc    the event outbox: insert_event_rows (in the writer's
//                             transaction), write_events, read_events
//   sqlite_store_alerts.cc    the alert lifecycle's state: the monitor state (in the
//                             writer's transaction), silences and acknowledgements
//   sqlite_store_subscriptions.cc  notification subscriptions added through the API
//   sqlite_store_probes.cc    probe history, availability sessions, credits history
//   sqlite_store_registry.cc  registry maintenance: registry_rows, delete_registry_rows,
//                             prune_registry and the orphaned addresses they leave
//
// Everything here is in the named namespace (not an anonymous one) so the files can be
// compiled together in a unity batch; keep the names distinctive.
// Thread-safety: as sqlite_store.h says, every Store method may be called from any
// thread: writes take write_mutex_ (which guards the Writer), reads lease a Reader from
// the pool (guarded by readers_mutex_) and use it alone. read_registry_entry() and
// read_network_row() only read the row the caller's statement is on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sqlite/db.h"
#include "store/sqlite/node_history_tables.h"
#include "store/snapshot_delta.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "util/result.h"

namespace pnode::store::sqlite {

// ---- row conversions (sqlite_store.cc) ---------------------------------------------------

// Reads the columns of kSelectRegistry (and of kSelectRegistryRows, which starts with
// the same ones) from the row `s` is on.
model::RegistryEntry read_registry_entry(const Statement& s);
// Reads the columns of the network_history selects from the row `s` is on.
Result<NetworkHistoryRow> read_network_row(const Statement& s);

// ---- the event outbox (sqlite_store_events.cc) --------------------------------------------

// Inside the caller's transaction: the events (ids already stored are skipped), then the
// deletion of events older than `retention_cutoff` (0: none).
Status insert_event_rows(Database& db, const std::vector<EventRecord>& events, int64_t retention_cutoff);

// ---- the alert lifecycle (sqlite_store_alerts.cc) ----------------------------------------

// Inside the caller's transaction: replaces the stored monitor state.
Status save_monitor_state(Database& db, const std::string& body);
// The stored monitor state, empty when none (inside the caller's read transaction).
Result<std::string> read_monitor_state(Database& db);

// ---- connections -----------------------------------------------------------------------

struct Writer {
  Database db;
  Statement upsert_snapshot, upsert_snapshot_delta, delete_snapshot_delta, stored_base_cycle, insert_node, find_node, upsert_registry, delete_registry_row, insert_network, delete_old_network,
      prune_registry, orphan_nodes, delete_node, delete_node_count;
  HistoryWriter history;
  SnapshotEncoder snapshots;  // the base the next cycles' snapshots are written against
  // Every address in `nodes`, so the hot path never asks SQLite for an id it knows.
  std::unordered_map<std::string, int64_t> node_ids;
};

struct Reader {
  Database db;
  Statement select_registry, select_snapshot, network_range, network_at;
  HistoryReader history;
};

class SqliteStore final : public Store {
 public:
  // A non-empty `read_only_reason` makes a store without a writer (`writer` unused).
  SqliteStore(std::string path, SqliteOptions options, Writer writer, std::string read_only_reason = {})
      : path_(std::move(path)), options_(options), writer_(std::move(writer)),
        read_only_reason_(std::move(read_only_reason)) {}

  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, const SqliteOptions& options);
  // The store over a database whose integrity check found `problems`: readers only.
  static Result<std::unique_ptr<SqliteStore>> open_read_only(const std::string& path, const SqliteOptions& options,
                                                             const std::string& problems);

  Status write_cycle(const CycleWrite& write) override;
  Result<LoadedState> load() override;
  Result<std::vector<NetworkHistoryRow>> network_history(int64_t since, int64_t until) override;
  Result<std::optional<NetworkHistoryRow>> network_sample_at_or_before(int64_t at) override;
  Result<NodeHistory> node_history(const std::string& address, int64_t since, int64_t until) override;
  Result<std::vector<HistoryStatusRow>> history_status(size_t limit) override;
  Status write_history_bulk(const std::vector<NodeHistoryRow>& rows) override;
  Result<HistoryFootprint> history_footprint() override;
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
  Result<int64_t> prune_registry(int64_t cutoff) override;
  Result<std::vector<StoredRegistryRow>> registry_rows() override;
  Result<int64_t> delete_registry_rows(const std::vector<RegistryRowMatch>& rows) override;
  Status write_probe_round(const ProbeRoundWrite& write) override;
  Result<std::vector<ProbeRecord>> probe_history(const std::string& address, int64_t since, int64_t until,
                                                 size_t limit) override;
  Result<std::vector<model::AvailabilitySession>> availability_sessions(const std::string& address,
                                                                        int64_t ended_after) override;
  Status write_credits(const std::vector<CreditRecord>& rows, int64_t retention_cutoff,
                       const std::optional<LeaseToken>& fence) override;
  Result<std::vector<CreditRecord>> credits_history(const std::string& pubkey, int64_t since, int64_t until,
                                                    size_t limit) override;
  std::string read_only_reason() const override { return read_only_reason_; }
  void release_memory() override;

 private:
  // A reader taken from the pool; goes back when the lease ends.
  class ReaderLease {
   public:
    ReaderLease(SqliteStore* store, std::unique_ptr<Reader> reader) : store_(store), reader_(std::move(reader)) {}
    ReaderLease(ReaderLease&& other) noexcept = default;
    ~ReaderLease() {
      if (reader_) store_->return_reader(std::move(reader_));
    }
    Reader& operator*() { return *reader_; }
    Reader* operator->() { return reader_.get(); }

   private:
    SqliteStore* store_;
    std::unique_ptr<Reader> reader_;
  };

  static constexpr size_t kMaxIdleReaders = 4;

  Result<ReaderLease> take_reader();
  void return_reader(std::unique_ptr<Reader> reader);
  Result<std::unique_ptr<Reader>> open_reader();

  using PendingIds = std::unordered_map<std::string, int64_t>;
  Status write_cycle_locked(const CycleWrite& write, EncodedSnapshot& snapshot, PendingIds& pending);
  // As a delta when `snapshot` is one and the stored base is still the one it was made
  // against; in full otherwise (re-encoding `snapshot`).
  Status write_snapshot(const model::Snapshot& snapshot, EncodedSnapshot& encoded);
  Result<int64_t> intern(const std::string& address, PendingIds& pending);
  Status upsert_registry(const model::RegistryEntry& e, PendingIds& pending);
  Status insert_network(const NetworkHistoryRow& row);
  // The rows as interned samples (addresses and versions get ids, pending until commit).
  Result<std::vector<NodeSample>> to_samples(const std::vector<NodeHistoryRow>& rows, PendingIds& pending);
  // Inside the caller's transaction: deletes the addresses nothing refers to any more
  // and appends them to `removed` (the caller drops them from node_ids after commit).
  Status delete_orphan_nodes(std::vector<std::string>& removed);
  // Kind "read_only" naming `what` when the store has no writer; ok otherwise.
  Status refuse_if_read_only(const std::string& what) const;

  std::string path_;
  SqliteOptions options_;
  std::mutex write_mutex_;  // guards writer_
  Writer writer_;
  std::mutex readers_mutex_;  // guards idle_readers_
  std::vector<std::unique_ptr<Reader>> idle_readers_;
  const std::string read_only_reason_;  // empty: writable
};

}  // namespace pnode::store::sqlite
