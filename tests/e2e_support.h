// Helpers for end-to-end tests: HTTP calls to 127.0.0.1 and reading a capture file with
// Boost.JSON (deliberately not our own pRPC parser, so expectations are independent of
// the code under test).
// Thread-safety: free functions; the shared http::Client is thread-safe.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <set>
#include <string>

#include "http/client.h"

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

std::string fixture(const std::string& name);  // absolute path of a file under fixtures/prpc

// An empty folder for the current test's files: <TempDir>/<prefix>-<pid>-<test name>.
std::filesystem::path fresh_test_dir(const std::string& prefix);

}  // namespace pnode::testing
