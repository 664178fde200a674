#include "analysis/growth_trend.h"

#include <gtest/gtest.h>

namespace pnode::analysis {
namespace {

constexpr int64_t kDay = 86400;

TEST(GrowthTrend, SlowSteadyGrowth) {
  // +1 byte a day around a mean of 101: r = 1/101, trend = 0.5 + (1/101) / 0.04 = 0.74752…
  double t = growth_trend({{0, 100}, {kDay, 101}, {2 * kDay, 102}});
  EXPECT_NEAR(t, 0.5 + (1.0 / 101) / 0.04, 1e-12);
  EXPECT_NEAR(t, 0.747525, 1e-6);
}

TEST(GrowthTrend, LeastSquaresNotEndpoints) {
  // 100, 106, 102 a day apart (given out of order): mean 308/3; in days and bytes
  // Σ dx·dy = (-1)(-8/3) + 0 + (1)(-2/3) = 2, Σ dx² = 2, slope 1 byte a day.
  double t = growth_trend({{2 * kDay, 102}, {0, 100}, {kDay, 106}});
  EXPECT_NEAR(t, 0.5 + (1.0 / (308.0 / 3)) / 0.04, 1e-12);
  // 1000, 1030, 1000, 1000: the endpoints say flat, but the early spike makes the fit
  // fall: mean 1007.5; dx = -1.5, -0.5, 0.5, 1.5; dy = -7.5, 22.5, -7.5, -7.5;
  // Σ dx·dy = 11.25 - 11.25 - 3.75 - 11.25 = -15, Σ dx² = 5, slope -3 a day:
  // 0.5 - (3 / 1007.5) / 0.04 = 0.42556…
  t = growth_trend({{0, 1000}, {kDay, 1030}, {2 * kDay, 1000}, {3 * kDay, 1000}});
  EXPECT_NEAR(t, 0.5 - (3.0 / 1007.5) / 0.04, 1e-12);
  EXPECT_NEAR(t, 0.425558, 1e-6);
}

TEST(GrowthTrend, ShrinkingIsBelowHalf) {
  // -10 bytes a day around a mean of 995: 0.5 - (10/995) / 0.04 = 0.24874…
  EXPECT_NEAR(growth_trend({{0, 1000}, {kDay, 990}}), 0.5 - (10.0 / 995) / 0.04, 1e-12);
}

TEST(GrowthTrend, ClampedToZeroAndOne) {
  EXPECT_DOUBLE_EQ(growth_trend({{0, 100}, {kDay, 200}}), 1.0);  // +100/150 a day
  EXPECT_DOUBLE_EQ(growth_trend({{0, 200}, {kDay, 100}}), 0.0);
  // Exactly +2 % a day of the mean scores 1: mean 1000, slope 20 a day.
  EXPECT_NEAR(growth_trend({{0, 990}, {kDay, 1010}}), 1.0, 1e-12);
}

TEST(GrowthTrend, NotEnoughDataIsFlat) {
  EXPECT_DOUBLE_EQ(growth_trend({}), 0.5);
  EXPECT_DOUBLE_EQ(growth_trend({{0, 100}}), 0.5);
  EXPECT_DOUBLE_EQ(growth_trend({{5, 100}, {5, 900}}), 0.5);      // no time span
  EXPECT_DOUBLE_EQ(growth_trend({{0, 0}, {kDay, 0}}), 0.5);       // nothing stored
  EXPECT_DOUBLE_EQ(growth_trend({{0, 500}, {kDay, 500}, {3 * kDay, 500}}), 0.5);  // flat
}

}  // namespace
}  // namespace pnode::analysis
