// Access log: one structured line per answered request (method, path, query, status,
// duration, remote address), for the app to hang on http::Server::set_observer().
// Under a flood the log is rate-limited: at most N lines per second are written, and the
// first line written after lines were dropped is preceded by one summary line
// ("access log: suppressed K lines"), so a flood costs N lines a second, not one per request.
// Thread-safety: access_log_line is pure; LogBudget and the observer may be called from
// every server thread (the observer logs through spdlog, which is thread-safe).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

#include "http/message.h"
#include "http/server.h"

namespace pnode::rest {

enum class AccessLogFormat {
  kText,  // access method=GET path="/pnodes" query="limit=5" status=200 duration_ms=0.412 remote=127.0.0.1
  kJson,  // {"event":"access","method":"GET","path":"/pnodes","query":"limit=5","status":200,...}
};

std::string access_log_line(const http::Request& request, int status, std::chrono::microseconds duration,
                            AccessLogFormat format);

// At most `lines_per_second` lines in each one-second window (0: no limit).
class LogBudget {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LogBudget(size_t lines_per_second) : lines_per_second_(lines_per_second) {}

  struct Verdict {
    bool write = true;
    size_t suppressed = 0;  // lines dropped since the last written one, to report before it
  };
  Verdict admit(Clock::time_point now);

 private:
  const size_t lines_per_second_;
  std::mutex mutex_;
  Clock::time_point window_start_;  // guarded by mutex_
  size_t written_in_window_ = 0;
  size_t suppressed_ = 0;
};

// The summary line written before the next line after `suppressed` lines were dropped.
std::string suppressed_lines_line(size_t suppressed, AccessLogFormat format);

// An observer that writes access_log_line() through `write` (default: info level on
// spdlog's default logger), at most `max_lines_per_second` a second (0: every line).
http::RequestObserver access_log_observer(AccessLogFormat format = AccessLogFormat::kText,
                                          size_t max_lines_per_second = 100,
                                          std::function<void(const std::string&)> write = nullptr);

}  // namespace pnode::rest
