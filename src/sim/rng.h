// Deterministic randomness for the simulator: a stateless mixing hash (splitmix64) to
// derive per-node, per-seed and per-epoch decisions, and a tiny generator built on it.
// The standard <random> distributions are implementation-defined, so the simulator draws
// every value through these helpers to stay reproducible for a given --seed.
// Thread-safety: hash functions are pure; an Rng instance belongs to one thread.
#pragma once

#include <cmath>
#include <cstdint>
#include <initializer_list>

namespace pnode::sim {

inline uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Hash of several values, order-sensitive: hash_of({seed, node, salt}).
inline uint64_t hash_of(std::initializer_list<uint64_t> values) {
  uint64_t h = 0x6a09e667f3bcc909ULL;
  for (uint64_t v : values) h = mix64(h ^ mix64(v));
  return h;
}

// A uniform double in [0, 1) from 53 bits of a hash.
inline double unit_from(uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() { return mix64(state_++ * 0x2545f4914f6cdd1dULL + 0x632be59bd9b4e019ULL); }
  double uniform() { return unit_from(next()); }                      // [0, 1)
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }       // [0, n)
  bool chance(double p) { return uniform() < p; }
  // Standard normal (Box-Muller), for log-normal sizes and uptimes.
  double normal() {
    double u1 = uniform(), u2 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // An integer count whose expectation is `expected` (floor plus a Bernoulli remainder).
  uint64_t count_with_mean(double expected) {
    if (expected <= 0) return 0;
    double whole = std::floor(expected);
    return static_cast<uint64_t>(whole) + (chance(expected - whole) ? 1 : 0);
  }

 private:
  uint64_t state_;
};

}  // namespace pnode::sim
