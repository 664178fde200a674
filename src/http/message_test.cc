#include "http/message.h"

#include <gtest/gtest.h>

namespace pnode::http {
namespace {

TEST(FindHeader, IgnoresCaseOfTheName) {
  const Headers headers{{"Content-Type", "application/json"}, {"X-Request-Id", "abc"}};
  EXPECT_EQ(find_header(headers, "content-type"), "application/json");
  EXPECT_EQ(find_header(headers, "X-REQUEST-ID"), "abc");
  EXPECT_EQ(find_header(headers, "X-Request"), "");
  EXPECT_EQ(find_header({}, "Host"), "");
}

TEST(FindHeader, ReturnsTheFirstOfRepeatedHeaders) {
  const Headers headers{{"Accept", "a"}, {"accept", "b"}};
  EXPECT_EQ(find_header(headers, "ACCEPT"), "a");
}

TEST(RequestHeader, UsesFindHeader) {
  Request request;
  request.headers = {{"Origin", "http://localhost"}};
  EXPECT_EQ(request.header("origin"), "http://localhost");
}

TEST(ResponseHelpers, JsonAndTextSetStatusTypeAndBody) {
  const auto json = Response::json(201, R"({"ok":true})");
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.content_type, "application/json");
  ASSERT_NE(json.body, nullptr);
  EXPECT_EQ(*json.body, R"({"ok":true})");

  const auto text = Response::text(404, "missing");
  EXPECT_EQ(text.status, 404);
  EXPECT_EQ(text.content_type, "text/plain; charset=utf-8");
  ASSERT_NE(text.body, nullptr);
  EXPECT_EQ(*text.body, "missing");
  EXPECT_EQ(text.delay.count(), 0);
  EXPECT_FALSE(text.drop_connection);
}

TEST(Message, BodyWithReleaseCallsBackWhenTheLastHolderLetsGo) {
  int released = 0;
  auto body = body_with_release(std::make_shared<const std::string>("abc"), [&released] { ++released; });
  EXPECT_EQ(*body, "abc");
  auto copy = body;
  body.reset();
  EXPECT_EQ(released, 0);
  copy.reset();
  EXPECT_EQ(released, 1);
  auto empty = body_with_release(nullptr, [&released] { ++released; });
  EXPECT_EQ(*empty, "");
}

}  // namespace
}  // namespace pnode::http
