// The process's descriptor limits for the server (server.h): raising the soft limit at start
// and the default connection cap below it.
#include "http/server.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>

namespace pnode::http {

size_t raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? SIZE_MAX : static_cast<size_t>(limit.rlim_cur);
}

size_t default_max_connections(size_t reserve) {
  constexpr size_t kFloor = 16, kCeiling = 20000;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024 - std::min<size_t>(reserve, 1024 - kFloor);
  const size_t soft = limit.rlim_cur == RLIM_INFINITY ? SIZE_MAX : static_cast<size_t>(limit.rlim_cur);
  const size_t available = soft > reserve ? soft - reserve : 0;
  return std::clamp(available, kFloor, kCeiling);
}

}  // namespace pnode::http
