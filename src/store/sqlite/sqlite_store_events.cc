// The event outbox of the SQLite backend (docs/events.md): written in the cycle's
// transaction, read by the /events routes and the stream.
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/db.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace pnode::store::sqlite {
namespace {

constexpr std::string_view kInsertEvent =
    "INSERT INTO events (id, type, time, cycle, address, pubkey, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT (id) DO NOTHING";
constexpr std::string_view kDeleteOldEvents = "DELETE FROM events WHERE time < ?1";
// A null filter matches everything; seq is the primary key, so the cursor is a range scan.
constexpr std::string_view kSelectEvents =
    "SELECT seq, id, type, time, cycle, address, pubkey, body FROM events "
    "WHERE seq > ?1 AND time >= ?2 AND (?3 IS NULL OR address = ?3) AND (?4 IS NULL OR pubkey = ?4) "
    "AND (?5 IS NULL OR type = ?5) ORDER BY seq LIMIT ?6";

void bind_optional(Statement& s, int index, const std::optional<std::string>& value) {
  if (value)
    s.bind(index, *value);
  else
    s.bind_null(index);
}

}  // namespace

Status insert_event_rows(Database& db, const std::vector<EventRecord>& events, int64_t retention_cutoff) {
  if (!events.empty()) {
    auto insert = db.prepare(kInsertEvent);
    if (!insert) return insert.error();
    for (const auto& e : events) {
      insert->reset();
      auto st = insert->bind(1, e.id)
                    .bind(2, e.type)
                    .bind(3, e.time)
                    .bind(4, e.cycle)
                    .bind(5, e.address)
                    .bind(6, e.pubkey)
                    .bind(7, e.body)
                    .run();
      if (!st) return with_context("saving event " + e.id, st.error());
    }
  }
  if (retention_cutoff <= 0) return ok_status();
  auto prune = db.prepare(kDeleteOldEvents);
  if (!prune) return prune.error();
  return prune->bind(1, retention_cutoff).run();
}

Status SqliteStore::write_events(const std::vector<EventRecord>& events) {
  const std::string context = "writing " + std::to_string(events.size()) + " events to " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st;
  std::lock_guard lock(write_mutex_);
  auto tx = Transaction::begin(writer_.db, Transaction::Kind::kImmediate);
  if (!tx) return with_context(context, tx.error());
  if (auto st = insert_event_rows(writer_.db, events, 0); !st) return with_context(context, st.error());
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return ok_status();
}

Result<std::vector<StoredEvent>> SqliteStore::read_events(const EventQuery& query) {
  const std::string context = "reading events from " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  auto select = (*reader)->db.prepare(kSelectEvents);
  if (!select) return with_context(context, select.error());
  select->bind(1, query.after).bind(2, query.since);
  bind_optional(*select, 3, query.address);
  bind_optional(*select, 4, query.pubkey);
  bind_optional(*select, 5, query.type);
  select->bind(6, static_cast<int64_t>(query.limit));
  std::vector<StoredEvent> out;
  for (;;) {
    auto row = select->step();
    if (!row) return with_context(context, row.error());
    if (!*row) break;
    out.push_back(StoredEvent{select->column_int64(0),
                              EventRecord{select->column_string(1), select->column_string(2), select->column_int64(3),
                                          select->column_uint64(4), select->column_string(5),
                                          select->column_string(6), select->column_string(7)}});
  }
  return out;
}

Result<int64_t> SqliteStore::last_event_seq() {
  auto reader = take_reader();
  if (!reader) return reader.error();
  auto last = (*reader)->db.query_int("SELECT coalesce(max(seq), 0) FROM events");
  if (!last) return with_context("reading the last event of " + path_, last.error());
  return *last;
}

Result<int64_t> SqliteStore::event_cursor(const std::string& name) {
  const std::string context = "reading the event cursor " + name + " of " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  auto select = (*reader)->db.prepare("SELECT seq FROM event_cursors WHERE name = ?1");
  if (!select) return with_context(context, select.error());
  select->bind(1, name);
  auto row = select->step();
  if (!row) return with_context(context, row.error());
  return *row ? select->column_int64(0) : int64_t{0};
}

Status SqliteStore::save_event_cursor(const std::string& name, int64_t seq) {
  const std::string context = "saving the event cursor " + name + " to " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st;
  std::lock_guard lock(write_mutex_);
  auto upsert = writer_.db.prepare(
      "INSERT INTO event_cursors (name, seq) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq");
  if (!upsert) return with_context(context, upsert.error());
  if (auto st = upsert->bind(1, name).bind(2, seq).run(); !st) return with_context(context, st.error());
  return ok_status();
}

}  // namespace pnode::store::sqlite
