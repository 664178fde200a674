// Probe history, availability sessions and credits history in the SQLite backend
// (schema version 7, docs/storage.md): written by the prober's and the credits poller's
// threads, one transaction per round or poll; read by the API and by a restart.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "store/sqlite/db.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace pnode::store::sqlite {
namespace {

constexpr std::string_view kUpsertProbe =
    "INSERT INTO probe_history (address, ts, failure, connect_ms_x10, total_ms_x10) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (address, ts) DO UPDATE SET failure = excluded.failure, connect_ms_x10 = excluded.connect_ms_x10, "
    "total_ms_x10 = excluded.total_ms_x10";
constexpr std::string_view kUpsertSession =
    "INSERT INTO availability_sessions (address, started_at, up, ended_at, last_probe_at, failures, failing_since) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (address, started_at) DO UPDATE SET up = excluded.up, "
    "ended_at = excluded.ended_at, last_probe_at = excluded.last_probe_at, failures = excluded.failures, "
    "failing_since = excluded.failing_since";
constexpr std::string_view kSessionColumns =
    "SELECT address, started_at, up, ended_at, last_probe_at, failures, failing_since FROM availability_sessions ";
constexpr std::string_view kUpsertCredit =
    "INSERT INTO credits_history (pubkey, ts, credits, network) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (pubkey, ts) DO UPDATE SET credits = excluded.credits, network = excluded.network";

int64_t ms_to_tenths(double ms) { return std::isfinite(ms) ? std::llround(std::clamp(ms, 0.0, 1e12) * 10) : 0; }

model::AvailabilitySession read_availability_session(const Statement& s) {
  return {s.column_string(0), s.column_bool(2),  s.column_int64(1), s.column_opt_int64(3),
          s.column_int64(4),  static_cast<int32_t>(s.column_int64(5)), s.column_int64(6)};
}

// Every row of `s` (already bound) read by `read`, in order.
template <class T, class Read>
Result<std::vector<T>> read_probe_store_rows(Statement& s, Read read) {
  std::vector<T> out;
  for (;;) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(read(s));
  }
}

}  // namespace

Status SqliteStore::write_probe_round(const ProbeRoundWrite& write) {
  const std::string context = "writing a probe round (" + std::to_string(write.probes.size()) + " probes) to " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st;
  std::lock_guard lock(write_mutex_);
  Database& db = writer_.db;
  auto tx = Transaction::begin(db, Transaction::Kind::kImmediate);
  if (!tx) return with_context(context, tx.error());
  auto probe = db.prepare(kUpsertProbe);
  if (!probe) return with_context(context, probe.error());
  for (const ProbeRecord& p : write.probes) {
    probe->bind(1, p.address).bind(2, p.at).bind(4, ms_to_tenths(p.connect_ms)).bind(5, ms_to_tenths(p.total_ms));
    p.reachable ? probe->bind_null(3) : probe->bind(3, p.failure);
    if (auto st = probe->run(); !st) return with_context(context, st.error());
  }
  auto session = db.prepare(kUpsertSession);
  if (!session) return with_context(context, session.error());
  for (const model::AvailabilitySession& s : write.sessions) {
    session->bind(1, s.address).bind(2, s.started_at).bind(3, s.up).bind(4, s.ended_at).bind(5, s.last_probe_at);
    session->bind(6, static_cast<int64_t>(s.failures)).bind(7, s.failing_since);
    if (auto st = session->run(); !st) return with_context(context, st.error());
  }
  if (write.probe_cutoff > 0) {
    auto cut = db.prepare("DELETE FROM probe_history WHERE ts < ?1");
    if (!cut) return with_context(context, cut.error());
    if (auto st = cut->bind(1, write.probe_cutoff).run(); !st) return with_context(context, st.error());
  }
  if (write.session_cutoff > 0) {
    auto cut = db.prepare("DELETE FROM availability_sessions WHERE ended_at < ?1");
    if (!cut) return with_context(context, cut.error());
    if (auto st = cut->bind(1, write.session_cutoff).run(); !st) return with_context(context, st.error());
  }
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return ok_status();
}

