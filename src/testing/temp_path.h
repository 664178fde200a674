// A path in the test temp directory that no other test process uses: ctest runs each test
// case as its own process, in parallel, so a fixed file name is a race between test cases
// (one case reads the file another has just rewritten).
// Test-only; thread-safety: pure function.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace pnode::testing {

// `<TempDir>/<pid>-<name>`: unique per test process, stable within it.
inline std::string unique_temp_path(const std::string& name) {
  return ::testing::TempDir() + "/" + std::to_string(::getpid()) + "-" + name;
}

}  // namespace pnode::testing
