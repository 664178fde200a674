// Subscriptions as the API takes them (JSON read by the config file's reader) and shows
// them (without secrets).
#include "app/subscription_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace pnode::app {
namespace {

constexpr const char* kApiSecret = "whsec_cG5vZGUtdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2RlZiE=";

std::string error_of(std::string_view json, const SubscriptionLimits& limits = {}) {
  auto parsed = parse_subscription_json(json, limits);
  EXPECT_FALSE(parsed.ok()) << json;
  return parsed.ok() ? "" : parsed.error().message;
}

TEST(SubscriptionJson, ReadsWhatTheConfigFileReaderReadsFromTheSameTable) {
  const std::string json = std::string(R"({"name":"ops","channel":{"type":"webhook","url":"http://127.0.0.1:9/h",)") +
                           R"("secret":")" + kApiSecret + R"(","format":"alertmanager"},)" +
                           R"("match":{"rules":["offline"],"nodes":["1.2.3.4:9001"]},)" +
                           R"("grouping":{"group_wait":"300ms","group_interval":2,"send_resolved":false},)" +
                           R"("retry":{"max_attempts":3,"initial_backoff":null}})";
  auto from_json = parse_subscription_json(json);
  ASSERT_TRUE(from_json.ok()) << from_json.error().message;
  auto table = toml::parse(std::string("name = \"ops\"\n[channel]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:9/h\"\n") +
                           "secret = \"" + kApiSecret + "\"\nformat = \"alertmanager\"\n[match]\nrules = [\"offline\"]\n" +
                           "nodes = [\"1.2.3.4:9001\"]\n[grouping]\ngroup_wait = \"300ms\"\ngroup_interval = 2\n" +
                           "send_resolved = false\n[retry]\nmax_attempts = 3\n");
  auto from_toml = parse_subscription(table, "t", EnvLookup{});
  ASSERT_TRUE(from_toml.ok()) << from_toml.error().message;
  EXPECT_EQ(describe_subscription(*from_json), describe_subscription(*from_toml));
  const auto& hook = std::get<notify::WebhookSettings>(from_json->channel);
  EXPECT_EQ(hook.secret, kApiSecret);
  EXPECT_EQ(from_json->match.rules, std::set<std::string>{"offline"});
  EXPECT_EQ(from_json->grouping.group_wait, std::chrono::milliseconds(300));
  EXPECT_EQ(from_json->grouping.group_interval, std::chrono::seconds(2));
  EXPECT_FALSE(from_json->grouping.send_resolved);
  EXPECT_EQ(from_json->retry.max_attempts, 3);
}

TEST(SubscriptionJson, RefusesWhatTheReaderRefusesNamingTheKey) {
  EXPECT_NE(error_of(R"({"name":"x"})").find("channel is required"), std::string::npos);
  EXPECT_NE(error_of(R"({"name":"x","channel":{"type":"pager"}})").find("channel.type must be"), std::string::npos);
  EXPECT_NE(error_of(R"({"name":"x","channel":{"type":"webhook"}})").find("channel.url is required"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name":"x","colour":"red","channel":{"type":"webhook","url":"http://127.0.0.1/"}})")
                .find("colour is not a known key"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name":"a b","channel":{"type":"webhook","url":"http://127.0.0.1/"}})").find("name must be"),
            std::string::npos);
}

TEST(SubscriptionJson, EveryBoundOfTheReaderHolds) {
  SubscriptionLimits limits;
  limits.max_name_bytes = 4;
  limits.max_text_bytes = 20;
  limits.max_list_entries = 2;
  limits.max_recipients = 1;
  const std::string hook = R"("channel":{"type":"webhook","url":"http://127.0.0.1/"})";
  EXPECT_NE(error_of(R"({"name":"toolong",)" + hook + "}", limits).find("name must be 1 to 4"), std::string::npos);
  EXPECT_NE(error_of(R"({"name":"a","channel":{"type":"webhook","url":"http://127.0.0.1/aaaaaaaaaaaaaaaa"}})", limits)
                .find("url is longer than 20 bytes"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name":"a",)" + hook + R"(,"match":{"nodes":["a","b","c"]}})", limits)
                .find("nodes has 3 entries, at most 2"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name":"a","channel":{"type":"email","url":"smtp://127.0.0.1","from":"a@b",)"
                     R"("to":["x@y","z@y"]}})",
                     limits)
                .find("to has 2 entries, at most 1"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name":"a",)" + hook + R"(,"retry":{"max_attempts":101}})").find("max_attempts must be"),
            std::string::npos);
}

TEST(SubscriptionJson, TakesSecretsOnlyAsValues) {
  const std::string message =
      error_of(R"({"name":"x","channel":{"type":"webhook","url":"http://127.0.0.1/","secret_env":"HOME"}})");
  EXPECT_NE(message.find("secret_env is not taken here"), std::string::npos) << message;
}

TEST(SubscriptionJson, RefusesDeepNestingAndValuesTomlLacks) {
  EXPECT_NE(error_of(R"({"name":"x","match":{"nodes":[["a"]]}})").find("nested too deeply"), std::string::npos);
  EXPECT_NE(error_of(R"({"name":"x","retry":{"max_attempts":2.5}})").find("max_attempts must be a string"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"a":{"b":{"c":{"d":{"e":{}}}}}})").find("JSON object"), std::string::npos);
  EXPECT_NE(error_of("[1]").find("JSON object"), std::string::npos);
  EXPECT_NE(error_of("{").find("JSON object"), std::string::npos);
}

TEST(SubscriptionJson, TheDescriptionHoldsNoSecret) {
  const std::string channels[] = {
      std::string(R"({"type":"webhook","url":"http://user:hunter2@127.0.0.1/h","secret":")") + kApiSecret + R"("})",
      R"({"type":"telegram","base_url":"http://127.0.0.1:1","token":"123:hunter2","chat_id":"42"})",
      R"({"type":"discord","webhook_url":"http://127.0.0.1:1/api/webhooks/1/hunter2"})",
      R"({"type":"email","url":"smtp://127.0.0.1:25","username":"u","password":"hunter2","from":"a@b","to":["c@d"]})",
  };
  for (const std::string& channel : channels) {
    auto s = parse_subscription_json(R"({"name":"x","channel":)" + channel + "}");
    ASSERT_TRUE(s.ok()) << s.error().message;
    const std::string described = describe_subscription(*s);
    EXPECT_EQ(described.find("hunter2"), std::string::npos) << described;
    EXPECT_EQ(described.find("cG5vZGUt"), std::string::npos) << described;
    const auto shown = boost::json::parse(described).as_object().at("channel").as_object();
    bool flagged = false;
    for (const auto& [key, value] : shown)
      if (key.ends_with("_set")) flagged = value.as_bool();
    EXPECT_TRUE(flagged) << described << ": says a secret is set";
  }
}

TEST(SubscriptionJson, TheApisCatalogChecksDestinationsAndDescribesWithoutSecrets) {
  Subscription config;
  config.name = "ops";
  config.channel = notify::TelegramSettings{"http://127.0.0.1:1", "123:hunter2", "42", "HTML", {}};
  const auto catalog = subscription_catalog({config}, /*allow_real_network=*/false);
  ASSERT_EQ(catalog.config.size(), 1u);
  EXPECT_EQ(catalog.config[0].name, "ops");
  EXPECT_EQ(catalog.config[0].description.find("hunter2"), std::string::npos);

  const std::string far = R"({"name":"far","channel":{"type":"webhook","url":"http://192.0.2.1/h"}})";
  auto refused = catalog.check(far);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("not on loopback"), std::string::npos) << refused.error().message;
  EXPECT_TRUE(subscription_catalog({}, /*allow_real_network=*/true).check(far).ok());
  auto bad_secret = catalog.check(R"({"name":"x","channel":{"type":"webhook","url":"http://127.0.0.1/","secret":"!"}})");
  EXPECT_FALSE(bad_secret.ok()) << "a channel that cannot be built";

  auto checked = catalog.check(R"({"name":"near","channel":{"type":"email","url":"smtp://127.0.0.1:25",)"
                               R"("password":"hunter2","from":"a@b","to":["c@d"]}})");
  ASSERT_TRUE(checked.ok()) << checked.error().message;
  EXPECT_EQ(checked->name, "near");
  EXPECT_EQ(checked->description.find("hunter2"), std::string::npos);
}

TEST(SubscriptionJson, WithoutUserinfo) {
  EXPECT_EQ(without_userinfo("http://u:p@host:1/a@b"), "http://host:1/a@b");
  EXPECT_EQ(without_userinfo("smtp://u@h"), "smtp://h");
  EXPECT_EQ(without_userinfo("http://host/x?u=a@b"), "http://host/x?u=a@b");
  EXPECT_EQ(without_userinfo("http://host"), "http://host");
}

}  // namespace
}  // namespace pnode::app
