#include "analysis/readable_time.h"

#include <gtest/gtest.h>

namespace pnode::analysis {
namespace {

TEST(UtcReadable, Epoch) { EXPECT_EQ(utc_readable(0), "1970-01-01 00:00:00 UTC"); }

TEST(UtcReadable, KnownInstant) {
  // 1703001234 = 19710 days (2023-12-19) + 57234 s = 15:53:54.
  EXPECT_EQ(utc_readable(1703001234), "2023-12-19 15:53:54 UTC");
}

TEST(UtcReadable, LeapDayAndBeforeEpoch) {
  // 2024-02-29 is day 19782: 19782 * 86400 = 1709164800.
  EXPECT_EQ(utc_readable(1709164800 + 86399), "2024-02-29 23:59:59 UTC");
  // One second before the epoch is the last second of 1969.
  EXPECT_EQ(utc_readable(-1), "1969-12-31 23:59:59 UTC");
}

}  // namespace
}  // namespace pnode::analysis
