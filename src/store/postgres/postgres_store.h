// The PostgreSQL backend of Store (store.h), reached through open_store() with a
// postgres:// or postgresql:// URL. The schema and its reasons are in docs/storage.md
// ("PostgreSQL"); the connection layer is pg_conn.h.
// Thread-safety: as store.h says; the store has one connection and serialises every
// call on it with a mutex (readers wait for a cycle's write).
#pragma once

#include <memory>
#include <string>

#include "store/store.h"
#include "util/result.h"

namespace pnode::store::postgres {

// `conninfo` is handed to libpq as is (a URL or keywords; PG* variables fill the gaps).
// Connects, migrates the schema, and fails with kind "cannot_open" (naming libpq's
// reason, never the password) when the server cannot be reached.
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& conninfo);

}  // namespace pnode::store::postgres
