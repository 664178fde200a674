// Access log: one structured line per answered request (method, path, query, status,
// duration, remote address), for the app to hang on http::Server::set_observer().
// Thread-safety: access_log_line is pure; the observer logs through spdlog, which is
// thread-safe, and may be called from every server thread.
#pragma once

#include <chrono>
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

// An observer that writes access_log_line() at info level to spdlog's default logger.
http::RequestObserver access_log_observer(AccessLogFormat format = AccessLogFormat::kText);

}  // namespace pnode::rest
