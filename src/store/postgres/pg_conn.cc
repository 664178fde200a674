#include "store/postgres/pg_conn.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace pnode::store::postgres {
namespace {

// The extended protocol takes at most 65535 parameters a statement; batches of rows
// stay well below it and below statements of unwieldy size.
constexpr size_t kMaxParams = 30000;
constexpr size_t kMaxRowsPerBatch = 1000;
// Seconds to wait for a server to answer a new connection, unless the URL says.
constexpr const char* kDefaultConnectTimeout = "10";

// SQLSTATE classes and codes (PostgreSQL's errcodes.txt) -> the store's error kinds.
ErrorCode code_of(const char* sqlstate) {
  std::string_view s = sqlstate ? sqlstate : "";
  if (s == "53100") return ErrorCode::kDiskFull;
  if (s.starts_with("23")) return ErrorCode::kConstraint;
  if (s == "40001" || s == "40P01" || s == "55P03") return ErrorCode::kBusy;
  if (s == "25006") return ErrorCode::kReadOnly;
  if (s == "XX001" || s == "XX002") return ErrorCode::kCorrupt;
  if (s.starts_with("08") || s.starts_with("58")) return ErrorCode::kIoError;
  return ErrorCode::kDatabaseError;
}

std::string trimmed(const char* message) {
  std::string m = message ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

}  // namespace

Error with_context(const std::string& context, Error e) {
  e.message = context + ": " + e.message;
  return e;
}

Param int_param(int64_t v) { return std::to_string(v); }
Param uint_param(uint64_t v) { return std::to_string(static_cast<int64_t>(v)); }
Param bool_param(bool v) { return v ? "t" : "f"; }

Param double_param(double v) {
  if (std::isnan(v)) return std::nullopt;
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  return std::string(buf, end);
}

Param bytea_param(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Param text_array_param(const std::vector<std::string>& values) {
  std::string out = "{";
  for (const auto& v : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : v) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

// COPY's text format: backslash, tab, newline and carriage return are escaped.
void CopyRows::field(const Param& value) {
  if (!value) {
    data_ += "\\N\t";
    return;
  }
  // The stretches between special characters go in whole (a sample row is ~150 bytes of
  // hex with one backslash).
  std::string_view rest = *value;
  for (size_t special; (special = rest.find_first_of("\\\t\n\r")) != std::string_view::npos;) {
    data_ += rest.substr(0, special);
    switch (rest[special]) {
      case '\\': data_ += "\\\\"; break;
      case '\t': data_ += "\\t"; break;
      case '\n': data_ += "\\n"; break;
      default: data_ += "\\r";
    }
    rest.remove_prefix(special + 1);
  }
  data_ += rest;
  data_ += '\t';
}

// The binary COPY format (PostgreSQL's "COPY", File Formats): a signature, flags and
// header extension length; per row the field count, then each field's length and bytes,
// integers in network byte order; -1 as the field count ends the data.
BinaryCopyRows::BinaryCopyRows() {
  data_.assign("PGCOPY\n\377\r\n\0", 11);
  put_be(0, 4);  // flags
  put_be(0, 4);  // header extension length
}

void BinaryCopyRows::put_be(uint64_t v, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) data_ += static_cast<char>((v >> shift) & 0xff);
}

void BinaryCopyRows::begin_row(int16_t fields) { put_be(static_cast<uint16_t>(fields), 2); }

void BinaryCopyRows::int64_field(int64_t v) {
  put_be(8, 4);
  put_be(static_cast<uint64_t>(v), 8);
}

void BinaryCopyRows::bytes_field(std::string_view bytes) {
  put_be(bytes.size(), 4);
  data_ += bytes;
}

const std::string& BinaryCopyRows::finish() {
  put_be(0xffff, 2);
  return data_;
}

std::optional<std::string> PgResult::opt_string(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return string(row, col);
}

int64_t PgResult::int64(int row, int col) const {
  std::string_view t = text(row, col);
  int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

int64_t PgResult::binary_int64(int row, int col) const {
  // Network byte order, 8 bytes for bigint and 4 for integer.
  std::string_view t = text(row, col);
  uint64_t v = 0;
  for (char c : t) v = (v << 8) | static_cast<unsigned char>(c);
  if (t.size() == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

std::optional<int64_t> PgResult::opt_int64(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return int64(row, col);
}

std::optional<uint64_t> PgResult::opt_uint64(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return uint64(row, col);
}

double PgResult::real(int row, int col) const {
  if (is_null(row, col)) return std::numeric_limits<double>::quiet_NaN();
  // strtod reads the server's "NaN", "Infinity" and "-Infinity" as well.
  return std::strtod(PQgetvalue(r_.get(), row, col), nullptr);
}

std::optional<double> PgResult::opt_double(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return real(row, col);
}

std::string PgResult::bytea(int row, int col) const {
  size_t length = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r_.get(), row, col)), &length);
  if (!raw) return {};
  std::string out(reinterpret_cast<const char*>(raw), length);
  PQfreemem(raw);
  return out;
}

int64_t PgResult::affected() const {
  std::string_view t = PQcmdTuples(r_.get());
  int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

Connection::Connection(PGconn* conn) : conn_(conn, &PQfinish) {
  description_ = std::string("database ") + PQdb(conn) + " on " + PQhost(conn) + ":" + PQport(conn);
}

Result<Connection> Connection::open(const std::string& conninfo) {
  // Defaults first: what `conninfo` (expanded in place of dbname) says overrides them.
  // Without them a server that accepts the TCP connection and then says nothing would
  // stall the start, and a peer that vanishes mid-query would stall a cycle for hours.
  const char* keywords[] = {"connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count",
                            "application_name", "dbname", nullptr};
  const char* values[] = {kDefaultConnectTimeout, "30", "10", "3", "pnode-analytics", conninfo.c_str(), nullptr};
  // PGCONNECT_TIMEOUT, when set, wins over our default (an empty value is skipped).
  if (const char* env = std::getenv("PGCONNECT_TIMEOUT"); env && *env) values[0] = "";
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (!conn) return make_error(ErrorCode::kCannotOpen, "cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return make_error(ErrorCode::kCannotOpen, "cannot connect to PostgreSQL: " + why);
  }
  Connection c(conn);
  // Quiet the server's NOTICEs ("relation already exists, skipping") on stderr.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  if (auto st = c.configure_session(); !st) return st.error();
  return c;
}

Status Connection::configure_session() {
  if (auto st = run("SET client_min_messages = warning; SET TIME ZONE 'UTC'"); !st) return st;
  // lz4 compresses the large values (the snapshot's JSON) several times faster than the
  // default pglz; a server without it (built without lz4, or before 14) keeps pglz.
  (void)run("SET default_toast_compression = lz4");
  return ok_status();
}

Status Connection::ensure_connected() {
  if (connected()) return ok_status();
  const auto now = clock_();
  if (next_attempt_ && now < *next_attempt_) {
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*next_attempt_ - now);
    return make_error(ErrorCode::kIoError, "lost the connection to " + description_ + "; next reconnection attempt in " +
                                               std::to_string(wait.count()) + " ms");
  }
  ++reconnect_attempts_;
  PQreset(conn_.get());
  if (!connected()) {
    next_attempt_ = now + backoff_;
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    return make_error(ErrorCode::kIoError,
                      "lost the connection to " + description_ + ": " + trimmed(PQerrorMessage(conn_.get())));
  }
  next_attempt_.reset();
  backoff_ = kFirstBackoff;
  prepared_.clear();  // they went with the old session
  return configure_session();  // a new session starts with the server's defaults
}

Error Connection::failure(PGresult* r) const {
  const char* sqlstate = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_.get()));
  if (message.empty()) message = trimmed(PQerrorMessage(conn_.get()));
  ErrorCode code = connected() ? code_of(sqlstate) : ErrorCode::kIoError;
  return make_error(code, message);
}

