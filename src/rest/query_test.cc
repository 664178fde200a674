#include "rest/query.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace pnode::rest {
namespace {

TEST(PercentDecode, DecodesEscapesAndKeepsMalformedOnes) {
  EXPECT_EQ(percent_decode("1.2.3.4%3A9001"), "1.2.3.4:9001");
  EXPECT_EQ(percent_decode("a%2Fb%2fc"), "a/b/c");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(percent_decode("%E2%82%AC"), "\xE2\x82\xAC");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
}

TEST(PercentDecode, ReplacesInvalidUtf8WithReplacementCharacter) {
  EXPECT_EQ(percent_decode("x%FFy"), "x\xEF\xBF\xBDy");
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(sanitize_utf8("ok \xF0\x9F\x9F\xA2"), "ok \xF0\x9F\x9F\xA2");            // emoji kept
}

TEST(EncodePathForLocation, EscapesOnlyUnsafeBytes) {
  EXPECT_EQ(encode_path_for_location("/node/1.2.3.4:9001/history"), "/node/1.2.3.4:9001/history");
  EXPECT_EQ(encode_path_for_location("/a b\"c"), "/a%20b%22c");
}

TEST(ParseQueryString, KeepsBlankValuesOrderAndRepeats) {
  QueryPairs q = parse_query_string("a=1&b=&c&&a=2&d=x%3Dy+z&=v");
  ASSERT_EQ(q.size(), 6u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>("a", "1")));
  EXPECT_EQ(q[1], (std::pair<std::string, std::string>("b", "")));
  EXPECT_EQ(q[2], (std::pair<std::string, std::string>("c", "")));
  EXPECT_EQ(q[3], (std::pair<std::string, std::string>("a", "2")));
  EXPECT_EQ(q[4], (std::pair<std::string, std::string>("d", "x=y z")));
  EXPECT_EQ(q[5], (std::pair<std::string, std::string>("", "v")));
  EXPECT_TRUE(parse_query_string("").empty());
}

const QuerySchema& schema() {
  static const QuerySchema s{
      str_param("status").def("online").pattern("^(all|online|offline)$"),
      int_param("limit").def(100).ge(1).le(1000),
      float_param("min").def(0.0).ge(0.0).le(1.0),
      bool_param("public").def(false),
      str_param("severity"),
      int_param("count"),
  };
  return s;
}

std::vector<ValidationIssue> run(std::string_view query, Params& out) {
  return schema().parse(parse_query_string(query), out);
}

TEST(QuerySchema, AppliesDefaultsAndLeavesOptionalsAbsent) {
  Params p;
  EXPECT_TRUE(run("unknown=zzz", p).empty());
  EXPECT_EQ(p.str("status"), "online");
  EXPECT_EQ(p.integer("limit"), 100);
  EXPECT_EQ(p.number("min"), 0.0);
  EXPECT_FALSE(p.boolean("public"));
  EXPECT_EQ(p.opt_str("severity"), std::nullopt);
  EXPECT_EQ(p.opt_integer("count"), std::nullopt);
}

TEST(QuerySchema, ParsesValuesAndTakesTheLastOfRepeats) {
  Params p;
  EXPECT_TRUE(run("status=all&limit=5&limit=%2B7&min=0.25&public=YES&severity=warn&count=-3", p).empty());
  EXPECT_EQ(p.str("status"), "all");
  EXPECT_EQ(p.integer("limit"), 7);
  EXPECT_EQ(p.number("min"), 0.25);
  EXPECT_TRUE(p.boolean("public"));
  EXPECT_EQ(p.opt_str("severity"), "warn");
  EXPECT_EQ(p.opt_integer("count"), -3);
}

TEST(QuerySchema, AcceptsPydanticLaxIntegerForms) {
  for (auto [text, value] : std::vector<std::pair<const char*, int64_t>>{
           {"5", 5}, {"%205%20", 5}, {"+5", 5}, {"5.0", 5}, {"5.", 5}, {"0010", 10}}) {
    Params p;
    EXPECT_TRUE(run(std::string("limit=") + text, p).empty()) << text;
    EXPECT_EQ(p.integer("limit"), value) << text;
  }
}

TEST(QuerySchema, AcceptsEveryBoolLiteralCaseInsensitively) {
  for (const char* t : {"true", "TRUE", "1", "yes", "on", "t", "y", "On"}) {
    Params p;
    EXPECT_TRUE(run(std::string("public=") + t, p).empty()) << t;
    EXPECT_TRUE(p.boolean("public")) << t;
  }
  for (const char* f : {"false", "False", "0", "no", "off", "f", "n", "N"}) {
    Params p;
    EXPECT_TRUE(run(std::string("public=") + f, p).empty()) << f;
    EXPECT_FALSE(p.boolean("public")) << f;
  }
}

