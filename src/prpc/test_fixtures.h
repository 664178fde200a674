// Test helper: the recorded pRPC captures under PNODE_FIXTURES_DIR, found by the start
// of their file name (some names contain a real node's address, which the project keeps
// out of its own sources), and read whole; and the names of the captures several parse
// tests read.
// Thread-safety: test-only free functions.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace pnode::prpc::testing {

// The one fixture whose name starts with `prefix` (the full name works too).
inline std::filesystem::path fixture_path(const std::string& prefix) {
  std::filesystem::path found;
  for (const auto& entry : std::filesystem::directory_iterator(PNODE_FIXTURES_DIR)) {
    if (entry.path().filename().string().rfind(prefix, 0) != 0) continue;
    EXPECT_TRUE(found.empty()) << "several fixtures start with " << prefix;
    found = entry.path();
  }
  EXPECT_FALSE(found.empty()) << "no fixture starts with " << prefix;
  return found;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string fixture(const std::string& prefix) { return read_file(fixture_path(prefix)); }

// Captures the parse tests read by name.
inline constexpr const char* kCompact204 = "get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json";
inline constexpr const char* kPretty198 = "get-pods-with-stats_2025-12-16T0931Z_v0.8_198pods_BarrieLAJ.json";
inline constexpr const char* kGetPods22 = "get-pods_2025-12-07_v0.5-0.6_22pods_atechwebsol01-faq.json";
inline constexpr const char* kGetPodsEmpty = "get-pods_2025-12-05_v0.6.0_empty_nhatlapross.json";

}  // namespace pnode::prpc::testing
