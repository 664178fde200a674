// A damaged database at start, as an operator meets it: `serve` refuses it with a clear
// message and a non-zero exit, or, with STORE_OPEN_CORRUPT=read-only, serves what it
// holds without writing a byte.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "e2e_support.h"
#include "fault_e2e_support.h"
#include "store/store_test_support.h"

namespace pnode::testing {
namespace {

using namespace std::chrono_literals;

// A database of 30 cycles of 400 nodes with 64 KiB of random bytes in its middle.
void write_damaged_database(const std::string& path) {
  {
    auto store = store::testing_support::open_ok(path);
    ASSERT_TRUE(store);
    for (uint64_t cycle = 1; cycle <= 30; ++cycle) {
      auto write = store::testing_support::make_cycle(cycle, 1000 + static_cast<int64_t>(cycle) * 60,
                                                      store::testing_support::addresses(400));
      ASSERT_TRUE(store->write_cycle(write).ok());
    }
  }
  auto size = static_cast<int64_t>(std::filesystem::file_size(path));
  store::testing_support::scribble(path, size / 2, 64 * 1024);
}

bool logged(const ChildProcess& p, const std::string& text) {
  for (const auto& line : p.lines())
    if (line.find(text) != std::string::npos) return true;
  return false;
}

TEST(DamagedDatabaseTest, ServeRefusesItWithAClearMessageAndANonZeroExit) {
  TestDir dir;
  const std::string db = dir.file("damaged.db");
  write_damaged_database(db);
  ChildProcess server({PNODE_BINARY, "serve"},
                      {{"IP_NODES", "127.0.0.1:9"}, {"PORT", "0"}, {"DATABASE_URL", "sqlite://" + db}},
                      dir.file("server.log"));
  auto code = server.wait_exit_code(15s);
  ASSERT_TRUE(code) << "serve kept running on a damaged database";
  EXPECT_NE(*code, 0);
  EXPECT_TRUE(logged(server, "cannot open the store: the database " + db + " is damaged (quick_check: "));
  EXPECT_TRUE(logged(server, "set STORE_OPEN_CORRUPT=read-only to serve what it holds"));
}

TEST(DamagedDatabaseTest, WithReadOnlyServeAnswersSaysSoInHealthAndWritesNothing) {
  TestDir dir;
  const std::string db = dir.file("damaged.db");
  write_damaged_database(db);
  auto size = std::filesystem::file_size(db);
  Simulator sim = start_simulator({"--mode", "synthetic", "--pods", "50"}, 1, dir.file("sim.log"));
  ASSERT_TRUE(sim.process);
  Server server = start_server(sim.ip_nodes, db, dir.file("server.log"), {{"STORE_OPEN_CORRUPT", "read-only"}});
  ASSERT_NE(server.port, 0);
  EXPECT_TRUE(logged(*server.process, "is open read-only: the database failed its integrity check (quick_check: "));
  ASSERT_TRUE(server.process->wait_for_line(std::regex(" cycle \\d+: .*, store read-only, not written$"), 15s));
  auto health = http_call(server.port, "GET", "/health");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.json.at("status").as_string(), "degraded");
  EXPECT_TRUE(std::string(health.json.at("message").as_string())
                  .starts_with("store opened read-only (the database failed its integrity check (quick_check: "))
      << health.body;
  EXPECT_EQ(http_call(server.port, "GET", "/pnodes?limit=1").status, 200);
  server.process->terminate();
  EXPECT_EQ(std::filesystem::file_size(db), size);
  EXPECT_EQ(db_int(db, latest_snapshot_sql("cycle")), 30) << "the server wrote a cycle";
}

}  // namespace
}  // namespace pnode::testing
