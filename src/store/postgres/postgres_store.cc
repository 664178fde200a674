#include "store/postgres/postgres_store.h"

#include "model/registry_sighting.h"
#include "store/postgres/postgres_store_impl.h"

namespace pnode::store::postgres::impl {

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
  // Ids kept from earlier transactions hold only while no row of `nodes` was deleted.
  auto generation = conn_.exec(kNodesGeneration);
  if (!generation) return generation.error();
  new_nodes_generation_ = generation->int64(0, 0);
  if (new_nodes_generation_ != nodes_generation_) node_ids_.clear();
  // In order of first sighting (node ids grow in that order), each address once.
  std::vector<Params> missing;
  std::vector<std::string> addresses;
  std::unordered_set<std::string_view> listed;
  auto add = [&](const std::string& address) {
    if (!node_ids_.contains(address) && !new_node_ids_.contains(address) && listed.insert(address).second) {
      missing.push_back({address});
      addresses.push_back(address);
    }
  };
  for (const auto& e : upserts) add(e.address);
  for (const auto& r : rows) add(r.address);
  if (missing.empty()) return ok_status();
  if (auto st = insert_rows(conn_, kInternNodesHead, {"text"}, missing, kInternNodesTail); !st) return st;
  auto ids = conn_.exec(kNodeIdsOf, {text_array_param(addresses)});
  if (!ids) return ids.error();
  for (int i = 0; i < ids->rows(); ++i) new_node_ids_[ids->string(i, 0)] = ids->int64(i, 1);
  return ok_status();
}

int64_t PostgresStore::node_id(const std::string& address) const {
  if (auto it = new_node_ids_.find(address); it != new_node_ids_.end()) return it->second;
  return node_ids_.at(address);
}

void PostgresStore::keep_node_ids(bool committed) {
  if (committed) {
    node_ids_.merge(new_node_ids_);
    nodes_generation_ = new_nodes_generation_;
  }
  new_node_ids_.clear();
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
  std::set<int64_t> timestamps;
  for (const auto& [key, row] : latest) timestamps.insert(row->timestamp);
  std::string ts_array = "{";
  for (int64_t ts : timestamps) ts_array += (ts_array.size() > 1 ? "," : "") + std::to_string(ts);
  ts_array += "}";
  auto taken = conn_.exec(kRecentAtAnyTs, {ts_array});
  if (!taken) return taken.error();
  std::string slot(kRawSlotBytes, '\0');
  if (taken->boolean(0, 0)) {
    std::vector<Params> params;
    params.reserve(latest.size());
    for (const auto& [key, row] : latest) {
      write_raw_slot(to_stored_sample(*row, versions_.at(row->version)), slot.data());
      params.push_back({int_param(node_id(row->address)), int_param(row->timestamp), bytea_param(slot)});
    }
    return copy_upsert(conn_, kCopySamplesTable, kCopySamplesColumns, params, kUpsertCopiedSamples);
  }
  // The usual cycle (a new timestamp): straight into the table in binary, no temporary
  // table, per-row conflict check or hex.
  BinaryCopyRows data;
  for (const auto& [key, row] : latest) {
    write_raw_slot(to_stored_sample(*row, versions_.at(row->version)), slot.data());
    data.begin_row(3);
    data.int64_field(node_id(row->address));
    data.int64_field(row->timestamp);
    data.bytes_field(slot);
  }
  return conn_.copy_in(kCopyIntoRecent, data.finish());
}

