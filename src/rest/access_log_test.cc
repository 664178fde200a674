#include "rest/access_log.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "rest/test_support.h"

namespace pnode::rest {
namespace {

TEST(AccessLog, TextLineHasMethodPathQueryStatusAndDuration) {
  auto request = testing::make_request("/pnodes?limit=5&status=all");
  EXPECT_EQ(access_log_line(request, 200, std::chrono::microseconds(1234), AccessLogFormat::kText),
            R"(access method=GET path="/pnodes" query="limit=5&status=all" status=200 duration_ms=1.234 remote=127.0.0.1)");
  EXPECT_EQ(access_log_line(testing::make_request("/health"), 503, std::chrono::microseconds(7), AccessLogFormat::kText),
            R"(access method=GET path="/health" status=503 duration_ms=0.007 remote=127.0.0.1)");
}

TEST(AccessLog, JsonLineIsOneValidObject) {
  auto request = testing::make_request("/registry/a\"b%FF?x=\x01", "GET");
  std::string line = access_log_line(request, 404, std::chrono::microseconds(2500), AccessLogFormat::kJson);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto v = boost::json::parse(line);
  EXPECT_EQ(v.at("event"), "access");
  EXPECT_EQ(v.at("method"), "GET");
  EXPECT_EQ(v.at("path"), "/registry/a\"b%FF");
  EXPECT_EQ(v.at("query"), "x=\x01");
  EXPECT_EQ(v.at("status"), 404);
  EXPECT_EQ(v.at("duration_ms").as_double(), 2.5);
  EXPECT_EQ(v.at("remote"), "127.0.0.1");
}

}  // namespace
}  // namespace pnode::rest
