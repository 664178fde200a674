#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/registry_sighting.h"
#include "store/snapshot_codec.h"
#include "store/sqlite/db.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace pnode::store::sqlite {
namespace {

using model::Registry;
using model::Snapshot;

}  // namespace

// ---- reads -----------------------------------------------------------------------------

Result<LoadedState> SqliteStore::load() {
  const std::string context = "loading state from " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  Reader& r = **reader;
  // One read transaction: the registry and the snapshot come from the same commit.
  auto tx = Transaction::begin(r.db, Transaction::Kind::kDeferred);
  if (!tx) return with_context(context, tx.error());

  LoadedState state;
  {
    ScopedReset reset(r.select_registry);
    for (;;) {
      auto row = r.select_registry.step();
      if (!row) return with_context(context, row.error());
      if (!*row) break;
      state.registry.entries.push_back(read_registry_entry(r.select_registry));
    }
  }
  state.registry.reindex();

  std::optional<Snapshot> snapshot;
  {
    ScopedReset reset(r.select_snapshot);
    auto row = r.select_snapshot.step();
    if (!row) return with_context(context, row.error());
    if (*row) {
      std::optional<std::string_view> delta;
      if (!r.select_snapshot.is_null(1)) delta = r.select_snapshot.column_text(1);
      auto decoded = decode_stored_snapshot(r.select_snapshot.column_text(0), delta);
      if (!decoded) return with_context(context, decoded.error());
      snapshot = std::move(*decoded);
    }
  }
  auto monitor_state = read_monitor_state(r.db);
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

Result<std::vector<NetworkHistoryRow>> SqliteStore::network_history(int64_t since, int64_t until) {
  const std::string context = "reading network history from " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  Statement& s = (*reader)->network_range;
  ScopedReset reset(s);
  s.bind(1, since).bind(2, until);
  std::vector<NetworkHistoryRow> out;
  for (;;) {
    auto row = s.step();
    if (!row) return with_context(context, row.error());
    if (!*row) break;
    auto parsed = read_network_row(s);
    if (!parsed) return with_context(context, parsed.error());
    out.push_back(std::move(*parsed));
  }
  return out;
}

Result<std::optional<NetworkHistoryRow>> SqliteStore::network_sample_at_or_before(int64_t at) {
  const std::string context = "reading network history from " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  Statement& s = (*reader)->network_at;
  ScopedReset reset(s);
  s.bind(1, at);
  auto row = s.step();
  if (!row) return with_context(context, row.error());
  if (!*row) return std::optional<NetworkHistoryRow>();
  auto parsed = read_network_row(s);
  if (!parsed) return with_context(context, parsed.error());
  return std::optional<NetworkHistoryRow>(std::move(*parsed));
}

Result<NodeHistory> SqliteStore::node_history(const std::string& address, int64_t since, int64_t until) {
  const std::string context = "reading history of " + address + " from " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  // One read transaction: chunks and raw samples from the same commit.
  auto tx = Transaction::begin((*reader)->db, Transaction::Kind::kDeferred);
  if (!tx) return with_context(context, tx.error());
  auto rows = (*reader)->history.node_history(address, since, until);
  if (!rows) return with_context(context, rows.error());
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return rows;
}

Result<std::vector<HistoryStatusRow>> SqliteStore::history_status(size_t limit) {
  const std::string context = "reading history status from " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  auto tx = Transaction::begin((*reader)->db, Transaction::Kind::kDeferred);
  if (!tx) return with_context(context, tx.error());
  auto rows = (*reader)->history.history_status(limit);
  if (!rows) return with_context(context, rows.error());
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return rows;
}

Result<HistoryFootprint> SqliteStore::history_footprint() {
  const std::string context = "measuring the history in " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  auto tx = Transaction::begin((*reader)->db, Transaction::Kind::kDeferred);
  if (!tx) return with_context(context, tx.error());
  auto footprint = (*reader)->history.footprint();
  if (!footprint) return with_context(context, footprint.error());
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return footprint;
}

// The writer's cache is freed under its lock (a cycle's write may be running); idle
// readers under the pool's, and readers in use keep theirs until their next release.
void SqliteStore::release_memory() {
  {
    std::lock_guard lock(write_mutex_);
    if (writer_.db.handle()) sqlite3_db_release_memory(writer_.db.handle());
  }
  std::lock_guard lock(readers_mutex_);
  for (auto& reader : idle_readers_) sqlite3_db_release_memory(reader->db.handle());
}

}  // namespace pnode::store::sqlite
