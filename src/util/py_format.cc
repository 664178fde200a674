#include "util/py_format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <optional>

#include "util/json_writer.h"

namespace pnode {

namespace {

// printf rounds the exact binary value correctly (ties to even), as CPython does; strtod
// reads the digits back. Exact for every input, but a printf per call, and scoring rounds
// every factor of every node: this is the slow path.
double round_by_printing(double x, int ndigits) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*f", ndigits, x);
  return std::strtod(buf, nullptr);
}

constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// The same result without printing. s = |x| * 10^n is the exact product rounded to
// nearest, and rounding is monotonic while every k + 0.5 below 2^52 is a double: an exact
// product below a half gives s at most that half, one above gives s at least it. So only
// s landing exactly on a half is undecided (left to printing). N / 10^n, both exact
// doubles, is then the correctly rounded value of the decimal printf prints: what strtod
// returns.
std::optional<double> round_without_printing(double x, int ndigits) {
  if (ndigits < 0 || ndigits >= static_cast<int>(std::size(kPowersOfTen))) return std::nullopt;
  const double scale = kPowersOfTen[ndigits];
  const double scaled = std::fabs(x) * scale;
  if (!(scaled < 0x1p52)) return std::nullopt;
  const double whole = std::floor(scaled);
  const double fraction = scaled - whole;  // exact below 2^52
  if (fraction == 0.5) return std::nullopt;
  const double rounded = fraction > 0.5 ? whole + 1 : whole;
  return std::copysign(rounded / scale, x);  // -0.4 rounds to -0.0, as printf's "-0"
}

}  // namespace

double py_round(double x, int ndigits) {
  if (!std::isfinite(x)) return x;
  if (auto fast = round_without_printing(x, ndigits)) return *fast;
  return round_by_printing(x, ndigits);
}

std::string py_fixed(double x, int decimals) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

std::string py_percent(double x, int decimals) { return py_fixed(x * 100.0, decimals) + "%"; }

std::string py_repr(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return format_double(x, DoubleStyle::kPython);
}

}  // namespace pnode
