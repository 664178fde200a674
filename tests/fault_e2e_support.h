// Helpers of the store fault end-to-end tests (crash_test, disk_full_test): a working
// directory per test, the simulator and the server as processes, and SQL on the server's
// database behind its back (plain SQLite or libpq, not the store under test).
// Thread-safety: one test thread; each test uses its own directory and processes.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "process.h"
#include "store/store.h"

namespace pnode::testing {

// A fresh directory for the running test, removed at the end unless the test failed.
class TestDir {
 public:
  TestDir();
  ~TestDir();
  TestDir(const TestDir&) = delete;
  TestDir& operator=(const TestDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};


struct Server {
  std::unique_ptr<ChildProcess> process;
  uint16_t port = 0;
};

// `pnode-analytics serve` polling `ip_nodes` every second into `database` (a SQLite
// file's path or a DATABASE_URL), with `env` added, once it listens; a test failure and
// port 0 when it does not start.
Server start_server(const std::string& ip_nodes, const std::string& database, const std::string& log_path,
                    const std::map<std::string, std::string>& env = {});

// The server log's highest cycle whose write was committed ("cycle N: ... store ok"), 0
// when none.
uint64_t last_committed_cycle(const ChildProcess& server);

// When a server log line ("2026-12-05T14:16:28.212Z info ...") was written.
std::optional<std::chrono::system_clock::time_point> log_time(const std::string& line);

// SQL on the database: `path` is a SQLite file's path (5 s busy timeout) or a DATABASE_URL
// (sqlite:// or postgres[ql]://). One value, or a test failure.
int64_t db_int(const std::string& path, const std::string& sql);
std::string db_text(const std::string& path, const std::string& sql);
void db_exec(const std::string& path, const std::string& sql);
// Every row's columns joined by '|', for comparing result sets (on PostgreSQL: the first
// column only; join them in the SQL).
std::vector<std::string> db_rows(const std::string& path, const std::string& sql);
// SQL for `column` ("cycle", "last_updated") of the latest stored snapshot, on either
// backend: the latest delta's when one is stored against the base, the base's otherwise
// (store/snapshot_delta.h).
inline std::string latest_snapshot_sql(const std::string& column) {
  return "SELECT coalesce((SELECT d." + column + " FROM snapshot_delta d JOIN current_snapshot s ON d.base_cycle = "
         "s.cycle), (SELECT " + column + " FROM current_snapshot WHERE id = 1))";
}
// What a restarted server would load from the database at `path` (a SQLite file or a
// postgres:// URL): the registry as the collector held it (store.h load()). A test
// failure and an empty state when it cannot be loaded.
store::LoadedState load_stored(const std::string& path);

}  // namespace pnode::testing
