// The header parsing of ETag / 304 and gzip, and the memo's bounds. The same through the
// whole Api (apply_http_caching after routing) is api/api_http_caching_test.cc.
#include "rest/http_caching.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace pnode::rest {
namespace {

TEST(HttpCachingHeaders, AcceptEncodingAndIfNoneMatchParsing) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_TRUE(etag_matches("*", "\"a\""));
  EXPECT_TRUE(etag_matches("W/\"a\"", "\"a\""));
  EXPECT_FALSE(etag_matches("\"ab\"", "\"a\""));
  EXPECT_FALSE(etag_matches("", "\"a\""));
}

TEST(EncodedBodiesTest, MemoisedByBodyIdentityAndBounded) {
  EncodedBodies bodies(4);
  auto body = std::make_shared<const std::string>(std::string(5000, 'x'));
  auto first = bodies.get(body, true);
  EXPECT_EQ(bodies.get(body, true), first);  // same body object: same memo entry
  // An equal body in another object gets the same tag (it is the body's hash).
  auto twin = std::make_shared<const std::string>(*body);
  EXPECT_EQ(bodies.get(twin, false)->etag, first->etag);

  std::vector<std::shared_ptr<const std::string>> live;
  for (int i = 0; i < 20; ++i) {
    live.push_back(std::make_shared<const std::string>("body " + std::to_string(i)));
    bodies.get(live.back(), false);
    EXPECT_LE(bodies.size(), 4u);
  }
}

}  // namespace
}  // namespace pnode::rest