Result<PgResult> Connection::exec(std::string_view sql, const Params& params) { return execute(sql, params, 0); }

Result<PgResult> Connection::exec_binary(std::string_view sql, const Params& params) { return execute(sql, params, 1); }

Result<PgResult> Connection::execute(std::string_view sql, const Params& params, int result_format) {
  if (auto st = ensure_connected(); !st) return st.error();
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  std::string text(sql);
  PGresult* r = params.empty() && result_format == 0
                    ? PQexec(conn_.get(), text.c_str())
                    : PQexecParams(conn_.get(), text.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                                   nullptr, nullptr, result_format);
  PgResult result(r);
  ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  return failure(r);
}

Result<PgResult> Connection::exec_prepared(const std::string& name, std::string_view sql, const Params& params) {
  return execute_prepared(name, sql, params, 0);
}

Result<PgResult> Connection::exec_prepared_binary(const std::string& name, std::string_view sql, const Params& params) {
  return execute_prepared(name, sql, params, 1);
}

Result<PgResult> Connection::execute_prepared(const std::string& name, std::string_view sql, const Params& params,
                                              int result_format) {
  if (auto st = ensure_connected(); !st) return st.error();
  if (!prepared_.contains(name)) {
    // Parameter types come from the casts in `sql`.
    PgResult prepared(PQprepare(conn_.get(), name.c_str(), std::string(sql).c_str(), 0, nullptr));
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) return failure(prepared.get());
    prepared_.insert(name);
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PgResult result(PQexecPrepared(conn_.get(), name.c_str(), static_cast<int>(params.size()), values.data(), nullptr,
                                 nullptr, result_format));
  ExecStatusType status = result.get() ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  return failure(result.get());
}

