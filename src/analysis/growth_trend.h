// The capacity score's growth_trend input (0..1, 0.5 = flat) from a node's storage_used
// samples over time (its history rows), replacing the reference's constant 0.5.
//
// Formula: fit storage_used against time by least squares; the slope, in bytes per day,
// divided by the mean storage_used of the samples is the relative daily growth r.
//   growth_trend = clamp(0.5 + r / (2 * kFullGrowthPerDay), 0, 1)
// so flat usage gives 0.5, growing by kFullGrowthPerDay (2 %) a day or more gives 1, and
// shrinking by 2 % a day or more gives 0. The fit, not the first and last sample, keeps
// one odd sample from swinging the score; the relative rate makes 1 GB a day mean more on
// a small node than on a large one. Too little data to tell (fewer than two samples, no
// time span, or no data stored on average) is flat: 0.5.
// Not yet used by node_view.cc: callers with history compute it and pass it in
// ScoringInput::growth_trend.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <vector>

namespace pnode::analysis {

struct StorageSample {
  int64_t timestamp = 0;  // unix s
  uint64_t storage_used = 0;
};

inline constexpr double kFullGrowthPerDay = 0.02;

// Samples in any order.
double growth_trend(const std::vector<StorageSample>& samples);

}  // namespace pnode::analysis
