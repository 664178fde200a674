// The alert lifecycle's shared state in the PostgreSQL store (docs/events.md): the
// collector's monitor state, written in the cycle's (or attempt's) transaction; silences
// and acknowledgements, written by the API.
#include <string>
#include <vector>

#include "store/postgres/postgres_store_impl.h"
#include "store/silence_ids.h"

namespace pnode::store::postgres::impl {
namespace {

constexpr std::string_view kSelectSilences =
    "SELECT seq, address, pubkey, rule, starts_at, ends_at, created_at, comment, author FROM silences "
    "WHERE ends_at > $1::bigint ORDER BY seq";
constexpr std::string_view kInsertSilence =
    "INSERT INTO silences (address, pubkey, rule, starts_at, ends_at, created_at, comment, author) "
    "VALUES ($1::text, $2::text, $3::text, $4::bigint, $5::bigint, $6::bigint, $7::text, $8::text) RETURNING seq";
constexpr std::string_view kUpsertAck =
    "INSERT INTO alert_acks (rule, address, firing_since, author, comment, at) "
    "VALUES ($1::text, $2::text, $3::bigint, $4::text, $5::text, $6::bigint) "
    "ON CONFLICT (rule, address, firing_since) DO UPDATE SET author = excluded.author, comment = excluded.comment, "
    "at = excluded.at";
// The acknowledgements beyond the newest `max_kept` go.
constexpr std::string_view kTrimAcks =
    "DELETE FROM alert_acks WHERE (rule, address, firing_since) NOT IN "
    "(SELECT rule, address, firing_since FROM alert_acks ORDER BY at DESC, rule, address LIMIT $1::bigint)";

}  // namespace

Status save_monitor_state(Connection& conn, const std::string& body) {
  return conn.run("INSERT INTO monitor_state (id, body) VALUES (1, $1::text) "
                  "ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                  {body});
}

Result<std::string> read_monitor_state(Connection& conn) {
  auto r = conn.exec("SELECT body FROM monitor_state WHERE id = 1");
  if (!r) return r.error();
  return r->rows() > 0 ? r->string(0, 0) : std::string();
}

Status PostgresStore::write_attempt_events(const std::vector<EventRecord>& events, const std::string& monitor_state) {
  std::lock_guard lock(mutex_);
  const std::string context =
      "writing " + std::to_string(events.size()) + " events and the alert states to " + conn_.description();
  auto tx = Transaction::begin(conn_);
  if (!tx) return with_context(context, tx.error());
  if (auto st = insert_events(conn_, events, 0); !st) return with_context(context, st.error());
  if (auto st = save_monitor_state(conn_, monitor_state); !st) return with_context(context, st.error());
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return ok_status();
}

Result<std::string> PostgresStore::monitor_state() {
  std::lock_guard lock(read_mutex_);
  auto body = read_monitor_state(read_conn_);
  if (!body) return with_context("reading the alert states from " + read_conn_.description(), body.error());
  return body;
}

Result<SilenceRecord> PostgresStore::add_silence(const SilenceRecord& silence, int64_t now, size_t max_active) {
  std::lock_guard lock(mutex_);
  const std::string context = "adding a silence to " + conn_.description();
  auto tx = Transaction::begin(conn_);
  if (!tx) return with_context(context, tx.error());
  // Serialises adds across instances, so two cannot both pass the count.
  if (auto st = conn_.run("LOCK TABLE silences IN SHARE ROW EXCLUSIVE MODE"); !st) return with_context(context, st.error());
  if (auto st = conn_.run("DELETE FROM silences WHERE ends_at < $1::bigint", {int_param(now - kExpiredSilenceRetentionSeconds)});
      !st)
    return with_context(context, st.error());
  auto active = conn_.exec("SELECT count(*) FROM silences WHERE ends_at > $1::bigint", {int_param(now)});
  if (!active) return with_context(context, active.error());
  if (active->int64(0, 0) >= static_cast<int64_t>(max_active))
    return make_error(ErrorCode::kTooLarge, "at most " + std::to_string(max_active) + " silences may be active");
  auto inserted = conn_.exec(kInsertSilence, {silence.address, silence.pubkey, silence.rule, int_param(silence.starts_at),
                                              int_param(silence.ends_at), int_param(now), silence.comment, silence.author});
  if (!inserted) return with_context(context, inserted.error());
  SilenceRecord stored = silence;
  stored.id = silence_id(inserted->int64(0, 0));
  stored.created_at = now;
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return stored;
}

Result<std::vector<SilenceRecord>> PostgresStore::silences(int64_t ended_after) {
  std::lock_guard lock(read_mutex_);
  auto r = read_conn_.exec(kSelectSilences, {int_param(ended_after)});
  if (!r) return with_context("reading silences from " + read_conn_.description(), r.error());
  std::vector<SilenceRecord> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back(SilenceRecord{silence_id(r->int64(i, 0)), r->opt_string(i, 1), r->opt_string(i, 2),
                                r->opt_string(i, 3), r->int64(i, 4), r->int64(i, 5), r->int64(i, 6),
                                r->string(i, 7), r->string(i, 8)});
  return out;
}

Result<bool> PostgresStore::remove_silence(const std::string& id) {
  auto seq = silence_seq(id);
  if (!seq) return false;
  std::lock_guard lock(mutex_);
  auto r = conn_.exec("DELETE FROM silences WHERE seq = $1::bigint", {int_param(*seq)});
  if (!r) return with_context("removing silence " + id + " from " + conn_.description(), r.error());
  return r->affected() > 0;
}

Status PostgresStore::record_ack(const AckRecord& ack, size_t max_kept) {
  std::lock_guard lock(mutex_);
  const std::string context = "recording an acknowledgement in " + conn_.description();
  auto tx = Transaction::begin(conn_);
  if (!tx) return with_context(context, tx.error());
  if (auto st = conn_.run(kUpsertAck, {ack.rule, ack.address, int_param(ack.firing_since), ack.author, ack.comment,
                                       int_param(ack.at)});
      !st)
    return with_context(context, st.error());
  if (auto st = conn_.run(kTrimAcks, {int_param(static_cast<int64_t>(max_kept))}); !st)
    return with_context(context, st.error());
  return tx->commit();
}

Result<std::vector<AckRecord>> PostgresStore::acks() {
  std::lock_guard lock(read_mutex_);
  auto r = read_conn_.exec(
      "SELECT rule, address, firing_since, author, comment, at FROM alert_acks ORDER BY rule, address, firing_since");
  if (!r) return with_context("reading acknowledgements from " + read_conn_.description(), r.error());
  std::vector<AckRecord> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back(AckRecord{r->string(i, 0), r->string(i, 1), r->int64(i, 2), r->string(i, 3), r->string(i, 4),
                            r->int64(i, 5)});
  return out;
}

}  // namespace pnode::store::postgres::impl
