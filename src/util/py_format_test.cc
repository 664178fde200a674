#include "util/py_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

namespace pnode {
namespace {

TEST(PyRound, RoundsTheExactBinaryValue) {
  EXPECT_EQ(py_round(2.675, 2), 2.67);  // 2.675 is stored just below the tie
  EXPECT_EQ(py_round(0.125, 2), 0.12);  // exact tie goes to even
  EXPECT_EQ(py_round(0.375, 2), 0.38);
  EXPECT_EQ(py_round(1.005, 2), 1.0);
  EXPECT_EQ(py_round(33.333333, 2), 33.33);
}

// The oracle: printf rounds the exact binary value (ties to even), strtod reads it back.
double printed_round(double x, int ndigits) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*f", ndigits, x);
  return std::strtod(buf, nullptr);
}

void expect_same_bits(double x, int ndigits) {
  const double got = py_round(x, ndigits), want = printed_round(x, ndigits);
  EXPECT_EQ(std::memcmp(&got, &want, sizeof got), 0) << x << " to " << ndigits << ": " << got << " vs " << want;
}

TEST(PyRound, SignOfZeroAndLargeValuesAsPython) {
  expect_same_bits(-0.4, 0);  // -0.0
  expect_same_bits(-0.0, 2);
  expect_same_bits(-0.004, 2);
  expect_same_bits(1e300, 2);   // beyond the fast path
  expect_same_bits(4503599627370497.0, 0);
  expect_same_bits(0.5, 0);  // ties to even: 0
  expect_same_bits(1.5, 0);  // 2
  expect_same_bits(2.5, 0);  // 2
  expect_same_bits(123.456, 20);  // more digits than the fast path's powers
}

// Every value, near a half or not, at every precision scoring uses: bit for bit the
// value printf's correct rounding gives.
TEST(PyRound, MatchesCorrectRoundingOfTheExactValueEverywhere) {
  std::mt19937_64 random(20261206);
  std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-8, 14), digits(0, 8), nudge(-4, 4);
  for (int i = 0; i < 200000; ++i) {
    const int n = digits(random);
    double x = std::ldexp(mantissa(random), exponent(random) * 3);
    if (i % 2) {  // next to a half of the last digit: k.5 / 10^n, a few ulps either way
      x = (std::round(x * std::pow(10.0, n)) + 0.5) / std::pow(10.0, n);
      for (int step = nudge(random); step != 0; step += step > 0 ? -1 : 1)
        x = std::nextafter(x, step > 0 ? INFINITY : -INFINITY);
    }
    expect_same_bits(x, n);
    if (HasFailure()) return;
  }
}

TEST(PyFormat, FixedPercentAndRepr) {
  EXPECT_EQ(py_fixed(96.25, 1), "96.2");
  EXPECT_EQ(py_percent(0.756, 1), "75.6%");
  EXPECT_EQ(py_repr(55.0), "55.0");
  EXPECT_EQ(py_repr(33.3), "33.3");
}

}  // namespace
}  // namespace pnode
