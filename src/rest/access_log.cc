#include "rest/access_log.h"

#include <spdlog/spdlog.h>

#include "rest/query.h"
#include "rest/router.h"
#include "util/json_writer.h"
#include "util/py_format.h"

namespace pnode::rest {

std::string access_log_line(const http::Request& request, int status, std::chrono::microseconds duration,
                            AccessLogFormat format) {
  auto [path, query] = Router::split_target(request.target);
  // The target is raw client input: keep the log one valid line whatever it contains.
  std::string safe_path = sanitize_utf8(path);
  std::string safe_query = sanitize_utf8(query);
  std::string millis = py_fixed(static_cast<double>(duration.count()) / 1000.0, 3);

  if (format == AccessLogFormat::kJson) {
    JsonWriter w;
    w.begin_object().field("event", "access").field("method", sanitize_utf8(request.method));
    w.field("path", safe_path).field("query", safe_query).field("status", status);
    w.key("duration_ms").raw(millis);
    w.field("remote", request.remote_address).end_object();
    return w.take();
  }
  // Text form: values that could contain spaces or quotes are JSON-quoted.
  std::string line = "access method=" + sanitize_utf8(request.method) + " path=";
  append_json_string(line, safe_path);
  if (!safe_query.empty()) {
    line += " query=";
    append_json_string(line, safe_query);
  }
  line += " status=" + std::to_string(status) + " duration_ms=" + millis + " remote=" + request.remote_address;
  return line;
}

LogBudget::Verdict LogBudget::admit(Clock::time_point now) {
  if (lines_per_second_ == 0) return {};
  std::lock_guard lock(mutex_);
  if (now - window_start_ >= std::chrono::seconds(1)) {
    window_start_ = now;
    written_in_window_ = 0;
  }
  if (written_in_window_ >= lines_per_second_) {
    ++suppressed_;
    return Verdict{false, 0};
  }
  ++written_in_window_;
  Verdict verdict{true, suppressed_};
  suppressed_ = 0;
  return verdict;
}

std::string suppressed_lines_line(size_t suppressed, AccessLogFormat format) {
  if (format == AccessLogFormat::kJson) {
    JsonWriter w;
    w.begin_object().field("event", "access_suppressed").field("suppressed", static_cast<int64_t>(suppressed));
    w.end_object();
    return w.take();
  }
  return "access log: suppressed " + std::to_string(suppressed) + " lines (over the lines-per-second limit)";
}

http::RequestObserver access_log_observer(AccessLogFormat format, size_t max_lines_per_second,
                                          std::function<void(const std::string&)> write) {
  if (!write) write = [](const std::string& line) { spdlog::info("{}", line); };
  auto budget = std::make_shared<LogBudget>(max_lines_per_second);
  return [format, budget, write = std::move(write)](const http::Request& request, int status,
                                                     std::chrono::microseconds duration) {
    const LogBudget::Verdict verdict = budget->admit(LogBudget::Clock::now());
    if (!verdict.write) return;
    if (verdict.suppressed > 0) write(suppressed_lines_line(verdict.suppressed, format));
    write(access_log_line(request, status, duration, format));
  };
}

}  // namespace pnode::rest
