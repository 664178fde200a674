#include "util/json_writer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

namespace pnode {
namespace {

TEST(JsonWriter, NestsAndSeparatesWithCommas) {
  JsonWriter w;
  w.begin_object().field("a", 1).key("b").begin_array().value("x").null().value(true).end_array();
  w.key("c").begin_object().end_object().end_object();
  EXPECT_EQ(w.str(), R"({"a":1,"b":["x",null,true],"c":{}})");
}

TEST(JsonWriter, EscapesControlCharactersAndQuotes) {
  JsonWriter w;
  w.value(std::string_view("a\"b\\c\n\x01"));
  EXPECT_EQ(w.str(), R"("a\"b\\c\n\u0001")");
}

TEST(JsonWriter, OptionalWritesNullWhenEmpty) {
  JsonWriter w;
  w.begin_array().value(std::optional<int>()).value(std::optional<int>(7)).end_array();
  EXPECT_EQ(w.str(), "[null,7]");
}

TEST(FormatDouble, PythonStyleMatchesRepr) {
  EXPECT_EQ(format_double(40.0), "40.0");
  EXPECT_EQ(format_double(0.0), "0.0");
  EXPECT_EQ(format_double(55.43), "55.43");
  EXPECT_EQ(format_double(1e-05), "1e-05");
  EXPECT_EQ(format_double(0.0001), "0.0001");
  EXPECT_EQ(format_double(1e16), "1e+16");
  EXPECT_EQ(format_double(1234567890123456.0), "1234567890123456.0");
  EXPECT_EQ(format_double(-2.5), "-2.5");
  EXPECT_EQ(format_double(std::nan("")), "null");
}

TEST(FormatDouble, SerdeStyleMatchesCapturedPods) {
  EXPECT_EQ(format_double(4.6764705882352943e-7, DoubleStyle::kSerde), "4.6764705882352943e-7");
  EXPECT_EQ(format_double(0.000015796376811594205, DoubleStyle::kSerde), "0.000015796376811594205");
  EXPECT_EQ(format_double(50.0, DoubleStyle::kSerde), "50.0");
  EXPECT_EQ(format_double(1.4153125e-6, DoubleStyle::kSerde), "1.4153125e-6");
  EXPECT_EQ(format_double(static_cast<double>(0.16447368264198303f), DoubleStyle::kSerde), "0.16447368264198303");
}

TEST(FormatDouble, RoundTripsRandomValues) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> exp_dist(-12, 18);
  for (int i = 0; i < 20000; ++i) {
    double v = std::pow(10.0, exp_dist(rng)) * (rng() % 2 ? 1 : -1);
    for (auto style : {DoubleStyle::kPython, DoubleStyle::kSerde}) {
      std::string s = format_double(v, style);
      ASSERT_EQ(std::strtod(s.c_str(), nullptr), v) << s;
    }
  }
}

}  // namespace
}  // namespace pnode
