// Saturating arithmetic for values summed or compared across nodes: a total of storage
// bytes (or any other uint64 counter) reported by the network must never wrap around to
// a small number, and a signed change between two such totals must never overflow.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <limits>

namespace pnode {

// a + b, or UINT64_MAX when the true sum does not fit.
constexpr uint64_t saturating_add(uint64_t a, uint64_t b) {
  uint64_t sum = 0;
  return __builtin_add_overflow(a, b, &sum) ? std::numeric_limits<uint64_t>::max() : sum;
}

// total += value, saturating (for accumulation loops).
constexpr void saturating_accumulate(uint64_t& total, uint64_t value) { total = saturating_add(total, value); }

// to - from as a signed number, clamped to the int64 range.
constexpr int64_t saturating_difference(uint64_t from, uint64_t to) {
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (to >= from) {
    const uint64_t up = to - from;
    return up > kMax ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(up);
  }
  const uint64_t down = from - to;
  return down > kMax ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(down);
}

}  // namespace pnode
