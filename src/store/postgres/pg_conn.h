// A thin layer over libpq for the PostgreSQL store: one connection, statements with
// text parameters and text results, bulk rows through COPY (text format), SQLSTATEs
// mapped to the store's error kinds, reconnection with exponential backoff, and a
// transaction guard that rolls back unless committed. Values cross as text (libpq's
// default), bytea as hex ('\x...'), so no binary layout of the server matters.
// Thread-safety: a Connection (and its results) belongs to one thread at a time; the
// store guards its connection with a mutex.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace pnode::store::postgres {

// A statement parameter in text form; nullopt is SQL NULL.
using Param = std::optional<std::string>;
using Params = std::vector<Param>;

Error with_context(const std::string& context, Error e);

// Text forms of values as the server reads them. Unsigned counters are stored bit for
// bit in bigint columns; NaN doubles become NULL (and read back as NaN).
Param int_param(int64_t v);
Param uint_param(uint64_t v);
Param double_param(double v);
Param bool_param(bool v);
Param bytea_param(std::string_view bytes);
// A text[] literal ('{"a","b"}') of `values`, for "= ANY($1::text[])".
Param text_array_param(const std::vector<std::string>& values);
template <class T>
Param opt_int_param(const std::optional<T>& v) {
  return v ? int_param(static_cast<int64_t>(*v)) : std::nullopt;
}

// The rows of one statement.
class PgResult {
 public:
  explicit PgResult(PGresult* r) : r_(r, &PQclear) {}
  int rows() const { return PQntuples(r_.get()); }
  bool is_null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string_view text(int row, int col) const {
    return {PQgetvalue(r_.get(), row, col), static_cast<size_t>(PQgetlength(r_.get(), row, col))};
  }
  std::string string(int row, int col) const { return std::string(text(row, col)); }
  std::optional<std::string> opt_string(int row, int col) const;
  int64_t int64(int row, int col) const;
  uint64_t uint64(int row, int col) const { return static_cast<uint64_t>(int64(row, col)); }
  std::optional<int64_t> opt_int64(int row, int col) const;
  std::optional<uint64_t> opt_uint64(int row, int col) const;
  // NULL reads as NaN.
  double real(int row, int col) const;
  std::optional<double> opt_double(int row, int col) const;
  bool boolean(int row, int col) const { return text(row, col) == "t"; }
  // A bigint or integer column of a result in binary form (Connection::exec_binary).
  int64_t binary_int64(int row, int col) const;
  std::string bytea(int row, int col) const;
  // Rows an INSERT, UPDATE or DELETE touched.
  int64_t affected() const;
  PGresult* get() const { return r_.get(); }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

// Rows for COPY ... FROM STDIN in text format: fields escaped, tab-separated, NULL as \N.
class CopyRows {
 public:
  void field(const Param& value);
  void end_row() { data_.back() = '\n'; }  // replaces the last field's tab
  const std::string& data() const { return data_; }

 private:
  std::string data_;
};

// Rows for COPY ... FROM STDIN (FORMAT binary): integers and bytes as they are, with no
// text to escape here or to parse on the server. Call finish() once, after the last row.
class BinaryCopyRows {
 public:
  BinaryCopyRows();
  void begin_row(int16_t fields);
  void int64_field(int64_t v);
  void bytes_field(std::string_view bytes);
  const std::string& finish();

 private:
  void put_be(uint64_t v, int bytes);
  std::string data_;
};

class Connection {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // Waits between reconnection attempts: the first attempt after a loss is immediate,
  // each failed one doubles the wait up to the maximum, a success resets it.
  static constexpr std::chrono::milliseconds kFirstBackoff{100};
  static constexpr std::chrono::milliseconds kMaxBackoff{5000};

