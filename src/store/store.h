// Store: persistence of what the collector learns (the reference's five collections:
// current snapshot, registry, status, network history, per-node history), reached only
// through this interface. open_store() picks the backend from DATABASE_URL
// ("sqlite:///absolute/path.db" or "postgres://user:pass@host:port/db").
// Thread-safety: implementations serialise writes internally (one writer) and allow
// concurrent readers; every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/availability.h"
#include "model/history.h"
#include "model/snapshot.h"
#include "util/result.h"

namespace pnode::store {

using model::NetworkHistoryRow;
using model::NodeHistory;
using model::NodeHistoryRow;
using model::NodeHistorySample;

// Who may write cycles when several instances share one store: the lease holder's name
// and the epoch the store gave it when it acquired the lease (a fencing token: it grows
// with every new holder, so a paused old leader's write carries a stale epoch).
struct LeaseToken {
  std::string holder;
  int64_t epoch = 0;
  bool operator==(const LeaseToken&) const = default;
};

// One event as the outbox keeps it (docs/events.md). The store does not read `body` (the
// event's JSON, analysis/events.h); it files the event under the other fields.
struct EventRecord {
  std::string id;  // unique: a second write of the same id is ignored
  std::string type;
  int64_t time = 0;
  uint64_t cycle = 0;
  std::string address;  // empty for network events
  std::string pubkey;   // empty when unknown, and for network events
  std::string body;
  bool operator==(const EventRecord&) const = default;
};
// A stored event with its sequence number: it grows with every event written, so it is
// the readers' cursor.
struct StoredEvent {
  int64_t seq = 0;
  EventRecord event;
  bool operator==(const StoredEvent&) const = default;
};
// Which events read_events() returns: those matching every filter given, with seq > after
// and time >= since, oldest first, at most `limit`.
struct EventQuery {
  std::optional<std::string> address, pubkey, type;
  int64_t since = 0;
  int64_t after = 0;
  size_t limit = 100;
};

// Everything one cycle writes, committed in one transaction.
struct CycleWrite {
  std::shared_ptr<const model::Snapshot> snapshot;  // becomes the current snapshot
  // Registry entries that changed this cycle (seen, dropped, or counters moved).
  std::vector<model::RegistryEntry> registry_upserts;
  // Addresses whose registry rows go (the node moved to another address, or the entry was
  // evicted to keep the cap); their history stays. Applied before the upserts.
  std::vector<std::string> registry_deletes;
  NetworkHistoryRow network;
  // Network samples of earlier cycles whose write failed, oldest first: written with
  // `network` (which wins at an equal timestamp), so a recovered store misses none.
  std::vector<NetworkHistoryRow> missed_network;
  std::vector<NodeHistoryRow> nodes;
  // The events of the cycle (and of the attempts before it), in order; written to the
  // outbox, skipping ids already there.
  std::vector<EventRecord> events;
  int64_t retention_cutoff = 0;  // history and events older than this (unix s) are deleted; 0 = keep
  // The collector's alert and seed states after this cycle (analysis/monitor_state_codec.h;
  // the store does not read it): replaces the stored one. Unset keeps the stored one.
  std::optional<std::string> monitor_state;
  // When set, a store with a lease commits the write only while this token still holds it
  // (checked in the same transaction); otherwise it fails with kNotLeader and writes
  // nothing. A store without a lease (one process) has nothing to check it against.
  std::optional<LeaseToken> fence;
};

// What a follower learns when the leader commits a cycle: the cycle's number and the
// lease epoch it was written under. A notice, never the data: the follower loads that.
struct CycleNotice {
  uint64_t cycle = 0;
  int64_t epoch = 0;
  bool operator==(const CycleNotice&) const = default;
};

// Word of committed cycles, for followers (Store::watch_cycles()), so they need not poll
// the store often. Notices may be lost (a watch that was disconnected hears nothing of
// what was committed meanwhile): kResumed says so, and the caller then reads
// latest_cycle() at once; a caller also reads it every few seconds whatever it heard.
// Thread-safety: wait() from one thread at a time; interrupt() from any thread.
class CycleWatch {
 public:
  enum class Wake {
    kCycle,        // a cycle was committed: `notice` is the newest one heard
    kResumed,      // (re)connected: notices may have been missed, look at the store now
    kLost,         // the connection failed or was lost (`error` says how); retried with backoff
    kTimeout,      // nothing within the timeout
    kInterrupted,  // interrupt() was called
  };
  struct Event {
    Event() = default;
    Event(Wake w, CycleNotice n = {}, std::string e = {}) : wake(w), notice(n), error(std::move(e)) {}
    Wake wake = Wake::kTimeout;
    CycleNotice notice;
    std::string error;
  };
  virtual ~CycleWatch() = default;
  // Waits up to `timeout` for word of a committed cycle.
  virtual Event wait(std::chrono::milliseconds timeout) = 0;
  // Makes the wait in progress, or else the next one, return kInterrupted at once.
  virtual void interrupt() = 0;
};

// What a restarted server needs to answer at once. `snapshot->views` is null: the
// caller derives them (the store does not depend on analysis/).
struct LoadedState {
  std::shared_ptr<const model::Snapshot> snapshot;  // registry filled in, may be null
  model::Registry registry;
  std::string monitor_state;  // the latest CycleWrite::monitor_state; empty when none
};

// A silence of alerts (analysis/alert_lifecycle.h, docs/events.md) as the store keeps it;
// the store does not interpret the matchers. Ids ("s<n>") are the store's, never reused.
struct SilenceRecord {
  std::string id;
  std::optional<std::string> address, pubkey, rule;
  int64_t starts_at = 0, ends_at = 0, created_at = 0;
  std::string comment, author;
  bool operator==(const SilenceRecord&) const = default;
};
// An acknowledgement of one firing of one alert: (rule, address, firing_since) names it,
// so an acknowledgement of an alert that since resolved matches nothing.
struct AckRecord {
  std::string rule, address;
  int64_t firing_since = 0;
  std::string author, comment;
  int64_t at = 0;
  bool operator==(const AckRecord&) const = default;
};
// Silences that ended longer ago than this are deleted when a silence is added.
inline constexpr int64_t kExpiredSilenceRetentionSeconds = 7 * 86400;

// A notification subscription added through the API (docs/notifications.md) as the store
// keeps it: its name (unique among them) and its settings as the API took them (`spec`,
// JSON the app reads; the store does not interpret it, and it holds the channel's
// secrets). Ids ("api-<n>") are the store's, never reused, so they outlive restarts.
// `starts_after` is the outbox's newest sequence number when it was added: the
// subscription is told only of the events after it.
struct SubscriptionRecord {
  std::string id;
  std::string name;
  std::string spec;
  int64_t created_at = 0;
  int64_t starts_after = 0;
  bool operator==(const SubscriptionRecord&) const = default;
};

// One pod's probe as probe history keeps it (compact: no get-stats fields).
struct ProbeRecord {
  std::string address;
  int64_t at = 0;  // unix s
  bool reachable = false;
  std::string failure;  // the typed failure (model/probe.h); empty when reachable
  double connect_ms = 0, total_ms = 0;  // kept to the tenth of a millisecond
  bool operator==(const ProbeRecord&) const = default;
};

// What one finished probe round writes, in one transaction: its probes, the availability
// sessions it changed (stored by (address, started_at): a session written again replaces
// the stored one), and the retention cutoffs.
struct ProbeRoundWrite {
  std::vector<ProbeRecord> probes;
  std::vector<model::AvailabilitySession> sessions;
  int64_t probe_cutoff = 0;    // probes older than this (unix s) are deleted; 0 = keep
  int64_t session_cutoff = 0;  // sessions that ended before this are deleted; 0 = keep
  // The collector lease it is written under (several instances; CycleWrite::fence): a
  // paused old leader's late round is refused and nothing of it is written.
  std::optional<LeaseToken> fence;
};

// A pod's credits as one poll of the credits sources saw them.
struct CreditRecord {
  std::string pubkey;
  int64_t at = 0;  // unix s
  double credits = 0;
  std::string network;  // "mainnet", "devnet" or "both" (analysis/credits.h)
  bool operator==(const CreditRecord&) const = default;
};

// A registry row with the id the store gave its address (ids grow in order of first
// sighting), for maintenance tools that need a deterministic tie-break.
struct StoredRegistryRow {
  int64_t node_id = 0;
  model::RegistryEntry entry;
};

// A registry row that delete_registry_rows() may remove: the row of `address` goes only
// if its pubkey, last_seen and last_checked are still these values, so a row a running
// collector has touched since it was read is kept.
struct RegistryRowMatch {
  std::string address;
  std::string pubkey;
  int64_t last_seen = 0;
  int64_t last_checked = 0;
};

struct HistoryStatusRow {
  std::string address;
  int64_t snapshots = 0;
  int64_t first_seen = 0;
  int64_t last_seen = 0;
};

// What per-node history costs on disk (Store::history_footprint()).
struct HistoryFootprint {
  int64_t bytes = 0;           // pages of the per-node history tables and their indexes
  int64_t samples = 0;         // node samples they hold
  int64_t recent_samples = 0;  // of which not yet compacted (the newest hour)
  std::map<std::string, int64_t> bytes_by_table;  // table or index name -> bytes

