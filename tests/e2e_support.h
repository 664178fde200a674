// Helpers for end-to-end tests: HTTP calls to 127.0.0.1 and reading a capture file with
// Boost.JSON (deliberately not our own pRPC parser, so expectations are independent of
// the code under test).
// Thread-safety: free functions; the shared http::Client is thread-safe.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "http/client.h"
#include "process.h"
#include "store/store_backend_test_support.h"

namespace pnode::testing {

struct HttpAnswer {
  int status = 0;
  std::string body;
  boost::json::value json;  // null when the body is not JSON
};

HttpAnswer http_call(uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body = "");

// The capture's pod addresses, rewritten as the simulator documents: the k-th distinct
// IP in order of first appearance becomes 127.1.0.0 + k + 1, the port is kept.
std::set<std::string> expected_loopback_addresses(const std::string& capture_path);

std::string fixture(const std::string& name);

// Polls `done` every 100 ms until it holds or `limit` passes; returns its last answer.
bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit);

// The port a started `pnode-analytics serve` logs ("serving http://127.0.0.1:<port>"),
// nullopt when it says nothing of it within `limit`.
std::optional<uint16_t> wait_serving_port(ChildProcess& server, std::chrono::milliseconds limit);  // absolute path of a file under fixtures/prpc

// An empty folder for the current test's files: <TempDir>/<prefix>-<pid>-<test name>.
std::filesystem::path fresh_test_dir(const std::string& prefix);

struct Simulator {
  std::unique_ptr<ChildProcess> process;
  std::string ip_nodes;           // its seeds as IP_NODES
  std::vector<uint16_t> seed_ports;  // in seed order
};

// `pnode-analytics sim` on ephemeral ports with `args` added, once every seed listens;
// a test failure and a null process when it does not start.
Simulator start_simulator(const std::vector<std::string>& args, int seeds, const std::string& log_path);

}  // namespace pnode::testing

// ---- Both store backends (issue 11): end-to-end tests parameterised over Backend,
// instantiated with PNODE_STORE_BACKENDS(fixture) (store/store_backend_test_support.h).
namespace pnode::testing {

using store::testing_support::Backend;

// A new, empty database for the running test on `backend`, as a DATABASE_URL: a SQLite
// file in `dir`, or a new database on the test binary's throwaway PostgreSQL cluster.
// nullopt after skipping the test, saying why, when no PostgreSQL server is installed,
// or after failing it when the cluster would not start.
std::optional<std::string> fresh_database_url(Backend backend, const std::filesystem::path& dir);

}  // namespace pnode::testing

namespace pnode::testing {

// The test binary's PostgreSQL server stopped (fast shutdown: sessions end) from
// construction until end() or destruction, which start it again on the same port with
// the same data: a database server that goes away and comes back.
class DatabaseOutage {
 public:
  DatabaseOutage();
  ~DatabaseOutage() { end(); }
  DatabaseOutage(const DatabaseOutage&) = delete;
  DatabaseOutage& operator=(const DatabaseOutage&) = delete;
  void end();

 private:
  bool stopped_ = false;
};

}  // namespace pnode::testing
