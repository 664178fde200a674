// Probe history, availability sessions and credits history in the PostgreSQL store
// (schema version 9, docs/storage.md): written by the leader's prober and credits poller,
// one transaction per round or poll, in multi-row statements; read by every instance.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "store/postgres/postgres_store_impl.h"

namespace pnode::store::postgres::impl {
namespace {

constexpr std::string_view kProbeUpsertTail =
    " ON CONFLICT (address, ts) DO UPDATE SET failure = excluded.failure, connect_ms_x10 = excluded.connect_ms_x10, "
    "total_ms_x10 = excluded.total_ms_x10";
constexpr std::string_view kSessionUpsertTail =
    " ON CONFLICT (address, started_at) DO UPDATE SET up = excluded.up, ended_at = excluded.ended_at, "
    "last_probe_at = excluded.last_probe_at, failures = excluded.failures, failing_since = excluded.failing_since";

int64_t pg_ms_tenths(double ms) { return std::isfinite(ms) ? std::llround(std::clamp(ms, 0.0, 2e8) * 10) : 0; }

Params session_params(const model::AvailabilitySession& s) {
  return {s.address,
          int_param(s.started_at),
          bool_param(s.up),
          opt_int_param(s.ended_at),
          int_param(s.last_probe_at),
          int_param(s.failures),
          int_param(s.failing_since)};
}

}  // namespace

Status PostgresStore::write_probe_round(const ProbeRoundWrite& write) {
  std::lock_guard lock(mutex_);
  const std::string context =
      "writing a probe round (" + std::to_string(write.probes.size()) + " probes) to " + conn_.description();
  auto tx = Transaction::begin(conn_);
  if (!tx) return with_context(context, tx.error());
  if (auto st = check_fence(write.fence); !st) return with_context(context, st.error());
  std::vector<Params> probes;
  probes.reserve(write.probes.size());
  for (const ProbeRecord& p : write.probes)
    probes.push_back({p.address, int_param(p.at), p.reachable ? Param() : Param(p.failure),
                      int_param(pg_ms_tenths(p.connect_ms)), int_param(pg_ms_tenths(p.total_ms))});
  if (auto st = insert_rows(conn_, "INSERT INTO probe_history (address, ts, failure, connect_ms_x10, total_ms_x10) VALUES ",
                            {"text", "bigint", "text", "integer", "integer"}, probes, kProbeUpsertTail);
      !st)
    return with_context(context, st.error());
  std::vector<Params> sessions;
  sessions.reserve(write.sessions.size());
  for (const auto& s : write.sessions) sessions.push_back(session_params(s));
  if (auto st = insert_rows(conn_,
                            "INSERT INTO availability_sessions (address, started_at, up, ended_at, last_probe_at, "
                            "failures, failing_since) VALUES ",
                            {"text", "bigint", "boolean", "bigint", "bigint", "integer", "bigint"}, sessions,
                            kSessionUpsertTail);
      !st)
    return with_context(context, st.error());
  if (write.probe_cutoff > 0) {
    if (auto st = conn_.run("DELETE FROM probe_history WHERE ts < $1::bigint", {int_param(write.probe_cutoff)}); !st)
      return with_context(context, st.error());
  }
  if (write.session_cutoff > 0) {
    if (auto st = conn_.run("DELETE FROM availability_sessions WHERE ended_at < $1::bigint",
                            {int_param(write.session_cutoff)});
        !st)
      return with_context(context, st.error());
  }
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return ok_status();
}

Result<std::vector<ProbeRecord>> PostgresStore::probe_history(const std::string& address, int64_t since, int64_t until,
                                                              size_t limit) {
  std::lock_guard lock(read_mutex_);
  auto r = read_conn_.exec(
      "SELECT address, ts, failure, connect_ms_x10, total_ms_x10 FROM probe_history "
      "WHERE address = $1::text AND ts >= $2::bigint AND ts <= $3::bigint ORDER BY ts DESC LIMIT $4::bigint",
      {address, int_param(since), int_param(until), int_param(static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)))});
  if (!r) return with_context("reading the probe history of " + address + " from " + read_conn_.description(), r.error());
  std::vector<ProbeRecord> out;
  out.reserve(static_cast<size_t>(r->rows()));
  for (int i = r->rows() - 1; i >= 0; --i) {
    auto failure = r->opt_string(i, 2);
    out.push_back({r->string(i, 0), r->int64(i, 1), !failure, failure.value_or(""),
                   static_cast<double>(r->int64(i, 3)) / 10, static_cast<double>(r->int64(i, 4)) / 10});
  }
  return out;
}

