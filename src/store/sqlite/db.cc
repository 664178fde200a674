#include "store/sqlite/db.h"

#include <sqlite3.h>

#include <utility>

namespace pnode::store::sqlite {
namespace {

ErrorCode error_code_of(int rc) {
  switch (rc & 0xff) {  // the primary code; extended codes keep it in the low byte
    case SQLITE_FULL: return ErrorCode::kDiskFull;
    case SQLITE_IOERR: return ErrorCode::kIoError;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ErrorCode::kBusy;
    case SQLITE_CONSTRAINT: return ErrorCode::kConstraint;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return ErrorCode::kCorrupt;
    case SQLITE_READONLY: return ErrorCode::kReadOnly;
    case SQLITE_CANTOPEN: return ErrorCode::kCannotOpen;
    default: return ErrorCode::kDatabaseError;
  }
}

}  // namespace

Error sqlite_error(sqlite3* db, int rc, std::string_view context) {
  // The connection's message is more specific ("no such table: x") but only while it
  // still describes rc; fall back to the generic text otherwise.
  const char* text = (db != nullptr && sqlite3_errcode(db) == rc) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message(context);
  if (!message.empty()) message += ": ";
  message += text;
  return make_error(error_code_of(rc), std::move(message));
}

// ---- Statement -------------------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_),
      bind_index_(other.bind_index_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_rc_ = other.bind_rc_;
    bind_index_ = other.bind_index_;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::note_bind(int rc, int index) {
  if (rc != SQLITE_OK && bind_rc_ == 0) {
    bind_rc_ = rc;
    bind_index_ = index;
  }
}

Statement& Statement::bind(int index, int64_t v) {
  note_bind(sqlite3_bind_int64(stmt_, index, v), index);
  return *this;
}

Statement& Statement::bind(int index, double v) {
  note_bind(sqlite3_bind_double(stmt_, index, v), index);
  return *this;
}

Statement& Statement::bind(int index, std::string_view v) {
  note_bind(sqlite3_bind_text64(stmt_, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8), index);
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  // A zero-length blob still needs a non-null pointer, or SQLite binds NULL.
  static const char kEmpty = 0;
  note_bind(sqlite3_bind_blob64(stmt_, index, bytes.empty() ? &kEmpty : bytes.data(), bytes.size(), SQLITE_TRANSIENT),
            index);
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

Result<bool> Statement::step() {
  if (bind_rc_ != 0) {
    return sqlite_error(nullptr, bind_rc_,
                        "binding parameter " + std::to_string(bind_index_) + " of \"" + sqlite3_sql(stmt_) + "\"");
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error err = sqlite_error(db_, rc, "");
  sqlite3_reset(stmt_);
  return err;
}

Status Statement::run() {
  auto r = step();
  reset();
  if (!r) return r.error();
  return ok_status();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = 0;
  bind_index_ = 0;
}

bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

int64_t Statement::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }

double Statement::column_double(int col) const { return sqlite3_column_double(stmt_, col); }

std::string_view Statement::column_text(int col) const {
  const unsigned char* text = sqlite3_column_text(stmt_, col);
  if (text == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::string_view Statement::column_blob(int col) const {
  const void* bytes = sqlite3_column_blob(stmt_, col);
  if (bytes == nullptr) return {};
  return std::string_view(static_cast<const char*>(bytes), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::optional<int64_t> Statement::column_opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return column_int64(col);
}

std::optional<uint64_t> Statement::column_opt_uint64(int col) const {
  if (is_null(col)) return std::nullopt;
  return column_uint64(col);
}

std::optional<double> Statement::column_opt_double(int col) const {
  if (is_null(col)) return std::nullopt;
  return column_double(col);
}

std::optional<std::string> Statement::column_opt_string(int col) const {
  if (is_null(col)) return std::nullopt;
  return column_string(col);
}

// ---- Database --------------------------------------------------------------------------

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

// close_v2 defers the close until every statement is finalised, so member order in the
// owners does not matter.
Database::~Database() { sqlite3_close_v2(db_); }

Result<Database> Database::open(const std::string& path, Mode mode) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;  // callers serialise access
  if (mode == Mode::kReadWriteCreate) flags |= SQLITE_OPEN_CREATE;
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error err = sqlite_error(handle, rc, "");
    err.message += ": " + path;
    sqlite3_close_v2(handle);
    return err;
  }
  sqlite3_extended_result_codes(handle, 1);
  Database db;
  db.db_ = handle;
  db.path_ = path;
  return db;
}

Status Database::exec(std::string_view sql) {
  std::string text(sql);  // sqlite3_exec needs a NUL-terminated string
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return ok_status();
  Error err = sqlite_error(nullptr, rc, "");
  if (message != nullptr) {
    err.message = message;
    sqlite3_free(message);
  }
  return err;
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                              nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "preparing \"" + std::string(sql) + "\"");
  return Statement(db_, stmt);
}

Result<int64_t> Database::query_int(std::string_view sql) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return make_error(ErrorCode::kDatabaseError, "no result from \"" + std::string(sql) + "\"");
  return stmt->column_int64(0);
}

Result<std::string> Database::query_text(std::string_view sql) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return make_error(ErrorCode::kDatabaseError, "no result from \"" + std::string(sql) + "\"");
  return stmt->column_string(0);
}

int64_t Database::changes() const { return sqlite3_changes64(db_); }

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

// ---- Transaction -----------------------------------------------------------------------

Result<Transaction> Transaction::begin(Database& db, Kind kind) {
  // IMMEDIATE takes the write lock now, so a busy database fails here (after
  // busy_timeout) rather than halfway through the writes.
  auto st = db.exec(kind == Kind::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!st) return st.error();
  return Transaction(&db);
}

Transaction::~Transaction() {
  // Some errors (SQLITE_FULL, SQLITE_IOERR) already rolled back; ROLLBACK would then fail.
  if (db_ != nullptr && sqlite3_get_autocommit(db_->handle()) == 0) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  auto st = db_->exec("COMMIT");
  if (st) db_ = nullptr;  // on failure the destructor rolls back what is left
  return st;
}

Error with_context(const std::string& context, Error e) {
  e.message = context + ": " + e.message;
  return e;
}

Status prepare_all(Database& db, std::initializer_list<std::pair<Statement*, std::string_view>> statements) {
  for (const auto& [target, sql] : statements) {
    auto prepared = db.prepare(sql);
    if (!prepared) return prepared.error();
    *target = std::move(*prepared);
  }
  return ok_status();
}

Result<std::optional<int64_t>> optional_int(Statement& s) {
  struct ResetAfter {
    Statement& s;
    ~ResetAfter() { s.reset(); }
  } reset{s};
  auto row = s.step();
  if (!row) return row.error();
  if (!*row || s.is_null(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(s.column_int64(0));
}

}  // namespace pnode::store::sqlite
