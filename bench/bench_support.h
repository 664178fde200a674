// Shared inputs of the benchmarks (issue 4): the seeds' get-pods-with-stats bodies of a
// synthetic network of N pods, rendered in-process by the simulator exactly as it would
// send them over the wire, and parsed into the collector's SeedAnswers. A fixed clock
// keeps every run identical.
// Thread-safety: plain functions; call from one thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "collect/poller.h"

namespace pnode::bench {

inline constexpr int64_t kBenchNow = 1764547200;  // 2025-12-01 00:00 UTC

// The pods of the synthetic network `pnode-analytics sim --mode synthetic --pods N` serves
// (default seed and public share): a database filled with them matches that simulator, so
// a server run against both holds N registry entries, not N stored plus N new.
struct SimulatedPod {
  std::string address;
  std::string pubkey;
};
std::vector<SimulatedPod> simulated_pods(size_t pods);

// One synthetic network served in-process; bodies() renders what every seed answers to
// get-pods-with-stats at kBenchNow + offset seconds (the network ages and churns with the
// clock as the simulator's does).
class SeedBodies {
 public:
  SeedBodies(size_t pods, int seeds);
  ~SeedBodies();
  std::vector<std::string> bodies(int64_t offset);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// SeedBodies(pods, seeds).bodies(clock_offset). Aborts the program on failure.
std::vector<std::string> seed_bodies(size_t pods, int seeds, int64_t clock_offset = 0);

// Parses a body in place as the poller does (prpc::parse_pods_in_place: the body has the
// room the HTTP client leaves after it) into seed `seed`'s SeedAnswer,
// labelled "127.0.0.1:<16001 + seed>". Aborts on a parse error.
collect::SeedAnswer parse_answer(std::string& body, size_t seed);
// Every body, one SeedAnswer per seed.
std::vector<collect::SeedAnswer> parse_answers(std::vector<std::string>& bodies);

}  // namespace pnode::bench
