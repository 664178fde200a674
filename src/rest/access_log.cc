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

http::RequestObserver access_log_observer(AccessLogFormat format) {
  return [format](const http::Request& request, int status, std::chrono::microseconds duration) {
    spdlog::info("{}", access_log_line(request, status, duration, format));
  };
}

}  // namespace pnode::rest
