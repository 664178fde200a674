#include "util/py_format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "util/json_writer.h"

namespace pnode {

double py_round(double x, int ndigits) {
  if (!std::isfinite(x)) return x;
  // printf rounds the exact binary value correctly (ties to even), as CPython does.
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*f", ndigits, x);
  return std::strtod(buf, nullptr);
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
