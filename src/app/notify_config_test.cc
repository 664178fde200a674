#include "app/notify_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "app/config.h"
#include "testing/temp_path.h"

namespace pnode::app {
namespace {

using std::chrono::milliseconds;

constexpr const char* kSecret = "whsec_cG5vZGUtdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2RlZiE=";

EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// The config file `text` applied to the defaults, then validated.
Result<ServeConfig> load(const std::string& text, std::map<std::string, std::string> env = {}) {
  const std::string path = pnode::testing::unique_temp_path("pnode-notify-config-test.toml");
  std::ofstream(path) << text;
  ServeConfig c = default_config();
  if (auto s = apply_config_file(c, path, fake_env(std::move(env))); !s.ok()) return s.error();
  if (auto s = validate(c); !s.ok()) return s.error();
  return c;
}

// The error message loading `text` gives (a test failure when it loads).
std::string load_error(const std::string& text, std::map<std::string, std::string> env = {}) {
  auto loaded = load(text, std::move(env));
  EXPECT_FALSE(loaded.ok()) << text;
  return loaded.ok() ? "" : loaded.error().message;
}

std::string webhook(const std::string& name, const std::string& extra = "") {
  return "[[notify.subscription]]\nname = \"" + name +
         "\"\n[notify.subscription.channel]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:9/hook\"\n" + extra;
}

TEST(NotifyConfig, AllFourChannelsWithMatchGroupingRetryAndSecretsFromTheEnvironment) {
  auto c = load(R"(
[[notify.subscription]]
name = "ops"
[notify.subscription.channel]
type = "webhook"
url = "http://127.0.0.1:9000/hook"
secret_env = "OPS_SECRET"
format = "alertmanager"
[notify.subscription.match]
events = ["alert_firing", "alert_resolved", "node_restarted"]
rules = ["offline"]
severities = ["critical"]
nodes = ["127.1.0.5:9001"]
pubkeys = ["OperatorKey"]
[notify.subscription.grouping]
group_by = ["node"]
group_wait = "500ms"
group_interval = "2s"
repeat_interval = "1h"
send_resolved = false
[notify.subscription.retry]
max_attempts = 3
initial_backoff = "100ms"
max_backoff = "1s"

[[notify.subscription]]
name = "chat"
[notify.subscription.channel]
type = "telegram"
base_url = "http://127.0.0.1:9001"
token_env = "BOT_TOKEN"
chat_id = "-100"

[[notify.subscription]]
name = "discord"
[notify.subscription.channel]
type = "discord"
webhook_url = "http://127.0.0.1:9002/api/webhooks/1/x"

[[notify.subscription]]
name = "mail"
[notify.subscription.channel]
type = "email"
url = "smtp://127.0.0.1:2525"
from = "alerts@example.org"
to = ["ops@example.org", "oncall@example.org"]
password_env = "SMTP_PASSWORD"
)",
                {{"OPS_SECRET", kSecret}, {"BOT_TOKEN", "123:abc"}, {"SMTP_PASSWORD", "pw"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->subscriptions.size(), 4u);
  const Subscription& ops = c->subscriptions[0];
  EXPECT_EQ(ops.name, "ops");
  const auto& hook = std::get<notify::WebhookSettings>(ops.channel);
  EXPECT_EQ(hook.secret, kSecret);
  EXPECT_EQ(hook.format, notify::WebhookFormat::kAlertmanager);
  EXPECT_EQ(ops.match.events, (std::set<std::string>{"alert_firing", "alert_resolved", "node_restarted"}));
  EXPECT_EQ(ops.match.nodes, std::set<std::string>{"127.1.0.5:9001"});
  EXPECT_EQ(ops.match.pubkeys, std::set<std::string>{"OperatorKey"});
  EXPECT_EQ(ops.grouping.group_by, std::vector<std::string>{"node"});
  EXPECT_EQ(ops.grouping.group_wait, milliseconds(500));
  EXPECT_EQ(ops.grouping.group_interval, milliseconds(2000));
  EXPECT_FALSE(ops.grouping.send_resolved);
  EXPECT_EQ(ops.retry.max_attempts, 3);
  EXPECT_EQ(ops.retry.initial_backoff, milliseconds(100));
  EXPECT_EQ(std::get<notify::TelegramSettings>(c->subscriptions[1].channel).token, "123:abc");
  EXPECT_EQ(channel_type(c->subscriptions[2].channel), "discord");
  const auto& mail = std::get<notify::EmailSettings>(c->subscriptions[3].channel);
  EXPECT_EQ(mail.smtp.password, "pw");
  EXPECT_EQ(mail.addressing.to.size(), 2u);
  // Defaults: alert events of every node, Alertmanager's grouping defaults.
  const Subscription& chat = c->subscriptions[1];
  EXPECT_EQ(chat.match.events, (std::set<std::string>{"alert_firing", "alert_resolved"}));
  EXPECT_TRUE(chat.match.nodes.empty());
  EXPECT_EQ(chat.grouping.group_wait, std::chrono::seconds(30));
  EXPECT_NE(describe(*c).find("NOTIFY mail via email"), std::string::npos);
}

TEST(NotifyConfig, NoSubscriptionsByDefault) {
  auto c = load("cache_ttl = 5\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE(c->subscriptions.empty());
}

TEST(NotifyConfig, AtMost32Subscriptions) {
  std::string text;
  for (int i = 0; i < 32; ++i) text += webhook("s" + std::to_string(i));
  auto c = load(text);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->subscriptions.size(), 32u);
  EXPECT_NE(load_error(text + webhook("s32")).find("at most 32"), std::string::npos);
}

TEST(NotifyConfig, NamesAreShortUniqueAndPlain) {
  EXPECT_NE(load_error(webhook("")).find(".name must be 1 to 64"), std::string::npos);
  EXPECT_NE(load_error(webhook(std::string(65, 'a'))).find("name must be"), std::string::npos);
  EXPECT_NE(load_error(webhook("a b")).find("name must be"), std::string::npos);
  EXPECT_TRUE(load(webhook(std::string(64, 'a'))).ok());
  EXPECT_NE(load_error(webhook("x") + webhook("x")).find("\"x\" is used twice"), std::string::npos);
}

TEST(NotifyConfig, StringsAndListsAreBounded) {
  const std::string long_url = "url = \"http://127.0.0.1/" + std::string(2048, 'a') + "\"\n";
  auto error = load_error("[[notify.subscription]]\nname = \"x\"\n[notify.subscription.channel]\ntype = \"webhook\"\n" +
                          long_url);
  EXPECT_NE(error.find("x).channel.url is longer than 2048 bytes"), std::string::npos) << error;
  std::string nodes = "[notify.subscription.match]\nnodes = [";
  for (int i = 0; i < 1001; ++i) nodes += std::string(i ? "," : "") + "\"n" + std::to_string(i) + "\"";
  EXPECT_NE(load_error(webhook("x", nodes + "]\n")).find("1001 entries, at most 1000"), std::string::npos);
  std::string to = "to = [";
  for (int i = 0; i < 51; ++i) to += std::string(i ? "," : "") + "\"a" + std::to_string(i) + "@example.org\"";
  EXPECT_NE(load_error("[[notify.subscription]]\nname = \"m\"\n[notify.subscription.channel]\ntype = \"email\"\nurl = "
                       "\"smtp://127.0.0.1:25\"\nfrom = \"a@example.org\"\n" + to + "]\n")
                .find("at most 50"),
            std::string::npos);
  EXPECT_NE(load_error(webhook("x", "receiver = \"a\\nb\"\n")).find("control character"), std::string::npos);
}

TEST(NotifyConfig, UnknownKeysAndValuesAreNamed) {
  EXPECT_NE(load_error(webhook("x", "urll = \"x\"\n")).find("(x).channel.urll is not a known key"), std::string::npos);
  EXPECT_NE(load_error(webhook("x") + "[notify.subscription.match]\nevents = [\"node_gone\"]\n")
                .find("unknown value \"node_gone\""),
            std::string::npos);
  EXPECT_NE(load_error(webhook("x") + "[notify.subscription.match]\nrules = [\"offlin\"]\n").find("\"offlin\""),
            std::string::npos);
  EXPECT_NE(load_error(webhook("x") + "[notify.subscription.match]\nseverities = [\"fatal\"]\n").find("\"fatal\""),
            std::string::npos);
  EXPECT_NE(load_error("[notify]\nsubscriptions = []\n").find("notify.subscriptions is not known"), std::string::npos);
  EXPECT_NE(load_error("[[notify.subscription]]\nname = \"x\"\n").find("(x).channel is required"), std::string::npos);
  EXPECT_NE(load_error("[[notify.subscription]]\nname = \"x\"\n[notify.subscription.channel]\ntype = \"pager\"\n")
                .find("type must be webhook, telegram, discord or email"),
            std::string::npos);
}

TEST(NotifyConfig, EachChannelNamesWhatItRequires) {
  const std::string head = "[[notify.subscription]]\nname = \"x\"\n[notify.subscription.channel]\n";
  EXPECT_NE(load_error(head + "type = \"webhook\"\n").find("url is required"), std::string::npos);
  EXPECT_NE(load_error(head + "type = \"telegram\"\nchat_id = \"1\"\nbase_url = \"http://127.0.0.1:1\"\n")
                .find("token is required"),
            std::string::npos);
  EXPECT_NE(load_error(head + "type = \"discord\"\n").find("webhook_url is required"), std::string::npos);
  EXPECT_NE(load_error(head + "type = \"email\"\nurl = \"http://127.0.0.1\"\nfrom = \"a@b\"\nto = [\"c@d\"]\n")
                .find("must start with smtp://"),
            std::string::npos);
  EXPECT_NE(load_error(webhook("x", "secret = \"not base64\"\n")).find("notify.subscription x:"), std::string::npos);
}

TEST(NotifyConfig, SecretsFromTheEnvironmentMustBeSetAndGivenOnce) {
  EXPECT_NE(load_error(webhook("x", "secret_env = \"MISSING\"\n")).find("secret_env names MISSING, which is not set"),
            std::string::npos);
  EXPECT_NE(load_error(webhook("x", std::string("secret = \"") + kSecret + "\"\nsecret_env = \"S\"\n"), {{"S", kSecret}})
                .find("is given twice"),
            std::string::npos);
}

TEST(NotifyConfig, DurationsAndAttemptsAreBounded) {
  EXPECT_NE(load_error(webhook("x") + "[notify.subscription.grouping]\ngroup_wait = \"2h\"\n").find("group_wait must be"),
            std::string::npos);
  EXPECT_NE(load_error(webhook("x") + "[notify.subscription.grouping]\ngroup_interval = \"10ms\"\n").find("group_interval"),
            std::string::npos);
  EXPECT_NE(load_error(webhook("x") + "[notify.subscription.grouping]\nrepeat_interval = \"soon\"\n").find("duration"),
            std::string::npos);
  EXPECT_NE(load_error(webhook("x") + "[notify.subscription.grouping]\ngroup_by = [\"...\", \"node\"]\n").find("alone"),
            std::string::npos);
  EXPECT_NE(load_error(webhook("x") + "[notify.subscription.retry]\nmax_attempts = 101\n").find("from 1 to 100"),
            std::string::npos);
  EXPECT_NE(load_error(webhook("x") + "[notify.subscription.retry]\ninitial_backoff = \"2s\"\nmax_backoff = \"1s\"\n")
                .find("not be below"),
            std::string::npos);
}

TEST(NotifyConfig, DestinationsStayOnLoopbackUnlessAllowed) {
  const std::string text =
      "[[notify.subscription]]\nname = \"t\"\n[notify.subscription.channel]\ntype = \"telegram\"\ntoken = \"1:a\"\n"
      "chat_id = \"1\"\n";  // the default base URL is api.telegram.org
  EXPECT_NE(load_error(text).find("ALLOW_REAL_NETWORK"), std::string::npos);
  EXPECT_TRUE(load("allow_real_network = true\n" + text).ok());
}

TEST(NotifyConfig, Durations) {
  EXPECT_EQ(parse_duration("500ms").value(), milliseconds(500));
  EXPECT_EQ(parse_duration("30s").value(), milliseconds(30000));
  EXPECT_EQ(parse_duration("5m").value(), milliseconds(300000));
  EXPECT_EQ(parse_duration("4h").value(), milliseconds(4 * 3600000));
  EXPECT_EQ(parse_duration("1d").value(), milliseconds(86400000));
  EXPECT_EQ(parse_duration("7").value(), milliseconds(7000));
  EXPECT_FALSE(parse_duration("").ok());
  EXPECT_FALSE(parse_duration("-1s").ok());
  EXPECT_FALSE(parse_duration("1w").ok());
  EXPECT_FALSE(parse_duration("99999999999999999d").ok());
}

TEST(NotifyConfig, UrlHost) {
  EXPECT_EQ(url_host("http://127.0.0.1:9000/hook"), "127.0.0.1");
  EXPECT_EQ(url_host("smtp://user:pw@localhost:25"), "localhost");
  EXPECT_EQ(url_host("https://[::1]:8443/x"), "::1");
  EXPECT_EQ(url_host("http://evil.example@127.0.0.1/"), "127.0.0.1");
  EXPECT_EQ(url_host("http://127.0.0.1@evil.example/"), "evil.example");
}

}  // namespace
}  // namespace pnode::app
