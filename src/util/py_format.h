// Python-compatible number helpers: the reference service rounds with Python's round()
// (correct rounding of the exact binary value, ties to even) and formats messages with
// "{x:.1f}" / "{x:.1%}" / repr(x). The API reproduces those numbers and texts.
// Thread-safety: pure functions.
#pragma once

#include <string>

namespace pnode {

// Python's round(x, ndigits) for ndigits >= 0.
double py_round(double x, int ndigits);
// Python's f"{x:.{decimals}f}".
std::string py_fixed(double x, int decimals);
// Python's f"{x:.{decimals}%}".
std::string py_percent(double x, int decimals);
// Python's repr(float) (shortest round-trip, "55.0", "1e-05").
std::string py_repr(double x);

}  // namespace pnode