// Every hour before the newest one goes from raw slots into chunks, merged with a chunk
// already there (a late sample for an hour compacted before), a slice of the nodes at a
// time. A pass starts when the newest hour changes, or when the last one is done and a
// write since it began added samples before the newest hour (late ones). Only then is the table probed
// for raw samples before it: the probe walks the index entries of the samples the last
// pass deleted (600,000 at 10,000 nodes until vacuum removes them), ~10 ms a cycle. (Late
// samples another writer left are compacted by the next hour's pass, and read meanwhile.)
Status PostgresStore::compact_finished_hours(std::optional<CompactionPass>& pass, bool all, int64_t oldest_written) {
  auto newest = conn_.exec(kNewestRecentTs);
  if (!newest) return newest.error();
  if (newest->is_null(0, 0)) return ok_status();
  const int64_t before = hour_of(newest->int64(0, 0)) * kHourSeconds;
  if (pass && pass->before == before) {
    if (oldest_written < before) pass->late = true;
    if (pass->done() && !pass->late) return ok_status();
  }
  if (!pass || pass->before != before || pass->done()) {
    auto any = conn_.exec(kAnyRecentBefore, {int_param(before)});
    if (!any) return any.error();
    if (!any->boolean(0, 0)) {
      pass = CompactionPass{before, 1, 0, 0};  // done: nothing to compact before `before`
      return ok_status();
    }
    // The range of every node id (one probe of nodes' key each end), not of those with
    // samples to compact: finding these would read every raw sample before `before`.
    auto nodes = conn_.exec(kNodeIdRange);
    if (!nodes) return nodes.error();
    const int64_t first = nodes->int64(0, 0), last = nodes->int64(0, 1);
    pass = CompactionPass{before, first, last, std::max(kMinNodesPerSlice, (last - first) / kSpreadOverCycles + 1)};
  }
  do {
    const int64_t end = std::min(pass->next_node + pass->slice, pass->last_node + 1);
    if (auto st = compact_slice(before, pass->next_node, end); !st) return st;
    pass->next_node = end;
  } while (all && !pass->done());
  return ok_status();
}

Status PostgresStore::compact_slice(int64_t before, int64_t first_node, int64_t end_node) {
  auto stamps = conn_.exec(kRecentTimestampsBefore, {int_param(before)});
  if (!stamps) return stamps.error();
  if (stamps->rows() == 0) return ok_status();
  std::string timestamps = "{";
  for (int i = 0; i < stamps->rows(); ++i) timestamps += (i > 0 ? "," : "") + stamps->string(i, 0);
  timestamps += "}";
  // A batch of nodes at a time: an hour of 10,000 nodes is 600,000 raw samples.
  for (int64_t first = first_node; first < end_node; first += kNodesPerCompactionBatch) {
    const int64_t end = std::min(end_node, first + kNodesPerCompactionBatch);
    if (auto st = compact_nodes(timestamps, first, end); !st) return st;
  }
  return conn_.run(kDeleteRecentOfNodes, {timestamps, int_param(first_node), int_param(end_node)});
}

