#include "fault_e2e_support.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <regex>

#include "store/postgres/pg_conn.h"

namespace pnode::testing {
namespace {

using namespace std::chrono_literals;

bool is_postgres(const std::string& database) {
  return database.starts_with("postgres://") || database.starts_with("postgresql://");
}

// A SQLite file path as a DATABASE_URL; a URL as it is.
std::string database_url(const std::string& database) {
  return database.find("://") == std::string::npos ? "sqlite://" + database : database;
}

// Runs `sql` on the PostgreSQL database at `url`: every row's first column as text
// ("null" for NULL); a test failure on error.
std::vector<std::string> pg_query(const std::string& url, const std::string& sql) {
  std::vector<std::string> rows;
  auto conn = store::postgres::Connection::open(url);
  if (!conn) {
    ADD_FAILURE() << "cannot open " << url << ": " << conn.error().message;
    return rows;
  }
  auto result = conn->exec(sql);
  if (!result) {
    ADD_FAILURE() << sql << ": " << result.error().message;
    return rows;
  }
  for (int r = 0; r < result->rows(); ++r) rows.push_back(result->is_null(r, 0) ? "null" : result->string(r, 0));
  return rows;
}

// Runs `sql` on `path`, calling `row` for each result row; a test failure on error.
template <class OnRow>
void query(const std::string& database, const std::string& sql, OnRow row) {
  const std::string path = database.starts_with("sqlite://") ? database.substr(9) : database;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
  }
  if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace

TestDir::TestDir() {
  path_ = std::filesystem::path(::testing::TempDir()) /
          ("pnode-fault-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TestDir::~TestDir() {
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(path_);
}

Server start_server(const std::string& ip_nodes, const std::string& database, const std::string& log_path,
                    const std::map<std::string, std::string>& env) {
  std::map<std::string, std::string> all{{"IP_NODES", ip_nodes},
                                         {"CACHE_TTL", "1"},
                                         {"PORT", "0"},
                                         {"RPC_TIMEOUT_MS", "1500"},
                                         {"RPC_CONNECT_TIMEOUT_MS", "1000"},
                                         {"DATABASE_URL", database_url(database)}};
  for (const auto& [k, v] : env) all[k] = v;
  Server server;
  server.process = std::make_unique<ChildProcess>(std::vector<std::string>{PNODE_BINARY, "serve"}, all, log_path);
  auto m = server.process->wait_for_line(std::regex("serving http://127\\.0\\.0\\.1:(\\d+)"), 15s);
  if (!m) {
    ADD_FAILURE() << "the server did not start (log " << log_path << ")";
    return server;
  }
  server.port = static_cast<uint16_t>(std::stoi((*m)[1]));
  return server;
}

uint64_t last_committed_cycle(const ChildProcess& server) {
  static const std::regex committed(" cycle (\\d+): .*, store ok \\d+ms$");
  uint64_t last = 0;
  for (const auto& line : server.lines()) {
    std::smatch m;
    if (std::regex_search(line, m, committed)) last = std::max<uint64_t>(last, std::stoull(m[1]));
  }
  return last;
}

std::optional<std::chrono::system_clock::time_point> log_time(const std::string& line) {
  std::tm tm{};
  int millis = 0;
  if (std::sscanf(line.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                  &tm.tm_sec, &millis) != 7)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(::timegm(&tm)) + std::chrono::milliseconds(millis);
}

int64_t db_int(const std::string& path, const std::string& sql) {
  if (is_postgres(path)) {
    auto rows = pg_query(path, sql);
    return rows.empty() || rows[0] == "null" ? -1 : std::stoll(rows[0]);
  }
  int64_t value = -1;
  query(path, sql, [&](sqlite3_stmt* s) { value = sqlite3_column_int64(s, 0); });
  return value;
}

std::string db_text(const std::string& path, const std::string& sql) {
  if (is_postgres(path)) {
    auto rows = pg_query(path, sql);
    return rows.empty() || rows[0] == "null" ? "" : rows[0];
  }
  std::string value;
  query(path, sql, [&](sqlite3_stmt* s) {
    const unsigned char* text = sqlite3_column_text(s, 0);
    value = text ? reinterpret_cast<const char*>(text) : "";
  });
  return value;
}

void db_exec(const std::string& path, const std::string& sql) {
  if (is_postgres(path)) {
    pg_query(path, sql);
    return;
  }
  query(path, sql, [](sqlite3_stmt*) {});
}

store::LoadedState load_stored(const std::string& path) {
  auto opened = store::open_store(database_url(path));
  EXPECT_TRUE(opened.ok()) << opened.error().message;
  if (!opened.ok()) return {};
  auto loaded = (*opened)->load();
  EXPECT_TRUE(loaded.ok()) << loaded.error().message;
  return loaded.ok() ? std::move(*loaded) : store::LoadedState{};
}

std::vector<std::string> db_rows(const std::string& path, const std::string& sql) {
  if (is_postgres(path)) return pg_query(path, sql);
  std::vector<std::string> rows;
  query(path, sql, [&](sqlite3_stmt* s) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(s); ++i) {
      const unsigned char* text = sqlite3_column_text(s, i);
      row += (i ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "null");
    }
    rows.push_back(std::move(row));
  });
  return rows;
}

}  // namespace pnode::testing
