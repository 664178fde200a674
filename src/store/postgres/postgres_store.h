// The PostgreSQL backend of Store (store.h), reached through open_store() with a
// postgres:// or postgresql:// URL. The schema and its reasons are in docs/storage.md
// ("PostgreSQL"); the connection layer is pg_conn.h.
// Thread-safety: as store.h says; the store has one connection and serialises every
// call on it with a mutex; the history reads (node and network history, status,
// footprint) have a second connection and mutex of their own, so API routes do not wait
// behind a cycle's write.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "store/store.h"
#include "util/result.h"

namespace pnode::store::postgres {

struct PostgresOptions {
  // The clock that spaces reconnection attempts (pg_conn.h); steady_clock when empty.
  // Tests drive the backoff with their own.
  std::function<std::chrono::steady_clock::time_point()> clock;
};

// `conninfo` is handed to libpq as is (a URL or keywords; PG* variables fill the gaps).
// Connects, migrates the schema, and fails with kind "cannot_open" (naming libpq's
// reason, never the password) when the server cannot be reached. A connection lost
// later fails the calls (kind "io_error") until a reconnection succeeds; reconnection
// attempts back off from 100 ms to 5 s, and calls in between fail at once.
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& conninfo, PostgresOptions options = {});

}  // namespace pnode::store::postgres
