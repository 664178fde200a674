// Schema migrations of the PostgreSQL store: numbered steps, each applied in its own
// transaction together with the version it reaches (schema_version), under a
// transaction-scoped advisory lock so instances starting together migrate once.
// Thread-safety: runs on the caller's connection only.
#pragma once

#include "store/postgres/pg_conn.h"
#include "util/result.h"

namespace pnode::store::postgres {

// The version this build writes.
int schema_version_latest();
// Brings the database up to schema_version_latest(); kind "schema_too_new" for a
// database a newer build has migrated.
Status migrate(Connection& conn);

}  // namespace pnode::store::postgres