  double bytes_per_sample() const { return samples > 0 ? static_cast<double>(bytes) / static_cast<double>(samples) : 0; }
};

// How thoroughly open_store() checks a database file before using it. quick_check reads
// every page and checks its structure (not that indexes match their tables); measured on
// a 1.1 GB database in docs/storage.md.
enum class IntegrityCheck { kQuick, kFull, kOff };
// What open_store() does with a database that fails the check: refuse it (kind
// "corrupt"), or open it read-only so what it holds can still be served.
enum class OnCorrupt { kRefuse, kReadOnly };

struct OpenOptions {
  IntegrityCheck integrity_check = IntegrityCheck::kQuick;
  OnCorrupt on_corrupt = OnCorrupt::kRefuse;
  // Caps the database at this many pages (0: no cap); a write past it fails as a full
  // disk would. A diagnostic, for testing disk-full handling without a small disk.
  int64_t max_page_count = 0;
};

// Errors are values (never exceptions) whose message names the file and what failed,
// e.g. "writing cycle 12 to /var/lib/pnode.db: saving history of 1.2.3.4:9001: database
// or disk is full". Kinds: "disk_full", "io_error", "busy", "constraint", "corrupt",
// "read_only", "cannot_open", "schema_too_new", "invalid_data", "database_error".
// Destroy a Store only when no call on it is in flight.
class Store {
 public:
  virtual ~Store() = default;