Result<std::vector<ProbeRecord>> SqliteStore::probe_history(const std::string& address, int64_t since, int64_t until,
                                                            size_t limit) {
  const std::string context = "reading the probe history of " + address + " from " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  auto select = (*reader)->db.prepare(
      "SELECT address, ts, failure, connect_ms_x10, total_ms_x10 FROM probe_history "
      "WHERE address = ?1 AND ts >= ?2 AND ts <= ?3 ORDER BY ts DESC LIMIT ?4");
  if (!select) return with_context(context, select.error());
  select->bind(1, address).bind(2, since).bind(3, until).bind(4, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
  auto rows = read_probe_store_rows<ProbeRecord>(*select, [](const Statement& s) {
    auto failure = s.column_opt_string(2);
    return ProbeRecord{s.column_string(0), s.column_int64(1), !failure, failure.value_or(""),
                       static_cast<double>(s.column_int64(3)) / 10, static_cast<double>(s.column_int64(4)) / 10};
  });
  if (!rows) return with_context(context, rows.error());
  std::reverse(rows->begin(), rows->end());
  return rows;
}

Result<std::vector<model::AvailabilitySession>> SqliteStore::availability_sessions(const std::string& address,
                                                                                   int64_t ended_after) {
  const std::string context = "reading availability sessions from " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  std::string sql(kSessionColumns);
  sql += address.empty() ? "WHERE (ended_at IS NULL OR ended_at >= ?1) ORDER BY started_at, address"
                         : "WHERE address = ?2 AND (ended_at IS NULL OR ended_at >= ?1) ORDER BY started_at";
  auto select = (*reader)->db.prepare(sql);
  if (!select) return with_context(context, select.error());
  select->bind(1, ended_after);
  if (!address.empty()) select->bind(2, address);
  auto rows = read_probe_store_rows<model::AvailabilitySession>(*select, read_availability_session);
  if (!rows) return with_context(context, rows.error());
  return rows;
}

// One instance alone writes a SQLite store: there is no lease, and `fence` is never set.
Status SqliteStore::write_credits(const std::vector<CreditRecord>& rows, int64_t retention_cutoff,
                                  const std::optional<LeaseToken>&) {
  const std::string context = "writing " + std::to_string(rows.size()) + " credits rows to " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st;
  std::lock_guard lock(write_mutex_);
  Database& db = writer_.db;
  auto tx = Transaction::begin(db, Transaction::Kind::kImmediate);
  if (!tx) return with_context(context, tx.error());
  auto upsert = db.prepare(kUpsertCredit);
  if (!upsert) return with_context(context, upsert.error());
  for (const CreditRecord& r : rows) {
    if (auto st = upsert->bind(1, r.pubkey).bind(2, r.at).bind(3, r.credits).bind(4, r.network).run(); !st)
      return with_context(context, st.error());
  }
  if (retention_cutoff > 0) {
    auto cut = db.prepare("DELETE FROM credits_history WHERE ts < ?1");
    if (!cut) return with_context(context, cut.error());
    if (auto st = cut->bind(1, retention_cutoff).run(); !st) return with_context(context, st.error());
  }
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return ok_status();
}

Result<std::vector<CreditRecord>> SqliteStore::credits_history(const std::string& pubkey, int64_t since, int64_t until,
                                                               size_t limit) {
  const std::string context = "reading the credits history of " + pubkey + " from " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  auto select = (*reader)->db.prepare(
      "SELECT pubkey, ts, credits, network FROM credits_history WHERE pubkey = ?1 AND ts >= ?2 AND ts <= ?3 "
      "ORDER BY ts DESC LIMIT ?4");
  if (!select) return with_context(context, select.error());
  select->bind(1, pubkey).bind(2, since).bind(3, until).bind(4, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
  auto rows = read_probe_store_rows<CreditRecord>(*select, [](const Statement& s) {
    return CreditRecord{s.column_string(0), s.column_int64(1), s.column_double(2), s.column_string(3)};
  });
  if (!rows) return with_context(context, rows.error());
  std::reverse(rows->begin(), rows->end());
  return rows;
}

}  // namespace pnode::store::sqlite
