// GET /notifications/status (admin token) and the pnode_notify_* series of /metrics, from
// a status source standing in for the app's notifier.
#include <gtest/gtest.h>

#include "api/metrics.h"
#include "api/metrics_test_support.h"
#include "api/route_test_support.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

std::vector<SubscriptionStatus> two_subscriptions() {
  SubscriptionStatus hook{"ops", "webhook", true, 42, 1, 7, 2, 5, 1764950400, ""};
  SubscriptionStatus mail{"mail", "email", true, 40, 3, 0, 1, 7, std::nullopt, "the receiver answered 503"};
  return {hook, mail};
}

class NotificationRoutes : public RoutesTest {
 protected:
  http::Response status(std::string authorization = "Bearer s3cret") {
    http::Headers headers;
    if (!authorization.empty()) headers.emplace_back("Authorization", std::move(authorization));
    return get("/notifications/status", "GET", std::move(headers));
  }
  void with_token() {
    ApiConfig c;
    c.admin_token = "s3cret";
    c.notification_status = two_subscriptions;
    make_api(c);
  }
};

TEST_F(NotificationRoutes, ListsEachSubscriptionsDeliveryStatus) {
  with_token();
  auto r = status();
  ASSERT_EQ(r.status, 200) << body_text(r);
  auto body = body_json(r);
  const auto& list = body.at("subscriptions").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(keys_of(list[0]), (std::vector<std::string>{"name", "channel", "delivering", "cursor", "pending",
                                                        "delivered", "failed", "retries", "last_success",
                                                        "last_error"}));
  EXPECT_EQ(list[0].at("name"), "ops");
  EXPECT_EQ(list[0].at("channel"), "webhook");
  EXPECT_JSON_INT(list[0].at("cursor"), 42);
  EXPECT_JSON_INT(list[0].at("delivered"), 7);
  EXPECT_JSON_INT(list[0].at("last_success"), 1764950400);
  EXPECT_TRUE(list[0].at("last_error").is_null());
  EXPECT_TRUE(list[1].at("last_success").is_null());
  EXPECT_EQ(list[1].at("last_error"), "the receiver answered 503");
}

TEST_F(NotificationRoutes, NeedsTheAdminToken) {
  auto disabled = status();
  EXPECT_EQ(disabled.status, 403);
  EXPECT_EQ(body_text(disabled),
            R"json({"detail":"GET /notifications/status is disabled: no admin token is configured (ADMIN_TOKEN)"})json");
  with_token();
  for (const char* bad : {"", "Bearer wrong", "Basic s3cret"}) {
    auto r = status(bad);
    EXPECT_EQ(r.status, 401) << bad;
    EXPECT_EQ(header(r, "www-authenticate"), "Bearer") << bad;
    EXPECT_EQ(body_text(r).find("ops"), std::string::npos) << "nothing of the subscriptions leaks";
  }
}

TEST_F(NotificationRoutes, WithoutANotifierTheListIsEmpty) {
  ApiConfig c;
  c.admin_token = "s3cret";
  make_api(c);
  auto r = status();
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(body_text(r), R"({"subscriptions":[]})");
}

TEST(NotificationMetrics, PerSubscriptionCountersPendingAndLastSuccess) {
  Metrics metrics;
  EXPECT_EQ(metrics.render(nullptr, 0).find("pnode_notify_"), std::string::npos) << "no source, no series";
  metrics.set_notification_status(two_subscriptions);
  const auto exposition = metrics_testing::parse_exposition(metrics.render(nullptr, 1764950500));
  const metrics_testing::LabelSet ops{{"subscription", "ops"}, {"channel", "webhook"}};
  const metrics_testing::LabelSet mail{{"subscription", "mail"}, {"channel", "email"}};
  EXPECT_EQ(exposition.value("pnode_notify_delivered_total", ops), 7);
  EXPECT_EQ(exposition.value("pnode_notify_failed_total", mail), 1);
  EXPECT_EQ(exposition.value("pnode_notify_retries_total", mail), 7);
  EXPECT_EQ(exposition.value("pnode_notify_pending", mail), 3);
  EXPECT_EQ(exposition.value("pnode_notify_last_success_timestamp_seconds", ops), 1764950400);
  EXPECT_FALSE(exposition.value("pnode_notify_last_success_timestamp_seconds", mail)) << "never delivered";
  EXPECT_EQ(exposition.types.at("pnode_notify_delivered_total"), "counter");
  EXPECT_EQ(exposition.types.at("pnode_notify_pending"), "gauge");
}

}  // namespace
}  // namespace pnode::api