  // All or nothing: on error nothing of this cycle is stored and the previous cycle is
  // intact. A null `snapshot` keeps the stored one; `network` is always written. A
  // network sample at a stored timestamp, or a node sample at a stored (address,
  // timestamp), replaces it. History scores are kept to the hundredth; NaN doubles come
  // back as NaN. Node sample timestamps must lie in [0, 2^34). Retention
  // (`retention_cutoff`) deletes compacted node history by whole hours, a slice a cycle:
  // samples up to about an hour older than the cutoff may remain.
  virtual Status write_cycle(const CycleWrite& write) = 0;
  // Registry sorted by address and reindex()ed; the snapshot (null on a fresh database)
  // has `registry` pointing to a copy of it. Both come from the same commit. The stored
  // snapshot's sightings are re-applied to the rows (model/registry_sighting.h): the
  // collector does not rewrite a row only its sighting changed.
  virtual Result<LoadedState> load() = 0;

  // Node samples written at once, outside any cycle (imports, benchmarks that simulate
  // weeks of history): the same result as writing them in cycles, but encoded straight
  // into compacted storage, in one transaction. A sample at a stored (address,
  // timestamp) replaces it; rows need not be sorted. Registry, snapshot and network
  // history are untouched. The default fails with kind "not_implemented".
  virtual Status write_history_bulk(const std::vector<NodeHistoryRow>& rows);

