// A thin layer over libpq for the PostgreSQL store: one connection, statements with
// text parameters and text results, SQLSTATEs mapped to the store's error kinds, and
// a transaction guard that rolls back unless committed. Values cross as text (libpq's
// default), bytea as hex ('\x...'), so no binary layout of the server matters.
// Thread-safety: a Connection (and its results) belongs to one thread at a time; the
// store guards its connection with a mutex.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
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
  std::string bytea(int row, int col) const;
  // Rows an INSERT, UPDATE or DELETE touched.
  int64_t affected() const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

class Connection {
 public:
  // `conninfo`: a postgres:// URL or libpq keywords; PG* environment variables fill in
  // what it leaves out. Unless they say otherwise, a connection attempt gives up after
  // 10 s and TCP keepalives notice a vanished server within about a minute. Errors (kind
  // "cannot_open") carry libpq's reason, never the URL (it may hold a password).
  static Result<Connection> open(const std::string& conninfo);

  // "database pnodes on 127.0.0.1:5432": names the database in messages, without secrets.
  const std::string& description() const { return description_; }

  // Runs one statement; a broken connection is reset once first (a server restart
  // costs one failed operation at most).
  Result<PgResult> exec(std::string_view sql, const Params& params = {});
  Status run(std::string_view sql, const Params& params = {});

 private:
  explicit Connection(PGconn* conn);
  std::unique_ptr<PGconn, void (*)(PGconn*)> conn_;
  std::string description_;
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

// Runs `head` + "(row),(row),..." + `tail` over `rows` in batches that stay under the
// protocol's parameter limit; placeholder i of a row is cast to `types[i]`.
Status insert_rows(Connection& conn, std::string_view head, const std::vector<std::string_view>& types,
                   const std::vector<Params>& rows, std::string_view tail);

}  // namespace pnode::store::postgres
