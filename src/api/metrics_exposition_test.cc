#include "api/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/metrics_test_support.h"

namespace pnode::api {
namespace {

using metrics_testing::Exposition;
using metrics_testing::parse_exposition;

// ---- the parser itself: it must accept the format and reject what breaks it ----

TEST(ExpositionParserTest, AcceptsAWellFormedExposition) {
  const char* text =
      "# A free comment\n"
      "# HELP req_total Requests, with a \\\\ and a \\n in the help.\n"
      "# TYPE req_total counter\n"
      "req_total{path=\"/a\\\"b\\\\c\\nd\",code=\"200\",} 3 1700000000000\n"
      "req_total 1e3\n"
      "\n"
      "# TYPE temp gauge\n"
      "temp -Inf\n"
      "temp{x=\"\"} NaN\n"
      "# TYPE lat histogram\n"
      "lat_bucket{le=\"0.5\"} 1\n"
      "lat_bucket{le=\"+Inf\"} 2\n"
      "lat_sum 1.25\n"
      "lat_count 2\n";
  Exposition e = parse_exposition(text);
  EXPECT_EQ(e.help.at("req_total"), "Requests, with a \\ and a \n in the help.");
  EXPECT_EQ(e.value("req_total", {{"path", "/a\"b\\c\nd"}, {"code", "200"}}), 3);
  EXPECT_EQ(e.samples[0].timestamp, 1700000000000);
  EXPECT_EQ(e.value("req_total"), 1000);
  EXPECT_EQ(e.value("temp"), -INFINITY);
  EXPECT_TRUE(std::isnan(*e.value("temp", {{"x", ""}})));
  EXPECT_EQ(e.value("lat_count"), 2);
}

TEST(ExpositionParserTest, RejectsWhatIsNotTheFormat) {
  const std::string ok_histogram =
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n";
  ASSERT_NO_THROW(parse_exposition(ok_histogram));
  const std::vector<std::string> bad = {
      "x 1\n",                                                      // no TYPE
      "# TYPE x gauge\nx 1",                                        // no final line feed
      "# TYPE 1x gauge\n1x 1\n",                                    // bad name
      "# TYPE x gauge\nx{a=\"1} 1\n",                               // unterminated value
      "# TYPE x gauge\nx{a=\"\\t\"} 1\n",                           // unknown escape
      "# TYPE x gauge\nx{a=\"1\",a=\"2\"} 1\n",                     // label twice
      "# TYPE x gauge\nx{1a=\"1\"} 1\n",                            // bad label name
      "# TYPE x gauge\nx 1,5\n",                                    // bad value
      "# TYPE x gauge\nx inf\n",                                    // not the format's spelling
      "# TYPE x gauge\nx 1 2 3\n",                                  // trailing text
      "# TYPE x gauge\nx 1 1.5\n",                                  // bad timestamp
      "# TYPE x gauge\nx 1\nx 2\n",                                 // duplicate series
      "# TYPE x gauge\n# TYPE x counter\nx 1\n",                    // second TYPE
      "# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\nx{a=\"b\"} 1\n",   // family split in two
      "# TYPE x gauge\nx 1\n# TYPE x gauge\n",                      // TYPE after samples
      "# TYPE x counter\nx -1\n",                                   // negative counter
      "# TYPE x nonsense\nx 1\n",                                   // unknown type
      "# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n",  // not cumulative
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"2\"} 2\nh_sum 3\nh_count 2\n",     // no +Inf
      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_bucket{le=\"1\"} 1\nh_sum 3\nh_count 2\n",  // +Inf not last
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 3\n",  // _count != +Inf
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n",           // no _sum
      "# TYPE h histogram\nh_bucket 1\nh_sum 3\nh_count 1\n",                                     // bucket without le
      "# TYPE h histogram\nh 1\n",                                                                // no suffix
  };
  for (const std::string& text : bad) EXPECT_THROW(parse_exposition(text), std::runtime_error) << text;
}

}  // namespace
}  // namespace pnode::api