  // Events of an attempt that writes no cycle (an inconclusive one), in one transaction,
  // skipping ids already stored. The default fails with kind "not_implemented".
  virtual Status write_events(const std::vector<EventRecord>& events);
  // write_events() with the collector's states after the attempt (CycleWrite::monitor_state)
  // in the same transaction. The default writes the events alone.
  virtual Status write_attempt_events(const std::vector<EventRecord>& events, const std::string& monitor_state);
  // The outbox, as EventQuery says. The default fails with kind "not_implemented".
  virtual Result<std::vector<StoredEvent>> read_events(const EventQuery& query);
  // The sequence number of the newest stored event (0 when there is none). The default
  // fails with kind "not_implemented".
  virtual Result<int64_t> last_event_seq();
  // A named reader's position in the outbox (0 when it has none), e.g. the NATS relay's:
  // the last event it handed on. The defaults fail with kind "not_implemented".
  virtual Result<int64_t> event_cursor(const std::string& name);
  virtual Status save_event_cursor(const std::string& name, int64_t seq);

  // Samples with since <= timestamp <= until, oldest first.
  virtual Result<std::vector<NetworkHistoryRow>> network_history(int64_t since, int64_t until) = 0;
  // The newest network sample with timestamp <= at, if any.
  virtual Result<std::optional<NetworkHistoryRow>> network_sample_at_or_before(int64_t at) = 0;
  // One node's samples with since <= timestamp <= until, oldest first, under `address`
  // (history.address); an unknown address gives no samples.
  virtual Result<NodeHistory> node_history(const std::string& address, int64_t since, int64_t until) = 0;
  // Per address with history: sample count, first and last timestamp; sorted by count
  // descending then address; at most `limit` rows (SIZE_MAX for all).
  virtual Result<std::vector<HistoryStatusRow>> history_status(size_t limit) = 0;
  // Bytes on disk and samples of per-node history (the network history is not counted).
  // Reads every history page: a maintenance call, not for a request path. The default
  // fails with kind "not_implemented".
  virtual Result<HistoryFootprint> history_footprint();

  // Deletes registry (and status) entries whose last_seen < cutoff and that are not in
  // gossip (RegistryEntry::in_gossip); returns how many.
  // History is kept. Only the database changes: a caller holding a registry in memory
  // drops the same entries itself.
  virtual Result<int64_t> prune_registry(int64_t cutoff) = 0;

  // Maintenance (the dedupe command). The default implementations fail with kind
  // "not_implemented", so a backend without them still builds.
  // Every registry row with its id, sorted by address.
  virtual Result<std::vector<StoredRegistryRow>> registry_rows();
  // Deletes, in one transaction, the registry rows that still match; rows that changed
  // or vanished are skipped. Returns how many were deleted. Like prune_registry(),
  // history is kept and only the database changes.
  virtual Result<int64_t> delete_registry_rows(const std::vector<RegistryRowMatch>& rows);

  // The alert lifecycle's shared state (docs/events.md), so every instance serves and
  // applies the same. The defaults fail with kind "not_implemented".
  // The stored monitor state (CycleWrite::monitor_state), empty when none.
  virtual Result<std::string> monitor_state();
  // Adds a silence (validated by the caller), giving it the next id; deletes silences
  // that ended over kExpiredSilenceRetentionSeconds before `now`. Kind "too_large" when
  // `max_active` silences have not ended at `now`. Returns the stored silence.
  virtual Result<SilenceRecord> add_silence(const SilenceRecord& silence, int64_t now, size_t max_active);
  // Silences with ends_at > ended_after, in id order.
  virtual Result<std::vector<SilenceRecord>> silences(int64_t ended_after);
  // False when there is no silence with that id.
  virtual Result<bool> remove_silence(const std::string& id);
  // Records an acknowledgement (a second one of the same firing replaces it), keeping
  // the newest `max_kept` by time.
  virtual Status record_ack(const AckRecord& ack, size_t max_kept);
  // Every kept acknowledgement.
  virtual Result<std::vector<AckRecord>> acks();

  // Notification subscriptions added through the API, shared by every instance. The
  // defaults fail with kind "not_implemented".
  // Adds one (validated by the caller) with the next id, created_at = `now` and
  // starts_after = the outbox's newest sequence number, in one transaction. Kind
  // "too_large" when `max_count` are stored, "constraint" when the name is taken.
  virtual Result<SubscriptionRecord> add_subscription(const SubscriptionRecord& subscription, int64_t now,
                                                      size_t max_count);
  // Every one, in id order.
  virtual Result<std::vector<SubscriptionRecord>> subscriptions();
  // False when there is none with that id.
  virtual Result<bool> remove_subscription(const std::string& id);

