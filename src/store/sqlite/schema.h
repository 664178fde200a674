// The SQLite schema as an ordered list of migrations, and the code that applies them.
// The database's version is PRAGMA user_version: the number of migrations applied.
// Opening runs every missing step in order, each in its own transaction (a step and its
// version bump commit together, so a crash leaves a consistent version). A database
// whose version is newer than this build knows is refused, never touched.
// Thread-safety: call on a connection nobody else is using (the store does it at open).
#pragma once

#include <span>
#include <string_view>

#include "store/sqlite/db.h"
#include "util/result.h"

namespace pnode::store::sqlite {

struct Migration {
  int version;                   // the user_version once applied: 1, 2, 3, ... in order
  std::string_view description;  // for error messages
  std::string_view sql;
};

// The store's schema history; append new steps, never edit applied ones.
std::span<const Migration> schema_migrations();

// Brings `db` up to the last version in `migrations` (which must be numbered 1..n).
// Errors: kind "schema_too_new" when the database is ahead of `migrations`, otherwise
// the SQLite error of the failing step, prefixed with its version and description.
Status migrate(Database& db, std::span<const Migration> migrations);

}  // namespace pnode::store::sqlite
