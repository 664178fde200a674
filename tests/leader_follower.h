// Test and bench support (issue 11): the simulator and two `serve` instances on one
// database, started in turn so that the first leads and the second follows, with the
// settings given (e.g. CACHE_TTL, FOLLOWER_POLL_MS). Used by
// tests/follower_notify_e2e_test.cc and bench/follower_lag_bench.cc.
// Thread-safety: one owner thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "process.h"

namespace pnode::testing {

class LeaderFollower {
 public:
  // `binary`: the pnode-analytics program; `dir`: where the logs go. Starts everything;
  // error() says what did not come up.
  LeaderFollower(const std::string& binary, const std::filesystem::path& dir, const std::string& database_url,
                 const std::map<std::string, std::string>& settings);

  const std::string& error() const { return error_; }
  uint16_t leader_port() const { return leader_port_; }
  uint16_t follower_port() const { return follower_port_; }
  ChildProcess& follower() { return *follower_; }

 private:
  // Starts one instance; its HTTP port, 0 (and error_ set) when it did not come up.
  uint16_t start_instance(std::unique_ptr<ChildProcess>& slot, const std::string& name);

  std::string binary_;
  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<ChildProcess> sim_, leader_, follower_;
  uint16_t leader_port_ = 0, follower_port_ = 0;
  std::string error_;
};

// What /health on `port` says: the served snapshot's `last_updated` (a new value each
// cycle at CACHE_TTL=1) and the instance's role; 0 and "" when it does not answer.
struct ServedState {
  int64_t last_updated = 0;
  std::string role;
};
ServedState served_state(uint16_t port);

}  // namespace pnode::testing
