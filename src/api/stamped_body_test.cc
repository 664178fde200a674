#include "api/stamped_body.h"

#include <gtest/gtest.h>

namespace pnode::api {
namespace {

BodyTemplate example(int64_t last_updated) {
  BodyTemplate t;
  JsonWriter& w = t.writer();
  w.begin_object().key("age");
  t.hole(-last_updated);
  w.key("list").begin_array().value(1);
  t.hole(0);
  w.value(2).end_array();
  w.key("timestamp");
  t.hole(0);
  w.end_object();
  return std::move(t.finish());
}

TEST(BodyTemplate, FillsEveryHoleWithNowPlusItsOffset) {
  BodyTemplate t = example(100);
  EXPECT_EQ(t.render(160), R"({"age":60,"list":[1,160,2],"timestamp":160})");
  EXPECT_EQ(t.render(99), R"({"age":-1,"list":[1,99,2],"timestamp":99})");
}

TEST(BodyTemplate, WithoutHolesIsTheTextItself) {
  BodyTemplate t;
  t.writer().begin_array().value("x").end_array();
  t.finish();
  EXPECT_EQ(t.render(5), R"(["x"])");
}

TEST(StampedBody, BuildsOncePerSnapshotAndRendersOncePerSecond) {
  StampedBody cache;
  auto s1 = std::make_shared<const model::Snapshot>();
  int builds = 0;
  auto build = [&](const model::Snapshot&) {
    ++builds;
    return example(100);
  };
  auto a = cache.get(s1, 160, build);
  auto b = cache.get(s1, 160, build);
  EXPECT_EQ(a, b);  // shared, not re-rendered
  auto c = cache.get(s1, 161, build);
  EXPECT_NE(a, c);
  EXPECT_EQ(*c, R"({"age":61,"list":[1,161,2],"timestamp":161})");
  EXPECT_EQ(builds, 1);
  EXPECT_EQ(*a, R"({"age":60,"list":[1,160,2],"timestamp":160})");  // earlier bodies stay intact

  auto s2 = std::make_shared<const model::Snapshot>();
  auto d = cache.get(s2, 161, build);
  EXPECT_EQ(builds, 2);
  EXPECT_NE(d, c);
}

}  // namespace
}  // namespace pnode::api
