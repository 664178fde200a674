// ETag / 304 and gzip through the whole Api (rest::apply_http_caching after routing).
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "api/api.h"
#include "api/snapshot_hub.h"
#include "api/test_support.h"
#include "rest/http_caching.h"

namespace pnode::api {
namespace {

using rest::gzip_decompress;
using rest::kGzipMinBytes;
using testing::header;
using testing::make_request;

constexpr int64_t kNow = 1700000000;

std::shared_ptr<const model::Snapshot> snapshot_with(int nodes, int64_t last_updated) {
  std::vector<analysis::NodeView> views;
  for (int i = 0; i < nodes; ++i)
    views.push_back(testing::make_online_view("10.0.0." + std::to_string(i) + ":9001", last_updated - i, 1000 + i, 50 + i % 40));
  return testing::make_snapshot(last_updated, {"127.0.0.1:6001"}, testing::make_views(std::move(views)));
}

class HttpCachingTest : public ::testing::Test {
 protected:
  HttpCachingTest() : hub_(snapshot_with(20, kNow)), api_(config(), hub_) {}
  ApiConfig config() {
    ApiConfig c;
    c.clock = [this] { return now_.load(); };
    return c;
  }
  std::atomic<int64_t> now_{kNow + 5};
  SnapshotHub hub_;
  Api api_;
};

TEST_F(HttpCachingTest, EveryCacheableGetCarriesAnEtagAndAMatchingIfNoneMatchGets304) {
  auto first = api_.handle(make_request("/pnodes?limit=10"));
  ASSERT_EQ(first.status, 200);
  std::string etag = header(first, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(header(first, "Vary"), "Accept-Encoding");

  auto again = api_.handle(make_request("/pnodes?limit=10", "GET", {{"If-None-Match", etag}}));
  EXPECT_EQ(again.status, 304);
  EXPECT_FALSE(again.body);
  EXPECT_EQ(header(again, "ETag"), etag);
  // A weak form of the same tag and a list that contains it match too; another does not.
  EXPECT_EQ(api_.handle(make_request("/pnodes?limit=10", "GET", {{"If-None-Match", "\"x\", W/" + etag}})).status, 304);
  EXPECT_EQ(api_.handle(make_request("/pnodes?limit=10", "GET", {{"If-None-Match", "\"other\""}})).status, 200);
  // Another query is another body, so another tag.
  EXPECT_NE(header(api_.handle(make_request("/pnodes?limit=11")), "ETag"), etag);
}

TEST_F(HttpCachingTest, ANewSnapshotOrANewSecondChangesTheEtag) {
  std::string etag = header(api_.handle(make_request("/pnodes?limit=10")), "ETag");
  EXPECT_EQ(header(api_.handle(make_request("/pnodes?limit=10")), "ETag"), etag);  // same second, same snapshot

  hub_.publish(snapshot_with(21, kNow));
  auto after = api_.handle(make_request("/pnodes?limit=10", "GET", {{"If-None-Match", etag}}));
  EXPECT_EQ(after.status, 200);
  std::string new_etag = header(after, "ETag");
  EXPECT_NE(new_etag, etag);

  now_ += 1;  // "timestamp" moves, so the body and its tag do
  auto later = api_.handle(make_request("/pnodes?limit=10", "GET", {{"If-None-Match", new_etag}}));
  EXPECT_EQ(later.status, 200);
  EXPECT_NE(header(later, "ETag"), new_etag);
}

TEST_F(HttpCachingTest, GzipRoundTripsWhenAcceptedAndLargeEnough) {
  auto plain = api_.handle(make_request("/pnodes?limit=20"));
  ASSERT_GT(plain.body->size(), kGzipMinBytes);
  EXPECT_EQ(header(plain, "Content-Encoding"), "");

  auto zipped = api_.handle(make_request("/pnodes?limit=20", "GET", {{"Accept-Encoding", "br, gzip, deflate"}}));
  ASSERT_EQ(zipped.status, 200);
  EXPECT_EQ(header(zipped, "Content-Encoding"), "gzip");
  EXPECT_EQ(header(zipped, "Vary"), "Accept-Encoding");
  EXPECT_LT(zipped.body->size(), plain.body->size());
  std::string unzipped;
  ASSERT_TRUE(gzip_decompress(*zipped.body, unzipped));
  EXPECT_EQ(unzipped, *plain.body);
  // The gzipped representation has its own tag, and 304s on it.
  std::string gz_etag = header(zipped, "ETag");
  EXPECT_NE(gz_etag, header(plain, "ETag"));
  EXPECT_EQ(api_.handle(make_request("/pnodes?limit=20", "GET", {{"Accept-Encoding", "gzip"}, {"If-None-Match", gz_etag}}))
                .status,
            304);
  // Compressed once per body: the second request shares the first one's bytes.
  auto again = api_.handle(make_request("/pnodes?limit=20", "GET", {{"Accept-Encoding", "gzip"}}));
  EXPECT_EQ(again.body.get(), zipped.body.get());

  // gzip;q=0 refuses it; small bodies are never compressed.
  EXPECT_EQ(header(api_.handle(make_request("/pnodes?limit=20", "GET", {{"Accept-Encoding", "gzip;q=0"}})),
                   "Content-Encoding"),
            "");
  auto small = api_.handle(make_request("/health", "GET", {{"Accept-Encoding", "gzip"}}));
  ASSERT_LE(small.body->size(), kGzipMinBytes);
  EXPECT_EQ(header(small, "Content-Encoding"), "");
  EXPECT_FALSE(header(small, "ETag").empty());
}

TEST_F(HttpCachingTest, ErrorsAndOtherMethodsAreLeftAlone) {
  auto invalid = api_.handle(make_request("/pnodes?limit=0"));
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(header(invalid, "ETag"), "");
  auto prune = api_.handle(make_request("/prune?days=30", "DELETE"));
  EXPECT_EQ(header(prune, "ETag"), "");
}

}  // namespace
}  // namespace pnode::api
