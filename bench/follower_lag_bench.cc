// How far a follower lags behind the leader (issue 11: "every follower serves a new
// cycle's data within 1 s of the leader's commit, median, measured"). A throwaway
// PostgreSQL (PgTestCluster), the simulator, and two `serve` instances on one database at
// CACHE_TTL=1, the follower's own poll of the store at 60 s so that only the leader's
// notifications keep it current. Both /health routes are read every ~5 ms; per cycle the
// lag is (the follower first serves it) - (the leader first serves it). The leader
// serves a cycle before it commits it, so this is the lag behind the commit plus the
// commit itself: an upper bound. Prints one JSON object: cycles, median_ms, p95_ms,
// max_ms.
// Usage: bench_follower_lag [--cycles=20]
// Thread-safety: a single-threaded program.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "leader_follower.h"
#include "store/postgres/pg_test_cluster.h"

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using pnode::testing::served_state;

namespace {

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// The lag of each of `cycles` cycles, in ms; fewer when the leader stops collecting.
std::vector<double> measure(uint16_t leader, uint16_t follower, size_t cycles) {
  std::map<int64_t, Clock::time_point> leader_served;  // last_updated -> first seen
  std::vector<double> lags;
  // Only cycles that begin after the measurement started are counted.
  const int64_t before = served_state(leader).last_updated;
  int64_t follower_last = before;
  const auto give_up = Clock::now() + std::chrono::seconds(10 + 5 * cycles);
  while (lags.size() < cycles && Clock::now() < give_up) {
    const int64_t l = served_state(leader).last_updated;
    if (l > before) leader_served.try_emplace(l, Clock::now());
    const int64_t f = served_state(follower).last_updated;
    const auto seen = Clock::now();
    if (f > follower_last) {
      for (auto it = leader_served.upper_bound(follower_last); it != leader_served.end() && it->first <= f; ++it)
        lags.push_back(ms_between(it->second, seen));
      follower_last = f;
    }
    std::this_thread::sleep_for(5ms);
  }
  return lags;
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5)];
}

}  // namespace

int main(int argc, char** argv) {
  size_t cycles = 20;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--cycles=")) {
      cycles = std::strtoul(argv[i] + 9, nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: bench_follower_lag [--cycles=N]\n");
      return 2;
    }
  }
  auto cluster = pnode::store::postgres::PgTestCluster::shared();
  if (!cluster) {
    std::fprintf(stderr, "bench_follower_lag: no PostgreSQL: %s\n", cluster.error().message.c_str());
    return 1;
  }
  auto url = (*cluster)->create_database();
  if (!url) {
    std::fprintf(stderr, "bench_follower_lag: %s\n", url.error().message.c_str());
    return 1;
  }
  char dir_template[] = "/tmp/pnode-follower-lag.XXXXXX";
  const std::filesystem::path dir = ::mkdtemp(dir_template);
  int status = 1;
  {
    pnode::testing::LeaderFollower pair(PNODE_BINARY, dir, *url, {{"CACHE_TTL", "1"}, {"FOLLOWER_POLL_MS", "60000"}});
    if (!pair.error().empty()) {
      std::fprintf(stderr, "bench_follower_lag: %s (logs in %s)\n", pair.error().c_str(), dir.c_str());
      return 1;
    }
    std::vector<double> lags = measure(pair.leader_port(), pair.follower_port(), cycles);
    if (lags.size() < cycles) {
      std::fprintf(stderr, "bench_follower_lag: only %zu of %zu cycles reached the follower (logs in %s)\n",
                   lags.size(), cycles, dir.c_str());
    } else {
      std::printf("{\"cycles\": %zu, \"median_ms\": %.1f, \"p95_ms\": %.1f, \"max_ms\": %.1f}\n", lags.size(),
                  percentile(lags, 0.5), percentile(lags, 0.95), *std::max_element(lags.begin(), lags.end()));
      status = 0;
    }
  }
  if (status == 0) std::filesystem::remove_all(dir);
  return status;
}