Status PostgresStore::compact_nodes(const std::string& timestamps, int64_t first_node, int64_t end_node) {
  const Param from = int_param(first_node), to = int_param(end_node);
  auto recent = conn_.exec(kRecentBefore, {timestamps, from, to});
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
  if (auto st = conn_.run(kDeleteOldCycleLog, {int_param(cutoff)}); !st) return st;
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
  auto r = conn_.exec(kLatestCycle);
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

Status PostgresStore::check_fence(const std::optional<LeaseToken>& fence) {
  if (!fence) return ok_status();
  auto held = conn_.exec(kCheckFence, {fence->holder, int_param(fence->epoch)});
  if (!held) return with_context("checking the collector lease", held.error());
  if (held->rows() == 0) {
    return make_error(ErrorCode::kNotLeader, "the collector lease of " + fence->holder + " (epoch " +
                                                 std::to_string(fence->epoch) +
                                                 ") has expired or passed to another instance; nothing written");
  }
  return ok_status();
}

Status PostgresStore::write_snapshot(const Snapshot& snapshot, EncodedSnapshot& encoded) {
  if (encoded.base_cycle) {  // a delta needs the base it was made against, which another leader may have replaced
    auto stored = conn_.exec(kStoredBaseCycle);
    if (!stored) return stored.error();
    if (stored->rows() == 0 || static_cast<uint64_t>(stored->int64(0, 0)) != *encoded.base_cycle)
      encoded = snapshots_.encode_full(snapshot);
  }
  const Param cycle = uint_param(snapshot.cycle), updated = int_param(snapshot.last_updated);
  if (encoded.base_cycle) {
    auto st = conn_.exec_prepared("upsert_snapshot_delta", kUpsertSnapshotDelta,
                                  {uint_param(*encoded.base_cycle), cycle, updated, encoded.body});
    return st ? ok_status() : Status(st.error());
  }
  if (auto st = conn_.exec_prepared("upsert_snapshot", kUpsertSnapshot, {cycle, updated, encoded.body}); !st)
    return st.error();
  return conn_.run(kDeleteSnapshotDelta);
}

Status PostgresStore::write_cycle_locked(const CycleWrite& write, EncodedSnapshot& snapshot,
                                        std::optional<CompactionPass>& compaction) {
  auto tx = Transaction::begin(conn_);
  if (!tx) return tx.error();
  if (auto st = check_fence(write.fence); !st) return st;
  if (write.fence && write.snapshot) {
    auto st = conn_.run(kLogCycle, {int_param(static_cast<int64_t>(write.snapshot->cycle)),
                                    int_param(write.fence->epoch), write.fence->holder});
    if (!st) return with_context("logging cycle " + std::to_string(write.snapshot->cycle), st.error());
  }
  if (write.snapshot) {
    if (auto st = write_snapshot(*write.snapshot, snapshot); !st) return with_context("saving the snapshot", st.error());
    // Followers hear of it at commit, and not at all if the write rolls back.
    const CycleNotice notice{write.snapshot->cycle, write.fence ? write.fence->epoch : 0};
    if (auto sent = conn_.run(kNotifyCycle, {format_cycle_notice(notice)}); !sent)
      return with_context("announcing the cycle", sent.error());
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
      params->front() = int_param(node_id(address));  // the address's column carries its id
      rows.push_back(std::move(*params));
    }
    if (auto st = copy_upsert(conn_, kCopyRegistryTable, kCopyRegistryColumns, rows, kUpsertCopiedRegistry); !st)
      return with_context("saving the registry", st.error());
  }
  for (const auto& missed : write.missed_network) {
    if (auto st = conn_.run(kUpsertNetwork, network_params(missed)); !st)
      return with_context("saving the network sample of " + std::to_string(missed.timestamp), st.error());
  }
  if (auto st = conn_.run(kUpsertNetwork, network_params(write.network)); !st)
    return with_context("saving the network sample", st.error());
  if (auto st = write_node_samples(write.nodes); !st) return with_context("saving node history", st.error());
  if (auto st = compact_finished_hours(compaction, /*all=*/false, oldest_timestamp(write.nodes)); !st)
    return with_context("compacting node history", st.error());
  if (auto st = apply_retention(write.retention_cutoff); !st) return with_context("deleting old history", st.error());
  if (auto st = insert_events(conn_, write.events, write.retention_cutoff); !st)
    return with_context("saving events", st.error());
  if (write.monitor_state) {
    if (auto st = save_monitor_state(conn_, *write.monitor_state); !st)
      return with_context("saving the alert states", st.error());
  }
  return tx->commit();
}

Status PostgresStore::write_cycle(const CycleWrite& write) {
  const std::string cycle = write.snapshot ? std::to_string(write.snapshot->cycle) : std::string("(no snapshot)");
  std::lock_guard lock(mutex_);  // also guards the encoder's base
  loaded_base_ = {};
  EncodedSnapshot snapshot = write.snapshot ? snapshots_.encode(*write.snapshot) : EncodedSnapshot{};
  std::optional<CompactionPass> compaction = compaction_;  // kept only if the cycle commits
  auto st = write_cycle_locked(write, snapshot, compaction);
  keep_node_ids(st.ok());
  if (!st) {
    // Rolled back: ids read in the transaction may not exist.
    versions_.clear();
    return with_context("writing cycle " + cycle + " to " + conn_.description(), st.error());
  }
  compaction_ = compaction;
  if (write.snapshot) snapshots_.committed(*write.snapshot, snapshot);
  return ok_status();
}

Status PostgresStore::write_events(const std::vector<EventRecord>& events) {
  std::lock_guard lock(mutex_);
  const std::string context = "writing " + std::to_string(events.size()) + " events to " + conn_.description();
  auto tx = Transaction::begin(conn_);
  if (!tx) return with_context(context, tx.error());
  if (auto st = insert_events(conn_, events, 0); !st) return with_context(context, st.error());
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return ok_status();
}