Status Connection::copy_in(std::string_view copy_sql, std::string_view data) {
  if (auto st = ensure_connected(); !st) return st;
  PgResult start(PQexec(conn_.get(), std::string(copy_sql).c_str()));
  if (PQresultStatus(start.get()) != PGRES_COPY_IN) return failure(start.get());
  // In pieces: libpq buffers what it is given, and a piece bounds that buffer.
  constexpr size_t kPiece = size_t{1} << 20;
  for (size_t at = 0; at < data.size(); at += kPiece) {
    int n = static_cast<int>(std::min(kPiece, data.size() - at));
    if (PQputCopyData(conn_.get(), data.data() + at, n) != 1) break;  // the result below says why
  }
  PQputCopyEnd(conn_.get(), nullptr);
  Status st = ok_status();
  // The COPY's own result, then nothing (libpq hands results out until null).
  while (PGresult* r = PQgetResult(conn_.get())) {
    PgResult result(r);
    if (st && PQresultStatus(r) != PGRES_COMMAND_OK) st = failure(r);
  }
  return st;
}

Status Connection::run(std::string_view sql, const Params& params) {
  auto r = exec(sql, params);
  if (!r) return r.error();
  return ok_status();
}

Result<Transaction> Transaction::begin(Connection& conn, std::string_view begin_sql) {
  if (auto st = conn.run(begin_sql); !st) return with_context("starting a transaction", st.error());
  return Transaction(&conn);
}

Transaction::~Transaction() {
  // A lost connection's transaction is gone with it: no reconnecting just to roll back.
  if (conn_ && conn_->connected()) (void)conn_->run("ROLLBACK");
}

Status Transaction::commit() {
  Connection* conn = conn_;
  conn_ = nullptr;
  if (auto st = conn->run("COMMIT"); !st) return with_context("committing", st.error());
  return ok_status();
}

Status copy_upsert(Connection& conn, std::string_view temp_table, std::string_view columns,
                   const std::vector<Params>& rows, std::string_view insert_select) {
  if (rows.empty()) return ok_status();
  const std::string table(temp_table);
  if (auto st = conn.run("CREATE TEMP TABLE IF NOT EXISTS " + table + " (" + std::string(columns) +
                         ") ON COMMIT DELETE ROWS");
      !st)
    return st;
  CopyRows data;
  for (const auto& row : rows) {
    for (const auto& value : row) data.field(value);
    data.end_row();
  }
  if (auto st = conn.copy_in("COPY " + table + " FROM STDIN", data); !st) return st;
  return conn.run(insert_select);
}

Status insert_rows(Connection& conn, std::string_view head, const std::vector<std::string_view>& types,
                   const std::vector<Params>& rows, std::string_view tail) {
  const size_t columns = types.size();
  const size_t per_batch = std::max<size_t>(1, std::min(kMaxRowsPerBatch, kMaxParams / columns));
  for (size_t from = 0; from < rows.size(); from += per_batch) {
    size_t to = std::min(rows.size(), from + per_batch);
    std::string sql(head);
    Params params;
    params.reserve((to - from) * columns);
    for (size_t i = from; i < to; ++i) {
      sql += i == from ? "(" : ",(";
      for (size_t c = 0; c < columns; ++c) {
        params.push_back(rows[i][c]);
        sql += (c == 0 ? "$" : ",$") + std::to_string(params.size()) + "::" + std::string(types[c]);
      }
      sql += ")";
    }
    sql += tail;
    if (auto st = conn.run(sql, params); !st) return st;
  }
  return ok_status();
}

}  // namespace pnode::store::postgres
