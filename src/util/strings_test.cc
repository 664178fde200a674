#include "util/strings.h"

#include <gtest/gtest.h>

namespace pnode {
namespace {

TEST(Trim, RemovesAsciiWhitespaceOnBothEndsByDefault) {
  EXPECT_EQ(trim(" \t\n a b \r\f\v"), "a b");
  EXPECT_EQ(trim("ab"), "ab");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t "), "");
}

TEST(Trim, RemovesOnlyTheGivenCharacters) {
  EXPECT_EQ(trim("\t gzip;q=1 \t", " \t"), "gzip;q=1");   // HTTP optional whitespace
  EXPECT_EQ(trim("\t x \n", " "), "\t x \n");            // nothing to remove at the ends
  EXPECT_EQ(trim("  type  ", " "), "type");
}

}  // namespace
}  // namespace pnode
