// The subscription routes over a real SQLite store, with a catalog standing in for the
// app's reader (which has its own tests, app/subscription_json_test.cc): the admin token,
// the config file's subscriptions read-only, what is stored and shown (never the body's
// secrets), every bound, 404 and 409.
#include <gtest/gtest.h>

#include "api/route_test_support.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

constexpr const char* kSubscriptionAdmin = "s3cret";

// The stand-in reader: a JSON object with a string "name" (1 to 16 bytes) and a "channel"
// object; described as its name and channel type, with "secret_set" for a "secret".
Result<CheckedSubscription> fake_subscription_check(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return make_error(ErrorCode::kConfig, "the subscription must be a JSON object");
  const json::object& o = v.as_object();
  const json::value* name = o.if_contains("name");
  if (!name || !name->is_string() || name->as_string().empty() || name->as_string().size() > 16)
    return make_error(ErrorCode::kConfig, "subscription.name must be 1 to 16 bytes");
  const json::value* channel = o.if_contains("channel");
  if (!channel || !channel->is_object()) return make_error(ErrorCode::kConfig, "subscription.channel is required");
  JsonWriter w;
  w.begin_object().field("name", std::string(name->as_string()));
  w.key("channel").begin_object().field("secret_set", channel->as_object().contains("secret")).end_object();
  w.end_object();
  return CheckedSubscription{std::string(name->as_string()), w.take()};
}

std::string subscription_body(const std::string& name, const std::string& channel = R"({"type":"webhook"})") {
  return R"({"name":")" + name + R"(","channel":)" + channel + "}";
}

class SubscriptionRoutes : public RoutesTest {
 protected:
  void SetUp() override { with_store(config()); }

  ApiConfig config() {
    ApiConfig c;
    c.admin_token = kSubscriptionAdmin;
    c.subscriptions.config = {CheckedSubscription{"ops", R"({"name":"ops","channel":{"secret_set":true}})"}};
    c.subscriptions.check = fake_subscription_check;
    c.subscriptions.changed = [this] { ++changes; };
    c.subscriptions.max_api_subscriptions = 2;
    return c;
  }

  http::Response send(const std::string& method, const std::string& target, std::string body = "",
                      std::string token = kSubscriptionAdmin) {
    http::Headers headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    http::Request r = make_request(target, method, std::move(headers));
    r.body = std::move(body);
    return api->handle(r);
  }

  std::vector<std::string> listed_ids() {
    auto r = send("GET", "/subscriptions");
    EXPECT_EQ(r.status, 200) << body_text(r);
    std::vector<std::string> out;
    const json::value body = body_json(r);
    for (const auto& s : body.at("subscriptions").as_array()) out.emplace_back(s.at("id").as_string());
    return out;
  }

  int changes = 0;
};

TEST_F(SubscriptionRoutes, ListsTheConfigFilesAsReadOnlyAndAddsThroughTheApi) {
  auto listed = body_json(send("GET", "/subscriptions"));
  ASSERT_EQ(listed.at("subscriptions").as_array().size(), 1u);
  const auto& ops = listed.at("subscriptions").at(0);
  EXPECT_EQ(keys_of(ops), (std::vector<std::string>{"id", "source", "name", "created_at", "subscription", "problem"}));
  EXPECT_EQ(ops.at("id"), "config-ops");
  EXPECT_EQ(ops.at("source"), "config");
  EXPECT_TRUE(ops.at("created_at").is_null());
  EXPECT_EQ(ops.at("subscription").at("channel").at("secret_set"), true);

  auto added = send("POST", "/subscriptions", subscription_body("pager"));
  ASSERT_EQ(added.status, 201) << body_text(added);
  auto entry = body_json(added);
  EXPECT_EQ(entry.at("id"), "api-1");
  EXPECT_EQ(entry.at("source"), "api");
  EXPECT_EQ(entry.at("name"), "pager");
  EXPECT_JSON_INT(entry.at("created_at"), now);
  EXPECT_EQ(entry.at("subscription").at("name"), "pager");
  EXPECT_TRUE(entry.at("problem").is_null());
  EXPECT_EQ(changes, 1) << "the notifier is told";

  listed = body_json(send("GET", "/subscriptions"));
  EXPECT_EQ(listed_ids(), (std::vector<std::string>{"config-ops", "api-1"}));
  EXPECT_JSON_INT(listed.at("count"), 2);
  EXPECT_JSON_INT(listed.at("api_count"), 1);
  EXPECT_JSON_INT(listed.at("max_api_subscriptions"), 2);
  EXPECT_EQ(store->subscriptions().value().at(0).spec, subscription_body("pager")) << "kept as given";
}

TEST_F(SubscriptionRoutes, NeverEchoTheSecretsTheyWereGiven) {
  auto added = send("POST", "/subscriptions", subscription_body("hook", R"({"type":"webhook","secret":"hunter2"})"));
  ASSERT_EQ(added.status, 201) << body_text(added);
  EXPECT_EQ(body_text(added).find("hunter2"), std::string::npos);
  auto listed = send("GET", "/subscriptions");
  EXPECT_EQ(body_text(listed).find("hunter2"), std::string::npos) << body_text(listed);
  EXPECT_EQ(body_json(listed).at("subscriptions").at(1).at("subscription").at("channel").at("secret_set"), true);
}

