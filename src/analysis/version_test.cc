#include "analysis/version.h"

#include <gtest/gtest.h>

namespace pnode::analysis {
namespace {

TEST(ParseVersion, ReadsPlainAndSuffixedBuilds) {
  auto v = parse_version("0.8.0-trynet.20251208141952.3b3bb24");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->major, 0);
  EXPECT_EQ(v->minor, 8);
  EXPECT_EQ(v->patch, 0);
  EXPECT_EQ(v->suffix, "-trynet.20251208141952.3b3bb24");
  EXPECT_TRUE(parse_version("1.2.0"));
  EXPECT_TRUE(parse_version("0.7"));
  EXPECT_FALSE(parse_version("unknown"));
  EXPECT_FALSE(parse_version(""));
  EXPECT_FALSE(parse_version("0.8.x"));
}

TEST(VersionGap, CountsReleaseLinesBehind) {
  EXPECT_EQ(version_gap("0.8.0", "0.8.0"), 0);
  EXPECT_EQ(version_gap("0.8.0-trynet.1", "0.8.0"), 0);
  EXPECT_EQ(version_gap("0.7.3", "0.8.0"), 1);
  EXPECT_EQ(version_gap("0.6.0", "0.8.0"), 2);
  EXPECT_EQ(version_gap("0.8.0", "1.2.0"), 2);
  EXPECT_EQ(version_gap("0.9.0", "0.10.0"), 1);  // minor >= 10 works (the reference's did not)
  EXPECT_EQ(version_gap("1.2.0", "0.8.0"), 0);
  EXPECT_FALSE(version_gap("unknown", "0.8.0"));
}

TEST(DeriveLatestVersion, PicksHighestReleaseWithMeaningfulShare) {
  std::vector<std::string_view> v(18, "0.8.0");
  v.push_back("1.0.0");  // a lone test node must not become "latest"
  v.push_back("0.7.0-trynet.1");
  EXPECT_EQ(derive_latest_version(v), "0.8.0");
  std::vector<std::string_view> rollout(7, "0.8.0");
  rollout.insert(rollout.end(), 3, "1.2.0");  // 30 % already upgraded
  EXPECT_EQ(derive_latest_version(rollout), "1.2.0");
  EXPECT_EQ(derive_latest_version({"unknown", "unknown"}), "unknown");
  EXPECT_EQ(derive_latest_version(v, "9.9.9"), "9.9.9");
}

TEST(DeriveLatestVersion, APreReleaseIsNeverLatestEvenWhenMostNodesRunIt) {
  std::vector<std::string_view> v(8, "0.9.0-trynet.20251208141952.3b3bb24");
  v.insert(v.end(), 2, "0.8.0");
  EXPECT_EQ(derive_latest_version(v), "0.8.0");
  std::vector<std::string_view> only_prerelease(5, "0.9.0-rc1");
  EXPECT_EQ(derive_latest_version(only_prerelease).find("-rc"), std::string::npos);
}

}  // namespace
}  // namespace pnode::analysis