Result<std::vector<StoredEvent>> PostgresStore::read_events(const EventQuery& query) {
  std::lock_guard lock(read_mutex_);
  auto events = select_events(read_conn_, query);
  if (!events) return with_context("reading events from " + read_conn_.description(), events.error());
  return events;
}

Result<int64_t> PostgresStore::last_event_seq() {
  std::lock_guard lock(read_mutex_);
  auto r = read_conn_.exec("SELECT coalesce(max(seq), 0) FROM events");
  if (!r) return with_context("reading the last event from " + read_conn_.description(), r.error());
  return r->int64(0, 0);
}

Result<int64_t> PostgresStore::event_cursor(const std::string& name) {
  std::lock_guard lock(read_mutex_);
  auto r = read_conn_.exec("SELECT seq FROM event_cursors WHERE name = $1::text", {name});
  if (!r) return with_context("reading the event cursor " + name + " from " + read_conn_.description(), r.error());
  return r->rows() > 0 ? r->int64(0, 0) : int64_t{0};
}

Status PostgresStore::save_event_cursor(const std::string& name, int64_t seq) {
  std::lock_guard lock(mutex_);
  auto st = conn_.run("INSERT INTO event_cursors (name, seq) VALUES ($1::text, $2::bigint) "
                      "ON CONFLICT (name) DO UPDATE SET seq = excluded.seq",
                      {name, int_param(seq)});
  if (!st) return with_context("saving the event cursor " + name + " to " + conn_.description(), st.error());
  return ok_status();
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
    std::optional<CompactionPass> pass;
    if (auto compacted = compact_finished_hours(pass, /*all=*/true, oldest_timestamp(rows)); !compacted)
      return compacted;
    return tx->commit();
  }();
  keep_node_ids(st.ok());
  if (!st) {
    versions_.clear();
    return with_context(context, st.error());
  }
  compaction_.reset();  // the next cycle looks afresh
  return ok_status();
}

Result<Snapshot> PostgresStore::decode_loaded_snapshot(const PgResult& stored) {
  if (!stored.is_null(0, 2)) {  // not the base held: decode it and hold it
    auto base = decode_snapshot(stored.text(0, 2));
    if (!base) return base.error();
    loaded_base_ = {stored.int64(0, 0), stored.int64(0, 1), std::make_shared<const Snapshot>(std::move(*base))};
  }
  if (!loaded_base_.snapshot) return make_error(ErrorCode::kCorrupt, "the stored snapshot's base is missing");
  if (stored.is_null(0, 3)) return Snapshot(*loaded_base_.snapshot);
  return decode_snapshot(stored.text(0, 3), loaded_base_.snapshot.get());
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
  auto stored = conn_.exec(kSelectSnapshot, {int_param(loaded_base_.cycle), int_param(loaded_base_.last_updated)});
  if (!stored) return with_context(context, stored.error());
  std::optional<Snapshot> snapshot;
  if (stored->rows() > 0) {
    auto decoded = decode_loaded_snapshot(*stored);
    if (!decoded) return with_context(context, decoded.error());
    snapshot = std::move(*decoded);
  }
  auto monitor_state = read_monitor_state(conn_);
  if (!monitor_state) return with_context(context, monitor_state.error());
  state.monitor_state = std::move(*monitor_state);
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  if (snapshot) {
    model::restore_sightings(state.registry, *snapshot);  // rows its sightings alone changed were not rewritten
    snapshot->registry = std::make_shared<const Registry>(state.registry);
    state.snapshot = std::make_shared<const Snapshot>(std::move(*snapshot));
  }
  return state;
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
  return deleted;
}

}  // namespace pnode::store::postgres::impl

namespace pnode::store::postgres {

using impl::PostgresStore;

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& conninfo, PostgresOptions options) {
  auto conn = Connection::open(conninfo);
  if (!conn) return conn.error();
  if (auto st = migrate(*conn); !st) return st.error();
  auto read_conn = Connection::open(conninfo);
  if (!read_conn) return read_conn.error();
  if (options.clock) {
    conn->set_clock(options.clock);
    read_conn->set_clock(options.clock);
  }
  return std::unique_ptr<Store>(std::make_unique<PostgresStore>(std::move(*conn), std::move(*read_conn), conninfo));
}

}  // namespace pnode::store::postgres
