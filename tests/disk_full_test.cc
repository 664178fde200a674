// Disk-full test: the real server writes to a database capped in size (the diagnostic
// STORE_MAX_PAGE_COUNT: SQLite fails a write past the cap exactly as on a full disk, with
// SQLITE_FULL, and no root or mount is needed). The test fills the capped space behind the
// server's back while a churning simulated network keeps changing the registry, then
// frees space again. While full: the API keeps serving, the log has an error line, and
// /health is degraded saying why and since when. Once space returns: the next cycle
// writes everything the failed ones missed (registry rows, drops, network samples) and
// /health is healthy again.
// A full disk is SQLite's file; PostgreSQL's counterpart below is the database server
// going away for a few cycles and coming back, with the same promises.
#include <gtest/gtest.h>

#include <ctime>
#include <map>
#include <regex>
#include <thread>

#include "e2e_support.h"
#include "fault_e2e_support.h"

namespace pnode::testing {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kBallastPages = 2000;           // freed when "space returns"
constexpr int64_t kCapPages = kBallastPages + 3000;  // STORE_MAX_PAGE_COUNT

size_t count_lines(const ChildProcess& p, const std::regex& pattern) {
  size_t n = 0;
  for (const auto& line : p.lines()) n += std::regex_search(line, pattern);
  return n;
}

bool wait_until(const std::function<bool()>& done, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

// address -> "last_seen|appearances|disappearances|last drop" as the API serves them.
std::map<std::string, std::string> served_registry(uint16_t port) {
  auto r = http_call(port, "GET", "/registry?limit=1500");
  EXPECT_EQ(r.status, 200) << r.body;
  std::map<std::string, std::string> out;
  if (r.status != 200) return out;
  for (const auto& item : r.json.at("items").as_array()) {
    const auto& e = item.as_object();
    const auto& drop = e.at("last_gossip_drop");
    out[std::string(e.at("address").as_string())] =
        std::to_string(e.at("last_seen").to_number<int64_t>()) + "|" +
        std::to_string(e.at("gossip_appearances").to_number<int64_t>()) + "|" +
        std::to_string(e.at("gossip_disappearances").to_number<int64_t>()) + "|" +
        (drop.is_null() ? std::string("null") : std::to_string(drop.to_number<int64_t>()));
  }
  return out;
}

// The registry a restart would load, in served_registry()'s form.
std::map<std::string, std::string> stored_registry(const std::string& db) {
  std::map<std::string, std::string> out;
  for (const auto& e : load_stored(db).registry.entries) {
    out[e.address] = std::to_string(e.last_seen) + "|" + std::to_string(e.gossip_appearances) + "|" +
                     std::to_string(e.gossip_disappearances) + "|" +
                     (e.last_gossip_drop ? std::to_string(*e.last_gossip_drop) : "null");
  }
  return out;
}

// Waits until three writes failed and nodes dropped out of gossip in a failed cycle
// (churn comes in 10 s epochs), so there are registry changes only the failed cycles saw;
// then the API must serve and /health be degraded, saying since when and `why`.
void expect_served_while_writes_fail(const Server& server, const std::regex& failed, std::chrono::seconds limit,
                                     const std::string& why) {
  const std::regex dropped_unwritten(" cycle \\d+: .* -[1-9]\\d* ~\\d+ moved.*store write failed");
  ASSERT_TRUE(wait_until(
      [&] {
        return count_lines(*server.process, failed) >= 3 && count_lines(*server.process, dropped_unwritten) > 0;
      },
      limit))
      << "no failed write logged three times with a drop";
  auto health = http_call(server.port, "GET", "/health");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.json.at("status").as_string(), "degraded") << health.body;
  std::string message(health.json.at("message").as_string());
  EXPECT_TRUE(std::regex_search(message, std::regex("^store writes failing since \\d{4}-\\d\\d-\\d\\dT[0-9:]+Z: " +
                                                    why + "; serving the latest snapshot from memory, \\d+ cycles "
                                                    "waiting to be written")))
      << message;
  auto pnodes = http_call(server.port, "GET", "/pnodes?limit=5");
  ASSERT_EQ(pnodes.status, 200) << "the API keeps serving";
  EXPECT_GT(pnodes.json.at("pagination").at("total").to_number<int64_t>(), 0);
}

// Once writes recovered: freezes what is served (no seed answers: inconclusive cycles
// change nothing), then holds what is stored to it: the registry, the drops of the failed
// period [failed_from, recovered_at], and a network sample for every failed cycle.
void expect_nothing_lost(Simulator& sim, const Server& server, const std::string& db, int64_t failed_from,
                         int64_t recovered_at, const std::regex& failed) {
  size_t failed_cycles = count_lines(*server.process, failed);
  sim.process->kill();
  ASSERT_TRUE(server.process->wait_for_line(std::regex(" cycle \\d+: inconclusive: 0 of 3 seeds"), 20s));
  auto served = served_registry(server.port);
  auto stored = stored_registry(db);
  ASSERT_FALSE(served.empty());
  EXPECT_EQ(stored, served) << "the stored registry differs from the served one";
  EXPECT_GT(db_int(db, "SELECT count(*) FROM registry WHERE last_gossip_drop BETWEEN " + std::to_string(failed_from) +
                           " AND " + std::to_string(recovered_at)),
            0)
      << "no drop happened while writes failed: the test shows nothing";
  // Every failed cycle's network sample is stored: its timestamp is the second its line
  // was logged in, or the one before.
  const std::regex failed_cycle_line("^.* info cycle \\d+: .*store write failed");
  size_t checked = 0;
  for (const auto& line : server.process->lines()) {
    if (!std::regex_search(line, failed_cycle_line)) continue;
    auto at = log_time(line);
    ASSERT_TRUE(at) << line;
    int64_t second = std::chrono::duration_cast<std::chrono::seconds>(at->time_since_epoch()).count();
    EXPECT_GT(db_int(db, "SELECT count(*) FROM network_history WHERE ts BETWEEN " + std::to_string(second - 1) +
                             " AND " + std::to_string(second)),
              0)
        << "no network sample for " << line;
    ++checked;
  }
  EXPECT_EQ(checked, failed_cycles);
}

TEST(DiskFullTest, WhileFullTheApiServesAndHealthSaysWhyOnceSpaceReturnsNothingIsLost) {
  TestDir dir;
  Simulator sim = start_simulator(
      {"--mode", "synthetic", "--pods", "200", "--churn", "--churn-rate", "0.6", "--seed", "5"}, 3, dir.file("sim.log"));
  ASSERT_TRUE(sim.process);
  const std::string db = dir.file("full.db");
  // Space someone else holds at the start of the file, freed later ("space returns").
  db_exec(db, "CREATE TABLE ballast (b BLOB)");
  db_exec(db, "INSERT INTO ballast VALUES (zeroblob(" + std::to_string(kBallastPages * 4096) + "))");
  Server server = start_server(sim.ip_nodes, db, dir.file("server.log"),
                               {{"STORE_MAX_PAGE_COUNT", std::to_string(kCapPages)}});
  ASSERT_NE(server.port, 0);
  ASSERT_TRUE(wait_until([&] { return last_committed_cycle(*server.process) >= 2; }, 20s));

  // The disk fills: the rest of the capped space is taken behind the server's back.
  int64_t full_at = std::time(nullptr);
  int64_t page_size = db_int(db, "PRAGMA page_size");
  int64_t pages = db_int(db, "PRAGMA page_count");
  db_exec(db, "CREATE TABLE filler (b BLOB)");
  db_exec(db, "INSERT INTO filler VALUES (zeroblob(" + std::to_string((kCapPages - pages + 16) * page_size) + "))");
  const std::regex failed(" error cycle \\d+: store write failed, .*database or disk is full");
  expect_served_while_writes_fail(server, failed, 30s, "disk full");
  if (::testing::Test::HasFatalFailure()) return;

  // Space returns.
  db_exec(db, "DROP TABLE ballast");
  ASSERT_TRUE(server.process->wait_for_line(std::regex(" cycle \\d+: store writes recovered; wrote the \\d+ cycles"), 20s));
  int64_t recovered_at = std::time(nullptr);
  auto health = http_call(server.port, "GET", "/health");
  EXPECT_EQ(health.json.at("status").as_string(), "healthy") << health.body;

  expect_nothing_lost(sim, server, db, full_at, recovered_at, failed);
  EXPECT_EQ(db_text(db, "PRAGMA integrity_check"), "ok");
}

// PostgreSQL's counterpart: the database server stops for a few cycles while a churning
// network keeps changing the registry, then returns. The outage stays within the
// collector lease (15 s), so the instance keeps collecting: the API keeps serving, the
// log has an error line, /health is degraded saying why and since when; once the server
// is back the next cycle writes everything the failed ones missed, without a restart.
TEST(DatabaseOutageTest, OnPostgresWhileDownTheApiServesAndHealthSaysWhyOnceBackNothingIsLost) {
  TestDir dir;
  const std::optional<std::string> db = fresh_database_url(Backend::kPostgres, dir.path());
  if (!db) return;
  Simulator sim = start_simulator(
      {"--mode", "synthetic", "--pods", "200", "--churn", "--churn-rate", "0.6", "--seed", "5"}, 3, dir.file("sim.log"));
  ASSERT_TRUE(sim.process);
  Server server = start_server(sim.ip_nodes, *db, dir.file("server.log"));
  ASSERT_NE(server.port, 0);
  ASSERT_TRUE(wait_until([&] { return last_committed_cycle(*server.process) >= 2; }, 20s));
  // Churn comes in 10 s epochs: stop the server 7 s after one began, so the next one
  // (nodes dropping out of gossip) falls inside the outage.
  const size_t seen = server.process->lines().size();
  ASSERT_TRUE(server.process->wait_for_line(std::regex(" cycle \\d+: .* -[1-9]\\d* ~\\d+ moved.*store ok"), 15s, seen));
  std::this_thread::sleep_for(7s);

  int64_t down_at = std::time(nullptr);
  auto outage = std::make_unique<DatabaseOutage>();
  const std::regex failed(" error cycle \\d+: store write failed, ");
  expect_served_while_writes_fail(server, failed, 8s, ".+");
  if (::testing::Test::HasFatalFailure()) return;

  outage.reset();  // the server returns
  ASSERT_TRUE(server.process->wait_for_line(std::regex(" cycle \\d+: store writes recovered; wrote the \\d+ cycles"), 30s));
  int64_t recovered_at = std::time(nullptr);
  auto health = http_call(server.port, "GET", "/health");
  EXPECT_EQ(health.json.at("status").as_string(), "healthy") << health.body;
  EXPECT_EQ(health.json.at("role").as_string(), "leader") << "the lease was kept through the outage";
  expect_nothing_lost(sim, server, *db, down_at, recovered_at, failed);
}

}  // namespace
}  // namespace pnode::testing
