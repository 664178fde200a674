// Registry entries and network samples to and from the PostgreSQL store's rows: the
// parameters of its upserts, and the columns of its selects (pg_statements.h), in order.
// Thread-safety: pure functions.
#pragma once

#include "model/history.h"
#include "model/snapshot.h"
#include "store/postgres/pg_conn.h"
#include "util/result.h"

namespace pnode::store::postgres {

// Fails (kInvalidData) for a source IP the stored list could not hold.
Result<Params> registry_params(const model::RegistryEntry& e);
// The columns of kSelectRegistry (and of the rows select, which starts with them).
model::RegistryEntry read_registry_entry(const PgResult& r, int row);
Params network_params(const model::NetworkHistoryRow& r);
Result<model::NetworkHistoryRow> read_network_row(const PgResult& s, int row);

}  // namespace pnode::store::postgres
