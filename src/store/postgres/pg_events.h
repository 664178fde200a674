// The event outbox of the PostgreSQL store (docs/events.md): the statements that write
// and read the `events` table, on a connection the caller holds (and, for writes, inside
// the caller's transaction).
// Thread-safety: as the Connection given (one thread at a time).
#pragma once

#include <cstdint>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/store.h"

namespace pnode::store::postgres {

// The events (ids already stored are skipped), then the deletion of events older than
// `retention_cutoff` (0: none).
Status insert_events(Connection& conn, const std::vector<EventRecord>& events, int64_t retention_cutoff);
Result<std::vector<StoredEvent>> select_events(Connection& conn, const EventQuery& query);

}  // namespace pnode::store::postgres
