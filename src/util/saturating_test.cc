#include "util/saturating.h"

#include <gtest/gtest.h>

#include <limits>

namespace pnode {
namespace {

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();

TEST(SaturatingAdd, AddsValuesThatFit) {
  EXPECT_EQ(saturating_add(0, 0), 0u);
  EXPECT_EQ(saturating_add(2, 3), 5u);
  EXPECT_EQ(saturating_add(kU64Max - 1, 1), kU64Max);
}

TEST(SaturatingAdd, StopsAtTheMaximumInsteadOfWrapping) {
  EXPECT_EQ(saturating_add(kU64Max, 1), kU64Max);
  EXPECT_EQ(saturating_add(kU64Max, kU64Max), kU64Max);
  EXPECT_EQ(saturating_add(uint64_t{1} << 63, uint64_t{1} << 63), kU64Max);  // would wrap to 0
}

TEST(SaturatingAccumulate, AHostileTotalOfManyHugeValuesStaysAtTheMaximum) {
  uint64_t total = 0;
  for (int i = 0; i < 1000; ++i) saturating_accumulate(total, uint64_t{1} << 62);
  EXPECT_EQ(total, kU64Max);
  uint64_t small = 0;
  for (int i = 0; i < 10; ++i) saturating_accumulate(small, 7);
  EXPECT_EQ(small, 70u);
}

TEST(SaturatingDifference, IsExactWithinTheSignedRange) {
  EXPECT_EQ(saturating_difference(10, 15), 5);
  EXPECT_EQ(saturating_difference(15, 10), -5);
  EXPECT_EQ(saturating_difference(7, 7), 0);
  EXPECT_EQ(saturating_difference(0, static_cast<uint64_t>(kI64Max)), kI64Max);
  EXPECT_EQ(saturating_difference(uint64_t{1} << 63, 0), kI64Min);
}

TEST(SaturatingDifference, ClampsChangesBeyondTheSignedRange) {
  EXPECT_EQ(saturating_difference(0, kU64Max), kI64Max);  // a plain cast would give -1
  EXPECT_EQ(saturating_difference(kU64Max, 0), kI64Min);  // a plain cast would give +1
  EXPECT_EQ(saturating_difference(1, kU64Max), kI64Max);
}

}  // namespace
}  // namespace pnode