TEST(QuerySchema, ReportsEveryInvalidParameterInDeclarationOrder) {
  Params p;
  auto issues = run("public=maybe&limit=abc&status=bogus&min=x", p);
  ASSERT_EQ(issues.size(), 4u);
  EXPECT_EQ(issues[0].type, "string_pattern_mismatch");
  EXPECT_EQ(issues[0].param, "status");
  EXPECT_EQ(issues[0].msg, "String should match pattern '^(all|online|offline)$'");
  EXPECT_EQ(issues[0].input, "bogus");
  EXPECT_EQ(issues[0].ctx_key, "pattern");
  EXPECT_EQ(issues[0].ctx_json, "\"^(all|online|offline)$\"");
  EXPECT_EQ(issues[1].type, "int_parsing");
  EXPECT_EQ(issues[1].msg, "Input should be a valid integer, unable to parse string as an integer");
  EXPECT_EQ(issues[1].input, "abc");
  EXPECT_TRUE(issues[1].ctx_key.empty());
  EXPECT_EQ(issues[2].type, "float_parsing");
  EXPECT_EQ(issues[2].msg, "Input should be a valid number, unable to parse string as a number");
  EXPECT_EQ(issues[3].type, "bool_parsing");
  EXPECT_EQ(issues[3].msg, "Input should be a valid boolean, unable to interpret input");
  EXPECT_EQ(issues[3].input, "maybe");
}

TEST(QuerySchema, EmptyAndMalformedNumbersAreInvalid) {
  for (const char* bad : {"limit=", "limit", "limit=1.5", "limit=1e3", "limit=0x10", "limit=--1"}) {
    Params p;
    auto issues = run(bad, p);
    ASSERT_EQ(issues.size(), 1u) << bad;
    EXPECT_EQ(issues[0].type, "int_parsing") << bad;
  }
  for (const char* bad : {"min=", "min=nan", "min=inf", "min=1,5"}) {
    Params p;
    auto issues = run(bad, p);
    ASSERT_EQ(issues.size(), 1u) << bad;
    EXPECT_EQ(issues[0].type, "float_parsing") << bad;
  }
  Params p;
  auto issues = run("status=", p);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].type, "string_pattern_mismatch");
  EXPECT_EQ(issues[0].input, "");
}

TEST(QuerySchema, BoundsReportTheDeclaredBoundInItsOwnType) {
  Params p;
  auto low = run("limit=0&min=-0.5", p);
  ASSERT_EQ(low.size(), 2u);
  EXPECT_EQ(low[0].type, "greater_than_equal");
  EXPECT_EQ(low[0].msg, "Input should be greater than or equal to 1");
  EXPECT_EQ(low[0].ctx_key, "ge");
  EXPECT_EQ(low[0].ctx_json, "1");
  EXPECT_EQ(low[0].input, "0");
  EXPECT_EQ(low[1].msg, "Input should be greater than or equal to 0.0");
  EXPECT_EQ(low[1].ctx_json, "0.0");

  auto high = run("limit=1001&min=1.5", p);
  ASSERT_EQ(high.size(), 2u);
  EXPECT_EQ(high[0].type, "less_than_equal");
  EXPECT_EQ(high[0].msg, "Input should be less than or equal to 1000");
  EXPECT_EQ(high[0].ctx_key, "le");
  EXPECT_EQ(high[0].ctx_json, "1000");
  EXPECT_EQ(high[1].msg, "Input should be less than or equal to 1.0");

  // Beyond int64 is still an integer, just out of range.
  auto huge = run("limit=99999999999999999999999", p);
  ASSERT_EQ(huge.size(), 1u);
  EXPECT_EQ(huge[0].type, "less_than_equal");
  EXPECT_TRUE(run("limit=1000&min=1", p).empty());
  EXPECT_EQ(p.integer("limit"), 1000);
}

TEST(QuerySchema, RequiredParameterReportsMissingWithNullInput) {
  QuerySchema s{str_param("addresses").required()};
  Params p;
  auto issues = s.parse(parse_query_string("other=1"), p);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].type, "missing");
  EXPECT_EQ(issues[0].msg, "Field required");
  EXPECT_EQ(issues[0].input, std::nullopt);
  EXPECT_TRUE(s.parse(parse_query_string("addresses="), p).empty());  // an empty string is a string
}

TEST(QuerySchema, PatternMatchIsExactAndCaseSensitive) {
  Params p;
  for (const char* bad : {"status=ONLINE", "status=online%20", "status=onlineX", "status=all|online"}) {
    auto issues = run(bad, p);
    ASSERT_EQ(issues.size(), 1u) << bad;
    EXPECT_EQ(issues[0].type, "string_pattern_mismatch") << bad;
  }
}

TEST(QuerySchema, DefaultsTakeTheDeclaredType) {
  QuerySchema s{float_param("min").def(0), int_param("n").def(3)};
  Params p;
  EXPECT_TRUE(s.parse({}, p).empty());
  EXPECT_EQ(p.number("min"), 0.0);
  EXPECT_EQ(p.integer("n"), 3);
  EXPECT_THROW(int_param("x").def("10"), std::invalid_argument);
  EXPECT_THROW(str_param("x").def(1), std::invalid_argument);
  EXPECT_THROW(bool_param("x").def(1.5), std::invalid_argument);
}

TEST(QuerySchema, RejectsPatternsItCannotMatchExactly) {
  EXPECT_THROW(str_param("x").pattern("^a.*$"), std::invalid_argument);
  EXPECT_THROW(str_param("x").pattern("a|b"), std::invalid_argument);
  EXPECT_NO_THROW(str_param("x").pattern("^(a|b_c)$"));
}

}  // namespace
}  // namespace pnode::rest
