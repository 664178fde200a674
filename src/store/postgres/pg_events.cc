#include "store/postgres/pg_events.h"

#include <string>
#include <string_view>

namespace pnode::store::postgres {
namespace {

constexpr std::string_view kInsertEvent =
    "INSERT INTO events (id, type, time, cycle, address, pubkey, body) VALUES ($1::text, $2::text, $3::bigint, "
    "$4::bigint, $5::text, $6::text, $7::text) ON CONFLICT (id) DO NOTHING";
constexpr std::string_view kDeleteOldEvents = "DELETE FROM events WHERE time < $1::bigint";
// A null filter matches everything.
constexpr std::string_view kSelectEvents =
    "SELECT seq, id, type, time, cycle, address, pubkey, body FROM events "
    "WHERE seq > $1::bigint AND time >= $2::bigint AND ($3::text IS NULL OR address = $3::text) "
    "AND ($4::text IS NULL OR pubkey = $4::text) AND ($5::text IS NULL OR type = $5::text) "
    "ORDER BY seq LIMIT $6::bigint";

}  // namespace

Status insert_events(Connection& conn, const std::vector<EventRecord>& events, int64_t retention_cutoff) {
  for (const auto& e : events) {
    auto st = conn.run(kInsertEvent, {e.id, e.type, int_param(e.time), int_param(static_cast<int64_t>(e.cycle)),
                                      e.address, e.pubkey, e.body});
    if (!st) return with_context("saving event " + e.id, st.error());
  }
  if (retention_cutoff <= 0) return ok_status();
  return conn.run(kDeleteOldEvents, {int_param(retention_cutoff)});
}

Result<std::vector<StoredEvent>> select_events(Connection& conn, const EventQuery& query) {
  auto rows = conn.exec(kSelectEvents, {int_param(query.after), int_param(query.since), query.address, query.pubkey,
                                        query.type, int_param(static_cast<int64_t>(query.limit))});
  if (!rows) return rows.error();
  std::vector<StoredEvent> out;
  out.reserve(static_cast<size_t>(rows->rows()));
  for (int i = 0; i < rows->rows(); ++i) {
    out.push_back(StoredEvent{rows->int64(i, 0), EventRecord{rows->string(i, 1), rows->string(i, 2), rows->int64(i, 3),
                                                             rows->uint64(i, 4), rows->string(i, 5),
                                                             rows->string(i, 6), rows->string(i, 7)}});
  }
  return out;
}

}  // namespace pnode::store::postgres
