// The alert lifecycle's shared state in the SQLite backend (docs/events.md): the
// collector's monitor state, written in the cycle's (or attempt's) transaction; silences
// and acknowledgements, written by the API.
#include <string>
#include <vector>

#include "store/silence_ids.h"
#include "store/sqlite/db.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace pnode::store::sqlite {
namespace {

constexpr std::string_view kSelectSilences =
    "SELECT seq, address, pubkey, rule, starts_at, ends_at, created_at, comment, author FROM silences "
    "WHERE ends_at > ?1 ORDER BY seq";
// The acknowledgements beyond the newest `max_kept` go.
constexpr std::string_view kTrimAcks =
    "DELETE FROM alert_acks WHERE (rule, address, firing_since) NOT IN "
    "(SELECT rule, address, firing_since FROM alert_acks ORDER BY at DESC, rule, address LIMIT ?1)";

SilenceRecord read_silence(const Statement& s) {
  return SilenceRecord{silence_id(s.column_int64(0)), s.column_opt_string(1), s.column_opt_string(2),
                       s.column_opt_string(3),        s.column_int64(4),      s.column_int64(5),
                       s.column_int64(6),             s.column_string(7),     s.column_string(8)};
}

}  // namespace

Status save_monitor_state(Database& db, const std::string& body) {
  auto upsert = db.prepare(
      "INSERT INTO monitor_state (id, body) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET body = excluded.body");
  if (!upsert) return upsert.error();
  return upsert->bind(1, body).run();
}

Result<std::string> read_monitor_state(Database& db) {
  auto select = db.prepare("SELECT body FROM monitor_state WHERE id = 1");
  if (!select) return select.error();
  auto row = select->step();
  if (!row) return row.error();
  return *row ? select->column_string(0) : std::string();
}

Status SqliteStore::write_attempt_events(const std::vector<EventRecord>& events, const std::string& monitor_state) {
  const std::string context = "writing " + std::to_string(events.size()) + " events and the alert states to " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st;
  std::lock_guard lock(write_mutex_);
  auto tx = Transaction::begin(writer_.db, Transaction::Kind::kImmediate);
  if (!tx) return with_context(context, tx.error());
  if (auto st = insert_event_rows(writer_.db, events, 0); !st) return with_context(context, st.error());
  if (auto st = save_monitor_state(writer_.db, monitor_state); !st) return with_context(context, st.error());
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return ok_status();
}

Result<std::string> SqliteStore::monitor_state() {
  auto reader = take_reader();
  if (!reader) return reader.error();
  auto body = read_monitor_state((*reader)->db);
  if (!body) return with_context("reading the alert states from " + path_, body.error());
  return body;
}

Result<SilenceRecord> SqliteStore::add_silence(const SilenceRecord& silence, int64_t now, size_t max_active) {
  const std::string context = "adding a silence to " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st.error();
  std::lock_guard lock(write_mutex_);
  Database& db = writer_.db;
  auto tx = Transaction::begin(db, Transaction::Kind::kImmediate);
  if (!tx) return with_context(context, tx.error());
  auto prune = db.prepare("DELETE FROM silences WHERE ends_at < ?1");
  if (!prune) return with_context(context, prune.error());
  if (auto st = prune->bind(1, now - kExpiredSilenceRetentionSeconds).run(); !st) return with_context(context, st.error());
  auto count = db.prepare("SELECT count(*) FROM silences WHERE ends_at > ?1");
  if (!count) return with_context(context, count.error());
  count->bind(1, now);
  auto active = optional_int(*count);
  if (!active) return with_context(context, active.error());
  if (active->value_or(0) >= static_cast<int64_t>(max_active))
    return make_error(ErrorCode::kTooLarge, "at most " + std::to_string(max_active) + " silences may be active");
  auto insert = db.prepare(
      "INSERT INTO silences (address, pubkey, rule, starts_at, ends_at, created_at, comment, author) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!insert) return with_context(context, insert.error());
  auto st = insert->bind(1, silence.address)
                .bind(2, silence.pubkey)
                .bind(3, silence.rule)
                .bind(4, silence.starts_at)
                .bind(5, silence.ends_at)
                .bind(6, now)
                .bind(7, silence.comment)
                .bind(8, silence.author)
                .run();
  if (!st) return with_context(context, st.error());
  SilenceRecord stored = silence;
  stored.id = silence_id(db.last_insert_rowid());
  stored.created_at = now;
  if (auto committed = tx->commit(); !committed) return with_context(context, committed.error());
  return stored;
}

Result<std::vector<SilenceRecord>> SqliteStore::silences(int64_t ended_after) {
  const std::string context = "reading silences from " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  auto select = (*reader)->db.prepare(kSelectSilences);
  if (!select) return with_context(context, select.error());
  select->bind(1, ended_after);
  std::vector<SilenceRecord> out;
  for (;;) {
    auto row = select->step();
    if (!row) return with_context(context, row.error());
    if (!*row) break;
    out.push_back(read_silence(*select));
  }
  return out;
}

Result<bool> SqliteStore::remove_silence(const std::string& id) {
  const std::string context = "removing silence " + id + " from " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st.error();
  auto seq = silence_seq(id);
  if (!seq) return false;
  std::lock_guard lock(write_mutex_);
  auto remove = writer_.db.prepare("DELETE FROM silences WHERE seq = ?1");
  if (!remove) return with_context(context, remove.error());
  if (auto st = remove->bind(1, *seq).run(); !st) return with_context(context, st.error());
  return writer_.db.changes() > 0;
}

Status SqliteStore::record_ack(const AckRecord& ack, size_t max_kept) {
  const std::string context = "recording an acknowledgement in " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st;
  std::lock_guard lock(write_mutex_);
  Database& db = writer_.db;
  auto tx = Transaction::begin(db, Transaction::Kind::kImmediate);
  if (!tx) return with_context(context, tx.error());
  auto upsert = db.prepare(
      "INSERT INTO alert_acks (rule, address, firing_since, author, comment, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
      "ON CONFLICT (rule, address, firing_since) DO UPDATE SET author = excluded.author, comment = excluded.comment, "
      "at = excluded.at");
  if (!upsert) return with_context(context, upsert.error());
  auto st = upsert->bind(1, ack.rule)
                .bind(2, ack.address)
                .bind(3, ack.firing_since)
                .bind(4, ack.author)
                .bind(5, ack.comment)
                .bind(6, ack.at)
                .run();
  if (!st) return with_context(context, st.error());
  auto trim = db.prepare(kTrimAcks);
  if (!trim) return with_context(context, trim.error());
  if (auto trimmed = trim->bind(1, static_cast<int64_t>(max_kept)).run(); !trimmed)
    return with_context(context, trimmed.error());
  return tx->commit();
}

Result<std::vector<AckRecord>> SqliteStore::acks() {
  const std::string context = "reading acknowledgements from " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  auto select = (*reader)->db.prepare(
      "SELECT rule, address, firing_since, author, comment, at FROM alert_acks ORDER BY rule, address, firing_since");
  if (!select) return with_context(context, select.error());
  std::vector<AckRecord> out;
  for (;;) {
    auto row = select->step();
    if (!row) return with_context(context, row.error());
    if (!*row) break;
    out.push_back(AckRecord{select->column_string(0), select->column_string(1), select->column_int64(2),
                            select->column_string(3), select->column_string(4), select->column_int64(5)});
  }
  return out;
}

}  // namespace pnode::store::sqlite
