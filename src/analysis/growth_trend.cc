#include "analysis/growth_trend.h"

#include <algorithm>

namespace pnode::analysis {
namespace {

// Least-squares slope of storage_used in bytes per day; false when the samples span no time.
bool slope_per_day(const std::vector<StorageSample>& samples, double mean_used, double& slope) {
  double n = static_cast<double>(samples.size());
  double origin = static_cast<double>(samples.front().timestamp);
  double mean_day = 0;
  for (const auto& s : samples) mean_day += (static_cast<double>(s.timestamp) - origin) / 86400;
  mean_day /= n;
  double covariance = 0, variance = 0;
  for (const auto& s : samples) {
    double dx = (static_cast<double>(s.timestamp) - origin) / 86400 - mean_day;
    covariance += dx * (static_cast<double>(s.storage_used) - mean_used);
    variance += dx * dx;
  }
  if (variance <= 0) return false;
  slope = covariance / variance;
  return true;
}

}  // namespace

double growth_trend(const std::vector<StorageSample>& samples) {
  constexpr double kFlat = 0.5;
  if (samples.size() < 2) return kFlat;
  double mean_used = 0;
  for (const auto& s : samples) mean_used += static_cast<double>(s.storage_used);
  mean_used /= static_cast<double>(samples.size());
  double slope = 0;
  if (mean_used <= 0 || !slope_per_day(samples, mean_used, slope)) return kFlat;
  double relative_daily_growth = slope / mean_used;
  return std::clamp(kFlat + relative_daily_growth / (2 * kFullGrowthPerDay), 0.0, 1.0);
}

}  // namespace pnode::analysis
