#include "util/keep_first.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <unordered_map>

namespace pnode {
namespace {

auto by_value_then_key = [](const auto& a, const auto& b) {
  return a.first != b.first ? a.first > b.first : a.second->first < b.second->first;
};

TEST(KeepFirst, KeepsTheFirstInTheOrderAndErasesTheRest) {
  std::unordered_map<std::string, int> m{{"a", 5}, {"b", 9}, {"c", 1}, {"d", 9}, {"e", 7}};
  keep_first(m, 3, [](auto it) { return it->second; }, by_value_then_key);
  EXPECT_EQ(m, (std::unordered_map<std::string, int>{{"b", 9}, {"d", 9}, {"e", 7}}));
}

TEST(KeepFirst, TiesAtTheCutGoByTheOrderNotByHashing) {
  std::unordered_map<std::string, int> m{{"x", 1}, {"y", 1}, {"z", 1}};
  keep_first(m, 1, [](auto it) { return it->second; }, by_value_then_key);
  EXPECT_EQ(m, (std::unordered_map<std::string, int>{{"x", 1}}));
}

TEST(KeepFirst, AtOrBelowTheBoundNothingChanges) {
  std::map<int, int> m{{1, 1}, {2, 2}};
  keep_first(m, 2, [](auto it) { return it->second; }, by_value_then_key);
  EXPECT_EQ(m.size(), 2u);
  keep_first(m, 0, [](auto it) { return it->second; }, by_value_then_key);
  EXPECT_TRUE(m.empty());
}

}  // namespace
}  // namespace pnode
