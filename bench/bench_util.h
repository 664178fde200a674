// Small helpers the benchmark programs share: process CPU time and page faults, the median
// of samples, and "--name=value" flags.
// Thread-safety: pure functions (cpu_ms and minor_faults read the process's counters).
#pragma once

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace pnode::bench {

// CPU time of the whole process (every thread), in ms.
inline double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Minor page faults of the whole process so far. On a busy machine CPU times move with
// the load; this count does not, and fresh memory touched per cycle is a large cost here.
inline double minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_minflt);
}

// The process's peak resident memory so far, in MiB.
inline double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// True when `arg` is "<name>=<value>"; sets value.
inline bool flag(const char* arg, const char* name, std::string& value) {
  size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  value = arg + n + 1;
  return true;
}

}  // namespace pnode::bench
