// What a fuzz target does when an input breaks a property it checks (beyond "no crash,
// no sanitizer report"): print which property and abort, so libFuzzer saves the input.
// Fuzz-only. Thread-safety: stateless.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace pnode::fuzz {

inline void require(bool holds, const char* property) {
  if (holds) return;
  std::fprintf(stderr, "fuzz property broken: %s\n", property);
  std::abort();
}

}  // namespace pnode::fuzz