TEST_F(SubscriptionRoutes, NeedTheAdminToken) {
  ApiConfig lenient = config();
  lenient.admin_failure_limit = rest::RateLimit{1, 100};  // six wrong tokens below, none throttled
  make_api(lenient);
  for (const auto& [method, target] : {std::pair{"GET", "/subscriptions"}, std::pair{"POST", "/subscriptions"},
                                       std::pair{"DELETE", "/subscriptions/api-1"}}) {
    for (const char* bad : {"", "wrong"}) {
      auto r = send(method, target, subscription_body("x"), bad);
      EXPECT_EQ(r.status, 401) << method << " " << target << " with '" << bad << "'";
      EXPECT_EQ(body_text(r).find("ops"), std::string::npos) << "nothing leaks";
    }
  }
  EXPECT_TRUE(store->subscriptions().value().empty());
  ApiConfig c = config();
  c.admin_token.clear();
  make_api(c);
  EXPECT_EQ(send("GET", "/subscriptions").status, 403) << "no token configured: disabled";
  EXPECT_EQ(send("POST", "/subscriptions", subscription_body("x")).status, 403);
}

TEST_F(SubscriptionRoutes, AnswerServiceUnavailableWithoutAStoreOrAReader) {
  ApiConfig c = config();
  c.subscriptions.check = nullptr;
  make_api(c);
  EXPECT_EQ(send("GET", "/subscriptions").status, 503);
  store.reset();
  make_api(config());
  EXPECT_EQ(send("POST", "/subscriptions", subscription_body("x")).status, 503);
  EXPECT_EQ(send("DELETE", "/subscriptions/api-1").status, 503);
}

TEST_F(SubscriptionRoutes, ABodyTheReaderRefusesIs400NamingWhy) {
  auto r = send("POST", "/subscriptions", subscription_body("a-name-longer-than-sixteen"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body_text(r), R"({"detail":"subscription.name must be 1 to 16 bytes"})");
  EXPECT_EQ(send("POST", "/subscriptions", "not json").status, 400);
  EXPECT_EQ(send("POST", "/subscriptions", R"({"name":"x"})").status, 400);
  EXPECT_TRUE(store->subscriptions().value().empty());
  EXPECT_EQ(changes, 0);
}

TEST_F(SubscriptionRoutes, ABodyOver16KiBIsRefusedUnread) {
  const std::string padding(16 * 1024, ' ');
  auto r = send("POST", "/subscriptions", subscription_body("big") + padding);
  EXPECT_EQ(r.status, 413) << body_text(r);
  EXPECT_NE(body_text(r).find("16384 bytes"), std::string::npos);
  const std::string fits = subscription_body("big");
  EXPECT_EQ(send("POST", "/subscriptions", fits + std::string(16 * 1024 - fits.size(), ' ')).status, 201)
      << "exactly at the bound";
}

TEST_F(SubscriptionRoutes, AtMostMaxApiSubscriptionsThenConflict) {
  ASSERT_EQ(send("POST", "/subscriptions", subscription_body("a")).status, 201);
  ASSERT_EQ(send("POST", "/subscriptions", subscription_body("b")).status, 201);
  auto refused = send("POST", "/subscriptions", subscription_body("c"));
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(body_text(refused).find("at most 2"), std::string::npos) << body_text(refused);
  EXPECT_EQ(listed_ids(), (std::vector<std::string>{"config-ops", "api-1", "api-2"})) << "the config file's not counted";
  ASSERT_EQ(send("DELETE", "/subscriptions/api-1").status, 200);
  EXPECT_EQ(send("POST", "/subscriptions", subscription_body("c")).status, 201) << "room again";
}

TEST_F(SubscriptionRoutes, NamesAreUniqueAmongTheConfigFilesAndTheApis) {
  auto config_name = send("POST", "/subscriptions", subscription_body("ops"));
  EXPECT_EQ(config_name.status, 409);
  EXPECT_NE(body_text(config_name).find("config file"), std::string::npos);
  ASSERT_EQ(send("POST", "/subscriptions", subscription_body("pager")).status, 201);
  EXPECT_EQ(send("POST", "/subscriptions", subscription_body("pager")).status, 409);
  EXPECT_EQ(listed_ids(), (std::vector<std::string>{"config-ops", "api-1"}));
}

TEST_F(SubscriptionRoutes, DeleteRemovesAnApiOneRefusesAConfigOneAndKnowsNoOther) {
  ASSERT_EQ(send("POST", "/subscriptions", subscription_body("pager")).status, 201);
  auto config_one = send("DELETE", "/subscriptions/config-ops");
  EXPECT_EQ(config_one.status, 409);
  EXPECT_NE(body_text(config_one).find("config file"), std::string::npos);
  for (const char* unknown : {"api-9", "config-nope", "ops", "x"})
    EXPECT_EQ(send("DELETE", std::string("/subscriptions/") + unknown).status, 404) << unknown;
  auto removed = send("DELETE", "/subscriptions/api-1");
  ASSERT_EQ(removed.status, 200);
  EXPECT_EQ(body_text(removed), R"({"status":"ok","id":"api-1"})");
  EXPECT_EQ(changes, 2) << "added, removed";
  EXPECT_EQ(send("DELETE", "/subscriptions/api-1").status, 404) << "already gone";
  EXPECT_EQ(listed_ids(), std::vector<std::string>{"config-ops"});
}

TEST_F(SubscriptionRoutes, AStoredOneTheReaderNoLongerTakesIsListedWithItsProblem) {
  store::SubscriptionRecord record;
  record.name = "old";
  record.spec = R"({"name":"old"})";  // no channel: refused by today's reader
  ASSERT_TRUE(store->add_subscription(record, now, 10).ok());
  const json::value listed = body_json(send("GET", "/subscriptions"));
  const json::value& entry = listed.at("subscriptions").at(1);
  EXPECT_EQ(entry.at("name"), "old");
  EXPECT_TRUE(entry.at("subscription").is_null());
  EXPECT_EQ(entry.at("problem"), "subscription.channel is required");
}

}  // namespace
}  // namespace pnode::api