Result<std::vector<model::AvailabilitySession>> PostgresStore::availability_sessions(const std::string& address,
                                                                                     int64_t ended_after) {
  std::lock_guard lock(read_mutex_);
  std::string sql =
      "SELECT address, started_at, up, ended_at, last_probe_at, failures, failing_since FROM availability_sessions "
      "WHERE (ended_at IS NULL OR ended_at >= $1::bigint)";
  Params params = {int_param(ended_after)};
  if (!address.empty()) {
    sql += " AND address = $2::text";
    params.push_back(address);
  }
  sql += " ORDER BY started_at, address";
  auto r = read_conn_.exec(sql, params);
  if (!r) return with_context("reading availability sessions from " + read_conn_.description(), r.error());
  std::vector<model::AvailabilitySession> out;
  out.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->string(i, 0), r->boolean(i, 2), r->int64(i, 1), r->opt_int64(i, 3), r->int64(i, 4),
                   static_cast<int32_t>(r->int64(i, 5)), r->int64(i, 6)});
  return out;
}

Status PostgresStore::write_credits(const std::vector<CreditRecord>& rows, int64_t retention_cutoff,
                                    const std::optional<LeaseToken>& fence) {
  std::lock_guard lock(mutex_);
  const std::string context = "writing " + std::to_string(rows.size()) + " credits rows to " + conn_.description();
  auto tx = Transaction::begin(conn_);
  if (!tx) return with_context(context, tx.error());
  if (auto st = check_fence(fence); !st) return with_context(context, st.error());
  std::vector<Params> params;
  params.reserve(rows.size());
  for (const CreditRecord& c : rows) params.push_back({c.pubkey, int_param(c.at), double_param(c.credits), c.network});
  if (auto st = insert_rows(conn_, "INSERT INTO credits_history (pubkey, ts, credits, network) VALUES ",
                            {"text", "bigint", "double precision", "text"}, params,
                            " ON CONFLICT (pubkey, ts) DO UPDATE SET credits = excluded.credits, network = excluded.network");
      !st)
    return with_context(context, st.error());
  if (retention_cutoff > 0) {
    if (auto st = conn_.run("DELETE FROM credits_history WHERE ts < $1::bigint", {int_param(retention_cutoff)}); !st)
      return with_context(context, st.error());
  }
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return ok_status();
}

Result<std::vector<CreditRecord>> PostgresStore::credits_history(const std::string& pubkey, int64_t since, int64_t until,
                                                                 size_t limit) {
  std::lock_guard lock(read_mutex_);
  auto r = read_conn_.exec(
      "SELECT pubkey, ts, credits, network FROM credits_history WHERE pubkey = $1::text AND ts >= $2::bigint "
      "AND ts <= $3::bigint ORDER BY ts DESC LIMIT $4::bigint",
      {pubkey, int_param(since), int_param(until), int_param(static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)))});
  if (!r) return with_context("reading the credits history of " + pubkey + " from " + read_conn_.description(), r.error());
  std::vector<CreditRecord> out;
  out.reserve(static_cast<size_t>(r->rows()));
  for (int i = r->rows() - 1; i >= 0; --i) out.push_back({r->string(i, 0), r->int64(i, 1), r->real(i, 2), r->string(i, 3)});
  return out;
}

}  // namespace pnode::store::postgres::impl
