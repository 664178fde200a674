#include "util/py_format.h"

#include <gtest/gtest.h>

namespace pnode {
namespace {

TEST(PyRound, RoundsTheExactBinaryValue) {
  EXPECT_EQ(py_round(2.675, 2), 2.67);  // 2.675 is stored just below the tie
  EXPECT_EQ(py_round(0.125, 2), 0.12);  // exact tie goes to even
  EXPECT_EQ(py_round(0.375, 2), 0.38);
  EXPECT_EQ(py_round(1.005, 2), 1.0);
  EXPECT_EQ(py_round(33.333333, 2), 33.33);
}

TEST(PyFormat, FixedPercentAndRepr) {
  EXPECT_EQ(py_fixed(96.25, 1), "96.2");
  EXPECT_EQ(py_percent(0.756, 1), "75.6%");
  EXPECT_EQ(py_repr(55.0), "55.0");
  EXPECT_EQ(py_repr(33.3), "33.3");
}

}  // namespace
}  // namespace pnode
