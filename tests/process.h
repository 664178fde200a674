// Child processes for end-to-end tests: start the pnode-analytics binary with arguments
// and extra environment, capture its output to a file, wait for a line, stop or kill it.
// Thread-safety: one owner thread per ChildProcess.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace pnode::testing {

class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> args, std::map<std::string, std::string> env, std::string log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits until a line of the output matches `pattern`; returns the match (with groups).
  std::optional<std::smatch> wait_for_line(const std::regex& pattern, std::chrono::milliseconds timeout,
                                           size_t skip_lines = 0);
  std::vector<std::string> lines() const;  // the output so far
  bool running();
  int pid() const { return pid_; }
  // Resident memory of the process now (VmRSS), in bytes; 0 when it is not running.
  int64_t resident_bytes() const;
  void terminate();  // SIGTERM and wait
  void kill();       // SIGKILL and wait: no chance to clean up
  // Waits for the process to end by itself; its exit code (128 + signal when killed), or
  // nullopt when it is still running after `timeout`.
  std::optional<int> wait_exit_code(std::chrono::milliseconds timeout);

 private:
  void wait_exit();
  int pid_ = -1;
  std::string log_path_;
  std::deque<std::string> matched_lines_;
};

}  // namespace pnode::testing