  // `conninfo`: a postgres:// URL or libpq keywords; PG* environment variables fill in
  // what it leaves out. Unless they say otherwise, a connection attempt gives up after
  // 10 s and TCP keepalives notice a vanished server within about a minute. Errors (kind
  // "cannot_open") carry libpq's reason, never the URL (it may hold a password).
  static Result<Connection> open(const std::string& conninfo);

  // "database pnodes on 127.0.0.1:5432": names the database in messages, without secrets.
  const std::string& description() const { return description_; }

  // Runs one statement. A broken connection is reset first, unless a reset failed
  // less than the backoff ago: then the call fails at once (kIoError) without asking
  // the server, so a store whose server is away neither hangs nor hammers it.
  Result<PgResult> exec(std::string_view sql, const Params& params = {});
  Status run(std::string_view sql, const Params& params = {});
  // The same with results in binary form: a bytea column reads as its bytes through
  // PgResult::text(), with no hex to decode (select bytea columns only).
  Result<PgResult> exec_binary(std::string_view sql, const Params& params = {});
  // exec() and exec_binary() of a statement prepared once a session under `name` (one
  // name, one `sql`): later calls skip parsing and, once the server settles on a generic
  // plan, planning too (which for a parameter of megabytes copies it around).
  Result<PgResult> exec_prepared(const std::string& name, std::string_view sql, const Params& params);
  Result<PgResult> exec_prepared_binary(const std::string& name, std::string_view sql, const Params& params);
  // COPY ... FROM STDIN (`copy_sql`) with `rows`: one round trip for any number of rows.
  Status copy_in(std::string_view copy_sql, const CopyRows& rows) { return copy_in(copy_sql, rows.data()); }
  // `data` in the format `copy_sql` names (BinaryCopyRows for FORMAT binary).
  Status copy_in(std::string_view copy_sql, std::string_view data);

  bool connected() const { return PQstatus(conn_.get()) == CONNECTION_OK; }
  // Reconnection attempts so far (tests count them).
  int reconnect_attempts() const { return reconnect_attempts_; }
  // Tests drive the backoff with a clock of their own.
  void set_clock(Clock clock) { clock_ = std::move(clock); }

 private:
  explicit Connection(PGconn* conn);
  Result<PgResult> execute(std::string_view sql, const Params& params, int result_format);
  Result<PgResult> execute_prepared(const std::string& name, std::string_view sql, const Params& params,
                                    int result_format);
  Status configure_session();
  // Resets a broken connection, or fails at once during the backoff.
  Status ensure_connected();
  Error failure(PGresult* r) const;

  std::unique_ptr<PGconn, void (*)(PGconn*)> conn_;
  std::string description_;
  Clock clock_ = [] { return std::chrono::steady_clock::now(); };
  std::chrono::milliseconds backoff_ = kFirstBackoff;
  std::optional<std::chrono::steady_clock::time_point> next_attempt_;  // set after a failed reset
  int reconnect_attempts_ = 0;
  std::set<std::string> prepared_;  // names prepared in this session
};

// BEGIN on construction (begin() reports failure); ROLLBACK unless commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& conn, std::string_view begin_sql = "BEGIN");
  Transaction(Transaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Connection* conn) : conn_(conn) {}
  Connection* conn_;
};

// Upserts `rows` in one COPY: creates the temporary table `temp_table` with the columns
// `columns` ("name type, ...") unless the session has it, copies the rows into it and runs
// `insert_select`, which reads them from there. The table empties at commit (ON COMMIT
// DELETE ROWS), so call this once per temporary table in a transaction.
Status copy_upsert(Connection& conn, std::string_view temp_table, std::string_view columns,
                   const std::vector<Params>& rows, std::string_view insert_select);

// Runs `head` + "(row),(row),..." + `tail` over `rows` in batches that stay under the
// protocol's parameter limit; placeholder i of a row is cast to `types[i]`.
Status insert_rows(Connection& conn, std::string_view head, const std::vector<std::string_view>& types,
                   const std::vector<Params>& rows, std::string_view tail);

}  // namespace pnode::store::postgres
