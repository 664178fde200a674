// A thin RAII layer over the SQLite C API: a connection (Database), prepared statements
// (Statement) with bind/step/column, and transactions that roll back unless committed.
// Every SQLite failure becomes a pnode::Error whose message is SQLite's own text
// ("database or disk is full"); callers prefix what they were doing. Nothing here throws.
// Kinds: "disk_full", "io_error", "busy", "constraint", "corrupt", "read_only",
// "cannot_open", "database_error".
// Thread-safety: none. A Database and its Statements belong to one thread at a time
// (the owner serialises access, e.g. with a mutex).
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "util/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace pnode::store::sqlite {

// Builds an Error from a SQLite result code; `context` says what was being done.
// The connection's last message is used when `db` is given, SQLite's generic text otherwise.
Error sqlite_error(sqlite3* db, int rc, std::string_view context);

// SQLite integers are signed 64-bit; unsigned counters (bytes can exceed 2^63 only in
// theory) are stored bit-for-bit so every uint64_t round-trips.
inline int64_t to_stored(uint64_t v) {
  int64_t s;
  std::memcpy(&s, &v, sizeof s);
  return s;
}
inline uint64_t from_stored(int64_t s) {
  uint64_t v;
  std::memcpy(&v, &s, sizeof v);
  return v;
}

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. A failed bind is remembered and reported by
  // the next step()/run(), so call sites stay linear.
  Statement& bind(int index, int64_t v);
  Statement& bind(int index, int v) { return bind(index, static_cast<int64_t>(v)); }
  Statement& bind(int index, bool v) { return bind(index, static_cast<int64_t>(v ? 1 : 0)); }
  Statement& bind(int index, uint64_t v) { return bind(index, to_stored(v)); }
  Statement& bind(int index, double v);
  Statement& bind(int index, std::string_view v);  // copied by SQLite (SQLITE_TRANSIENT)
  Statement& bind(int index, const std::string& v) { return bind(index, std::string_view(v)); }
  Statement& bind(int index, const char* v) { return bind(index, std::string_view(v)); }
  Statement& bind_null(int index);
  // Binds bytes as a BLOB (bind(string_view) binds TEXT); copied by SQLite.
  Statement& bind_blob(int index, std::string_view bytes);
  template <class T>
  Statement& bind(int index, const std::optional<T>& v) {
    return v ? bind(index, *v) : bind_null(index);
  }

  // Advances: true when a row is available, false when the statement is done.
  Result<bool> step();
  // Steps a statement that returns no rows to completion, then resets it for reuse.
  Status run();
  // Makes the statement reusable and clears its bindings.
  void reset();

  // Columns are 0-based, as in SQLite; valid after step() returned true.
  bool is_null(int col) const;
  int64_t column_int64(int col) const;
  uint64_t column_uint64(int col) const { return from_stored(column_int64(col)); }
  bool column_bool(int col) const { return column_int64(col) != 0; }
  double column_double(int col) const;
  std::string_view column_text(int col) const;  // valid until the next step/reset
  std::string column_string(int col) const { return std::string(column_text(col)); }
  std::string_view column_blob(int col) const;  // valid until the next step/reset
  std::optional<int64_t> column_opt_int64(int col) const;
  std::optional<uint64_t> column_opt_uint64(int col) const;
  std::optional<double> column_opt_double(int col) const;
  std::optional<std::string> column_opt_string(int col) const;

  bool valid() const { return stmt_ != nullptr; }

 private:
  void note_bind(int rc, int index);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = 0;  // first failed bind since the last reset, 0 when none
  int bind_index_ = 0;
};

// Resets a reused statement when the scope ends, so a half-read query never keeps a read
// transaction open (which would stall WAL checkpoints) and the next use starts clean.
class ScopedReset {
 public:
  explicit ScopedReset(Statement& stmt) : stmt_(stmt) { stmt_.reset(); }
  ~ScopedReset() { stmt_.reset(); }
  ScopedReset(const ScopedReset&) = delete;
  ScopedReset& operator=(const ScopedReset&) = delete;

 private:
  Statement& stmt_;
};

class Database {
 public:
  enum class Mode { kReadWriteCreate, kReadWrite };

  Database() = default;
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Opens (or creates) the file; errors read "unable to open database file: <path>".
  static Result<Database> open(const std::string& path, Mode mode);

  // Runs one or more statements that return no rows (schema, PRAGMAs).
  Status exec(std::string_view sql);
  // Prepares a statement meant to be kept and reused (SQLITE_PREPARE_PERSISTENT).
  Result<Statement> prepare(std::string_view sql);
  // Runs a query returning one integer (e.g. "PRAGMA user_version").
  Result<int64_t> query_int(std::string_view sql);
  // Runs a query returning one text value (e.g. "PRAGMA journal_mode=WAL").
  Result<std::string> query_text(std::string_view sql);

  int64_t changes() const;
  int64_t last_insert_rowid() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// BEGIN on construction, ROLLBACK on destruction unless commit() succeeded.
class Transaction {
 public:
  enum class Kind { kDeferred, kImmediate };

  static Result<Transaction> begin(Database& db, Kind kind);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  Status commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  // null once committed or rolled back
};

// `e` with "context: " before its message (what was being done when it failed).
Error with_context(const std::string& context, Error e);

// Steps a one-row, one-column query (already bound) and resets it; nullopt when the
// value is NULL or there is no row.
Result<std::optional<int64_t>> optional_int(Statement& s);

// Prepares each SQL text into its Statement, in order; the first failure is returned.
Status prepare_all(Database& db, std::initializer_list<std::pair<Statement*, std::string_view>> statements);

}  // namespace pnode::store::sqlite
