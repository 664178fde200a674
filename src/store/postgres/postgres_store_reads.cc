// The PostgreSQL store's history reads (postgres_store_impl.h): network history, one
// node's history, the history status and footprint, on the read connection.
#include "store/postgres/postgres_store_impl.h"

#include "store/history_assembly.h"

namespace pnode::store::postgres::impl {

Result<std::vector<NetworkHistoryRow>> PostgresStore::network_history(int64_t since, int64_t until) {
  std::lock_guard lock(read_mutex_);
  const std::string context = "reading network history from " + read_conn_.description();
  auto rows = read_conn_.exec(kNetworkRange, {int_param(since), int_param(until)});
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
  std::lock_guard lock(read_mutex_);
  const std::string context = "reading network history from " + read_conn_.description();
  auto rows = read_conn_.exec(kNetworkAtOrBefore, {int_param(at)});
  if (!rows) return with_context(context, rows.error());
  if (rows->rows() == 0) return std::optional<NetworkHistoryRow>();
  auto parsed = read_network_row(*rows, 0);
  if (!parsed) return with_context(context, parsed.error());
  return std::optional<NetworkHistoryRow>(std::move(*parsed));
}

Result<std::unordered_map<int64_t, std::string>> PostgresStore::version_names(Connection& conn) {
  auto all = conn.exec(kAllVersions);
  if (!all) return all.error();
  std::unordered_map<int64_t, std::string> names;
  for (int i = 0; i < all->rows(); ++i) names.emplace(all->int64(i, 0), all->string(i, 1));
  return names;
}

Result<const std::string*> PostgresStore::read_version_name(int64_t version_id, bool& reloaded) {
  auto name = read_versions_.find(version_id);
  if (name == read_versions_.end() && !reloaded) {
    // Versions are only ever added: a miss means one new since the last load.
    auto names = version_names(read_conn_);
    if (!names) return names.error();
    read_versions_ = std::move(*names);
    reloaded = true;
    name = read_versions_.find(version_id);
  }
  if (name == read_versions_.end())
    return make_error(ErrorCode::kCorrupt, "unknown version id " + std::to_string(version_id));
  return &name->second;
}

Result<NodeHistory> PostgresStore::node_history(const std::string& address, int64_t since, int64_t until) {
  std::lock_guard lock(read_mutex_);
  const std::string context = "reading history of " + address + " from " + read_conn_.description();
  bool reloaded = false;
  HistoryAssembly assembly(address, since, until,
                           [&](int64_t id) { return read_version_name(id, reloaded); });
  if (since > until) return std::move(assembly).finish();
  // One statement, so one round trip and one snapshot of the database: chunks and raw
  // samples from the same commit, chunks in hour order, then raw samples (kNodeHistory).
  auto rows = read_conn_.exec_prepared_binary("node_history", kNodeHistory, {address, int_param(hour_of(since)), int_param(hour_of(until)),
                                                    int_param(since), int_param(until)});
  if (!rows) return with_context(context, rows.error());
  size_t total = 0;
  for (int i = 0; i < rows->rows(); ++i)
    total += rows->binary_int64(i, 0) == 0 ? history_chunk_samples(rows->text(i, 2)) : 1;
  assembly.reserve(total);
  for (int i = 0; i < rows->rows(); ++i) {
    if (rows->binary_int64(i, 0) == 0) {
      if (auto st = assembly.add_chunk(rows->text(i, 2)); !st) return with_context(context, st.error());
      continue;
    }
    StoredSample s;
    int64_t ts = rows->binary_int64(i, 1);
    if (!read_raw_slot(rows->text(i, 2), 0, ts, s))
      return make_error(ErrorCode::kCorrupt, context + ": the sample at " + std::to_string(ts) + " is unreadable");
    if (auto st = assembly.add_raw(s); !st) return with_context(context, st.error());
  }
  return std::move(assembly).finish();
}

Result<std::vector<HistoryStatusRow>> PostgresStore::history_status(size_t limit) {
  std::lock_guard lock(read_mutex_);
  const std::string context = "reading history status from " + read_conn_.description();
  const int64_t capped = limit > static_cast<size_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(limit);
  auto rows = read_conn_.exec(kHistoryStatus, {int_param(capped)});
  if (!rows) return with_context(context, rows.error());
  std::vector<HistoryStatusRow> out;
  for (int i = 0; i < rows->rows(); ++i)
    out.push_back({rows->string(i, 0), rows->int64(i, 1), rows->int64(i, 2), rows->int64(i, 3)});
  return out;
}

Result<HistoryFootprint> PostgresStore::history_footprint() {
  std::lock_guard lock(read_mutex_);
  const std::string context = "measuring the history in " + read_conn_.description();
  auto tx = Transaction::begin(read_conn_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!tx) return with_context(context, tx.error());
  auto sizes = read_conn_.exec(kHistoryRelations);
  if (!sizes) return with_context(context, sizes.error());
  auto counts = read_conn_.exec(kHistorySampleCounts);
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

}  // namespace pnode::store::postgres::impl