  // Probe history and availability (analysis/availability.h; docs/storage.md). The
  // defaults fail with kind "not_implemented".
  // One probe round's rows, all or nothing; a probe at a stored (address, at) replaces it.
  virtual Status write_probe_round(const ProbeRoundWrite& write);
  // One pod's probes with since <= at <= until, oldest first, at most `limit` (the newest).
  virtual Result<std::vector<ProbeRecord>> probe_history(const std::string& address, int64_t since, int64_t until,
                                                         size_t limit);
  // Sessions still open or ended at or after `ended_after`, oldest first: one pod's, or
  // every pod's when `address` is empty (a restart restores them).
  virtual Result<std::vector<model::AvailabilitySession>> availability_sessions(const std::string& address,
                                                                                int64_t ended_after);
  // Credits history: rows (a row at a stored (pubkey, at) replaces it) and retention, in
  // one transaction.
  // `fence` as in CycleWrite: a write under a lease no longer held is refused (not_leader).
  virtual Status write_credits(const std::vector<CreditRecord>& rows, int64_t retention_cutoff,
                               const std::optional<LeaseToken>& fence);
  // One pubkey's rows with since <= at <= until, oldest first, at most `limit` (the newest).
  virtual Result<std::vector<CreditRecord>> credits_history(const std::string& pubkey, int64_t since, int64_t until,
                                                            size_t limit);

  // Empty when the store takes writes; otherwise why it was opened read-only (e.g. "the
  // database failed its integrity check (quick_check: ...)", naming no file), and every
  // write fails with kind "read_only".
  virtual std::string read_only_reason() const { return {}; }

  // Frees what the store caches in memory and can read again (SQLite's page caches, ~8 MB
  // at 10k pods): the server calls it after each cycle, with its heap trim, so resident
  // memory between cycles is live data. The default holds no such cache.
  virtual void release_memory() {}

  // The cycle of the stored snapshot (0 when there is none): followers poll it to see that
  // the leader committed a new cycle. The default reads it through load().
  virtual Result<uint64_t> latest_cycle();

  // Word of cycles other instances commit, for a follower; null when the store has no
  // way to tell (the default: the caller then relies on polling latest_cycle()).
  virtual std::unique_ptr<CycleWatch> watch_cycles() { return nullptr; }

  // The collector lease, for stores several instances share (one row with an expiry on
  // the store's own clock). The defaults fail with kind "not_implemented": a store that
  // only one process uses (SQLite) needs no lease.
  // Takes the lease for `holder` when it is free or expired, with a new, larger epoch;
  // nullopt while another holder's lease runs.
  virtual Result<std::optional<LeaseToken>> try_acquire_lease(const std::string& holder, std::chrono::milliseconds ttl);
  // Extends the lease while `token` still holds it; false when it was lost (expired and
  // taken, or resigned).
  virtual Result<bool> renew_lease(const LeaseToken& token, std::chrono::milliseconds ttl);
  // Gives the lease up at once (a clean shutdown), so another instance takes over.
  virtual Status resign_lease(const LeaseToken& token);
};

// Accepts "sqlite:///absolute/path.db" and "sqlite://relative/path.db" (from the working
// directory); creates parent directories and the file, and migrates the schema.
// "postgres://" / "postgresql://" URLs open the PostgreSQL store (libpq reads the URL;
// PG* environment variables fill what it leaves out); an unreachable server fails with
// kind "cannot_open" naming libpq's reason but never the URL; anything else fails with
// "invalid_database_url". Before use the file is checked
// (`options.integrity_check`): a damaged one fails with kind "corrupt" naming what is
// wrong, or opens read-only (OnCorrupt::kReadOnly). A file or directory the process
// cannot write fails with kind "read_only" saying which.
Result<std::unique_ptr<Store>> open_store(const std::string& database_url, const OpenOptions& options = {});

}  // namespace pnode::store
