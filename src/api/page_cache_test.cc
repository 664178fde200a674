// PageCache: one template per (snapshot, key), stamped per second, bounded, emptied by a
// new snapshot; and /pnodes served through it stays byte-identical to a fresh build.
#include "api/page_cache.h"

#include <gtest/gtest.h>

#include <string>

#include "api/test_support.h"

namespace pnode::api {
namespace {

BodyTemplate stamped(const std::string& text) {
  BodyTemplate t;
  t.writer().begin_object().field("text", text).key("timestamp");
  t.hole(0);
  t.writer().end_object();
  return std::move(t.finish());
}

std::shared_ptr<const model::Snapshot> empty_snapshot(int64_t at) {
  return testing::make_snapshot(at, {"127.0.0.1:6001"}, testing::make_views({}));
}

TEST(PageCacheTest, BuildsOncePerSnapshotAndKeyAndStampsPerSecond) {
  PageCache cache(8);
  auto snapshot = empty_snapshot(100);
  int builds = 0;
  auto build = [&](const model::Snapshot&) {
    ++builds;
    return stamped("a");
  };
  auto first = cache.get(snapshot, "a", 1000, build);
  EXPECT_EQ(*first, R"({"text":"a","timestamp":1000})");
  EXPECT_EQ(cache.get(snapshot, "a", 1000, build).get(), first.get());  // same second: same string
  EXPECT_EQ(*cache.get(snapshot, "a", 1001, build), R"({"text":"a","timestamp":1001})");
  EXPECT_EQ(builds, 1);

  auto next = empty_snapshot(160);
  EXPECT_EQ(*cache.get(next, "a", 1001, build), R"({"text":"a","timestamp":1001})");
  EXPECT_EQ(builds, 2);  // a new snapshot rebuilds
  EXPECT_EQ(cache.size(), 1u);
}

TEST(PageCacheTest, HoldsAtMostCapacityKeysAndDropsTheLeastRecentlyUsed) {
  PageCache cache(3);
  auto snapshot = empty_snapshot(100);
  int builds = 0;
  auto get = [&](const std::string& key) {
    return cache.get(snapshot, key, 1000, [&](const model::Snapshot&) {
      ++builds;
      return stamped(key);
    });
  };
  get("a");
  get("b");
  get("c");
  get("a");  // a is now the most recent; b the least
  get("d");  // evicts b
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(builds, 4);
  get("a");
  get("c");
  get("d");
  EXPECT_EQ(builds, 4);  // still cached
  get("b");
  EXPECT_EQ(builds, 5);  // was evicted
  EXPECT_EQ(cache.size(), 3u);
}

// Many large pages cannot grow the cache past its byte budget: the least recently used
// go first, and a page larger than the whole budget is served but not kept.
TEST(PageCacheTest, HoldsAtMostItsByteBudgetOfTemplatesAndBodies) {
  PageCache cache(64, 2000);
  auto snapshot = empty_snapshot(100);
  int builds = 0;
  auto get = [&](const std::string& key, size_t length) {
    return cache.get(snapshot, key, 1000, [&](const model::Snapshot&) {
      ++builds;
      return stamped(std::string(length, 'x'));
    });
  };
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(get("page" + std::to_string(i), 300)->size(), 300u + 28u);
    EXPECT_LE(cache.bytes(), 2000u);
  }
  EXPECT_EQ(cache.size(), 3u);  // each page holds ~650 bytes: template and body
  get("page9", 300);
  EXPECT_EQ(builds, 10) << "the most recent page is still kept";
  get("page0", 300);
  EXPECT_EQ(builds, 11) << "the oldest was dropped";

  EXPECT_EQ(get("huge", 5000)->size(), 5000u + 28u);
  EXPECT_LE(cache.bytes(), 2000u);
  get("huge", 5000);
  EXPECT_EQ(builds, 13) << "a page over the whole budget is not kept";
}

}  // namespace
}  // namespace pnode::api
