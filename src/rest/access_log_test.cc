#include "rest/access_log.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

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

TEST(AccessLog, BudgetAdmitsNLinesASecondThenReportsWhatItDropped) {
  LogBudget budget(3);
  const auto t0 = LogBudget::Clock::time_point{} + std::chrono::seconds(10);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(budget.admit(t0).write) << i;
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(budget.admit(t0 + std::chrono::milliseconds(999)).write);
  auto next = budget.admit(t0 + std::chrono::seconds(1));
  EXPECT_TRUE(next.write);
  EXPECT_EQ(next.suppressed, 1000u);
  EXPECT_EQ(budget.admit(t0 + std::chrono::seconds(1)).suppressed, 0u);
  LogBudget unlimited(0);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(unlimited.admit(t0).write);
}

TEST(AccessLog, AFloodWritesAtMostTheBudgetAndASummary) {
  std::vector<std::string> lines;
  auto observer = access_log_observer(AccessLogFormat::kText, 5, [&](const std::string& line) { lines.push_back(line); });
  auto request = testing::make_request("/health");
  for (int i = 0; i < 10000; ++i) observer(request, 200, std::chrono::microseconds(1));
  EXPECT_LE(lines.size(), 10u);  // the loop may straddle one window boundary
  EXPECT_EQ(suppressed_lines_line(42, AccessLogFormat::kText),
            "access log: suppressed 42 lines (over the lines-per-second limit)");
  auto summary = boost::json::parse(suppressed_lines_line(42, AccessLogFormat::kJson));
  EXPECT_EQ(summary.at("suppressed"), 42);
}

}  // namespace
}  // namespace pnode::rest
