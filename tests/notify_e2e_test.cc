// Notifications end to end (issue 12, item 3): the simulator on loopback, the real server
// with [[notify.subscription]] tables in its config file, and real receivers: a signed
// webhook, fake Telegram and Discord endpoints (our loopback HTTP receiver) and aiosmtpd
// (`python3 -m aiosmtpd`, Debian's python3-aiosmtpd) filing mail in a Maildir. One node
// taken offline in the simulator must give exactly one firing message per channel after
// its `for` (2 cycles), and one resolved message when it returns; a `kill -9` between an
// event's commit and its delivery must lose nothing and resend nothing delivered.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <thread>

#include "e2e_support.h"
#include "http/test_sockets.h"
#include "notify/signing.h"
#include "notify/test_receivers.h"
#include "process.h"

namespace pnode::testing {
namespace {

using namespace std::chrono_literals;
using notify::testing::HttpReceiver;

constexpr const char* kSecret = "whsec_cG5vZGUtdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2RlZiE=";
constexpr const char* kBotToken = "123:abc";
constexpr const char* kAdminToken = "e2e-admin-token";

// An admin request (the silence routes need the token); returns the status line and body.
std::string admin_call(uint16_t port, const std::string& method, const std::string& target,
                       const std::string& body = "") {
  http::testing::RawConnection c(port, 10000);
  c.send_all(method + " " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kAdminToken +
             "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\nConnection: close\r\n\r\n" + body);
  return c.read_response();
}

std::vector<std::string> header_values(const HttpReceiver& receiver, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& r : receiver.requests()) out.emplace_back(r.header(name));
  return out;
}

// aiosmtpd filing what it accepts in <dir>/box (a Maildir).
class Aiosmtpd {
 public:
  explicit Aiosmtpd(const std::filesystem::path& dir) : box_(dir / "box") {
    {
      http::testing::RawListener probe;  // a port free a moment ago
      port_ = probe.port();
    }
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l",
                                 "127.0.0.1:" + std::to_string(port_), "-c", "aiosmtpd.handlers.Mailbox",
                                 box_.string()},
        std::map<std::string, std::string>{}, (dir / "smtp.log").string());
    listening_ = wait_for([this] { return http::testing::RawConnection(port_, 100).connected(); }, 10s);
  }
  bool listening() const { return listening_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    if (!std::filesystem::exists(box_ / "new")) return out;
    for (const auto& entry : std::filesystem::directory_iterator(box_ / "new")) {
      std::ifstream in(entry.path(), std::ios::binary);
      out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return out;
  }

 private:
  std::filesystem::path box_;
  uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> process_;
  bool listening_ = false;
};

class NotifyE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_test_dir("pnode-notify-e2e");
    Simulator sim = start_simulator({"--mode", "synthetic", "--pods", "30", "--seed", "5"}, 3,
                                    (dir_ / "sim.log").string());
    ASSERT_TRUE(sim.process);
    sim_ = std::move(sim.process);
    seed_port_ = sim.seed_ports.at(0);
    ip_nodes_ = sim.ip_nodes;
    victim_ = pick_victim();
    ASSERT_FALSE(victim_.empty());
  }

  void TearDown() override {
    server_.reset();
    sim_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // A node that is not a seed (seeds never go offline).
  std::string pick_victim() {
    auto state = http_call(seed_port_, "GET", "/sim/state");
    std::set<std::string> seeds;
    for (const auto& s : state.json.at("seeds").as_array()) seeds.emplace(s.at("address").as_string());
    auto pods = http_call(seed_port_, "POST", "/rpc", R"({"jsonrpc":"2.0","method":"get-pods","id":1})");
    for (const auto& pod : pods.json.at("result").at("pods").as_array()) {
      std::string address(pod.at("address").as_string());
      if (!seeds.contains(address)) return address;
    }
    return "";
  }

  void set_online(bool online) {
    auto r = http_call(seed_port_, "POST", "/sim/nodes",
                       R"({"address":")" + victim_ + R"(","online":)" + (online ? "true" : "false") + "}");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // One subscription of the victim's offline alert; `channel` is the channel table's body.
  std::string subscription(const std::string& name, const std::string& channel) const {
    return "[[notify.subscription]]\nname = \"" + name + "\"\n[notify.subscription.channel]\n" + channel +
           "[notify.subscription.match]\nrules = [\"offline\"]\nnodes = [\"" + victim_ +
           "\"]\n[notify.subscription.grouping]\ngroup_wait = \"300ms\"\ngroup_interval = \"1s\"\n"
           "repeat_interval = \"1h\"\n[notify.subscription.retry]\nmax_attempts = 100\ninitial_backoff = \"100ms\"\n"
           "max_backoff = \"300ms\"\n";
  }
  std::string webhook_subscription() const {
    return subscription("hook", "type = \"webhook\"\nurl = \"" + webhook_.url("/hook") +
                                    "\"\nsecret_env = \"HOOK_SECRET\"\n");
  }

  void start_server(const std::string& config, const std::string& log) {
    const std::string path = (dir_ / "config.toml").string();
    std::ofstream(path) << config;
    server_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{PNODE_BINARY, "serve", "--config", path},
        std::map<std::string, std::string>{{"IP_NODES", ip_nodes_},
                                           {"CACHE_TTL", "1"},
                                           {"PORT", "0"},
                                           {"HOOK_SECRET", kSecret},
                                           {"ADMIN_TOKEN", kAdminToken},
                                           {"DATABASE_URL", "sqlite://" + (dir_ / "server.db").string()}},
        (dir_ / log).string());
    auto port = wait_serving_port(*server_, 15s);
    ASSERT_TRUE(port) << "the server did not start (log " << (dir_ / log) << ")";
    port_ = *port;
    // Two committed cycles (numbered on from the stored one after a restart), so the
    // victim is known online, or still offline, before the test goes on.
    auto first = server_->wait_for_line(std::regex(" cycle (\\d+): .*store ok"), 15s);
    ASSERT_TRUE(first) << "no cycle";
    const std::string next = " cycle " + std::to_string(std::stoull((*first)[1]) + 1) + ": ";
    ASSERT_TRUE(server_->wait_for_line(std::regex(next), 15s)) << "no second cycle";
  }

  // The webhook's requests each carry a signature over their id, timestamp and body.
  void expect_signed(const HttpReceiver& receiver) {
    const std::string key = notify::parse_webhook_secret(kSecret).value();
    for (const auto& r : receiver.requests()) {
      EXPECT_TRUE(notify::verify_webhook_signature(key, r.header("webhook-id"),
                                                   std::stoll(std::string(r.header("webhook-timestamp"))), r.body,
                                                   r.header("webhook-signature")))
          << r.body;
    }
  }

  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> sim_;
  std::unique_ptr<ChildProcess> server_;
  uint16_t seed_port_ = 0;
  uint16_t port_ = 0;
  std::string ip_nodes_;
  std::string victim_;
  HttpReceiver webhook_, telegram_, discord_;
};

TEST_F(NotifyE2E, ANodeOfflineIsToldOnceOnEveryChannelAndItsReturnOnce) {
  Aiosmtpd smtp(dir_);
  ASSERT_TRUE(smtp.listening()) << "aiosmtpd did not start (python3-aiosmtpd installed?)";
  const std::string config =
      webhook_subscription() +
      subscription("chat", "type = \"telegram\"\nbase_url = \"" + telegram_.url("") + "\"\ntoken = \"" + kBotToken +
                               "\"\nchat_id = \"42\"\n") +
      subscription("discord", "type = \"discord\"\nwebhook_url = \"" + discord_.url("/api/webhooks/1/x") + "\"\n") +
      subscription("mail", "type = \"email\"\nurl = \"" + smtp.url() +
                               "\"\nfrom = \"alerts@example.org\"\nto = [\"ops@example.org\"]\n");
  start_server(config, "server.log");
  set_online(false);
  const auto all_have = [&](size_t n) {
    return webhook_.requests().size() >= n && telegram_.requests().size() >= n && discord_.requests().size() >= n &&
           smtp.messages().size() >= n;
  };
  ASSERT_TRUE(wait_for([&] { return all_have(1); }, 30s)) << "no firing message on every channel";
  std::this_thread::sleep_for(3s);  // more cycles: still one each
  ASSERT_EQ(webhook_.requests().size(), 1u);
  EXPECT_EQ(telegram_.requests().size(), 1u);
  EXPECT_EQ(discord_.requests().size(), 1u);
  EXPECT_EQ(smtp.messages().size(), 1u);
  EXPECT_NE(webhook_.requests()[0].body.find("\"status\":\"firing\""), std::string::npos);
  EXPECT_NE(webhook_.requests()[0].body.find(victim_), std::string::npos);
  EXPECT_EQ(telegram_.requests()[0].target, std::string("/bot") + kBotToken + "/sendMessage");
  EXPECT_NE(telegram_.requests()[0].body.find("FIRING"), std::string::npos);
  EXPECT_NE(discord_.requests()[0].body.find(victim_), std::string::npos);
  EXPECT_NE(smtp.messages()[0].find(victim_), std::string::npos) << "in the subject";
  EXPECT_NE(smtp.messages()[0].find("X-Idempotency-Key: " + header_values(webhook_, "webhook-id")[0]), std::string::npos)
      << "one message, one id, on every channel";

  set_online(true);
  ASSERT_TRUE(wait_for([&] { return all_have(2); }, 30s)) << "no resolved message on every channel";
  std::this_thread::sleep_for(3s);
  ASSERT_EQ(webhook_.requests().size(), 2u);
  EXPECT_EQ(telegram_.requests().size(), 2u);
  EXPECT_EQ(discord_.requests().size(), 2u);
  EXPECT_EQ(smtp.messages().size(), 2u);
  EXPECT_NE(webhook_.requests()[1].body.find("\"status\":\"resolved\""), std::string::npos);
  EXPECT_NE(telegram_.requests()[1].body.find("RESOLVED"), std::string::npos);
  expect_signed(webhook_);
  const auto ids = header_values(webhook_, "webhook-id");
  EXPECT_NE(ids[0], ids[1]);

  auto metrics = http_call(port_, "GET", "/metrics");
  for (const char* name : {"hook", "chat", "discord", "mail"})
    EXPECT_NE(metrics.body.find(std::string("pnode_notify_delivered_total{subscription=\"") + name), std::string::npos)
        << name;
}

TEST_F(NotifyE2E, AKillBetweenCommitAndDeliveryLosesNothingAndResendsNothingDelivered) {
  webhook_.answer_by_default(http::Response::json(503, "{}"));
  start_server(webhook_subscription(), "server-1.log");
  set_online(false);
  // The firing alert is committed and its message is being retried against a receiver
  // that answers 503: the server dies now.
  ASSERT_TRUE(wait_for([&] { return webhook_.requests().size() >= 2; }, 30s)) << "no delivery attempt";
  server_->kill();
  const auto tried = header_values(webhook_, "webhook-id");
  EXPECT_EQ(std::set<std::string>(tried.begin(), tried.end()).size(), 1u) << "retries keep their id";

  webhook_.answer_by_default(http::Response::json(200, "{}"));
  start_server(webhook_subscription(), "server-2.log");
  ASSERT_TRUE(wait_for([&] { return webhook_.requests().size() > tried.size(); }, 30s)) << "not delivered";
  std::this_thread::sleep_for(4s);  // the alert fires again in the new process (its state is not kept)
  auto ids = header_values(webhook_, "webhook-id");
  EXPECT_EQ(ids.size(), tried.size() + 1) << "delivered once after the restart, nothing more";
  EXPECT_EQ(ids.back(), tried.front()) << "the same message, the same id";

  // Killed again after the delivery: nothing delivered is sent again; the end is told.
  server_->kill();
  start_server(webhook_subscription(), "server-3.log");
  std::this_thread::sleep_for(4s);
  EXPECT_EQ(webhook_.requests().size(), ids.size()) << "a delivered message was sent again";
  set_online(true);
  ASSERT_TRUE(wait_for([&] { return webhook_.requests().size() > ids.size(); }, 30s)) << "no resolved message";
  std::this_thread::sleep_for(2s);
  ASSERT_EQ(webhook_.requests().size(), ids.size() + 1);
  EXPECT_NE(webhook_.requests().back().body.find("\"status\":\"resolved\""), std::string::npos);
  expect_signed(webhook_);
}

TEST_F(NotifyE2E, NothingIsToldWhileTheAlertIsSilencedAndItIsToldWhenTheSilenceEnds) {
  start_server(webhook_subscription(), "server.log");
  const std::string created = admin_call(
      port_, "POST", "/silences",
      R"({"address":")" + victim_ + R"(","rule":"offline","duration":"1h","comment":"maintenance","author":"e2e"})");
  ASSERT_NE(created.find(" 201 "), std::string::npos) << created;
  const std::string id = created.substr(created.find("\"id\":\"") + 6, created.find('"', created.find("\"id\":\"") + 6) -
                                                                        created.find("\"id\":\"") - 6);
  set_online(false);
  // The alert fires (silenced) after its two cycles; give it several more.
  ASSERT_TRUE(wait_for(
      [&] {
        auto active = http_call(port_, "GET", "/alerts/active?rule=offline&state=firing&node=" + victim_);
        return active.status == 200 && !active.json.at("alerts").as_array().empty() &&
               active.json.at("alerts").at(0).at("silenced").as_bool();
      },
      30s))
      << "the silenced alert never showed as firing";
  std::this_thread::sleep_for(3s);
  EXPECT_TRUE(webhook_.requests().empty()) << "told while silenced: " << webhook_.requests()[0].body;

  // The silence is removed while the node is still down: the alert is told now.
  ASSERT_NE(admin_call(port_, "DELETE", "/silences/" + id).find(" 200 "), std::string::npos);
  ASSERT_TRUE(wait_for([&] { return !webhook_.requests().empty(); }, 30s)) << "not told after the silence ended";
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(webhook_.requests().size(), 1u);
  EXPECT_NE(webhook_.requests()[0].body.find("\"status\":\"firing\""), std::string::npos);
  expect_signed(webhook_);
}

// Issue 12's "subscriptions (config file and API)": one added through the API of a
// running server is told like a config file's, kept across a kill -9 without resending
// what it was told, and removing it stops its delivery.
TEST_F(NotifyE2E, ASubscriptionAddedThroughTheApiIsToldKeptAcrossARestartAndEndsWhenRemoved) {
  start_server("", "server-1.log");  // no subscription in the file
  // The server's own reader and checks answer a refused body, naming the key.
  const std::string long_url = "http://127.0.0.1/" + std::string(2048, 'a');
  const std::string too_long = admin_call(port_, "POST", "/subscriptions",
                                          R"({"name":"x","channel":{"type":"webhook","url":")" + long_url + R"("}})");
  EXPECT_NE(too_long.find(" 400 "), std::string::npos) << too_long;
  EXPECT_NE(too_long.find("channel.url is longer than 2048 bytes"), std::string::npos) << too_long;
  const std::string far = admin_call(port_, "POST", "/subscriptions",
                                     R"({"name":"x","channel":{"type":"webhook","url":"http://192.0.2.1/h"}})");
  EXPECT_NE(far.find("not on loopback"), std::string::npos) << far;
  const std::string from_env = admin_call(
      port_, "POST", "/subscriptions",
      R"({"name":"x","channel":{"type":"webhook","url":"http://127.0.0.1/h","secret_env":"HOOK_SECRET"}})");
  EXPECT_NE(from_env.find("secret_env is not taken here"), std::string::npos) << from_env;
  const std::string body =
      R"({"name":"api-hook","channel":{"type":"webhook","url":")" + webhook_.url("/api-hook") + R"(","secret":")" +
      kSecret + R"("},"match":{"rules":["offline"],"nodes":[")" + victim_ +
      R"("]},"grouping":{"group_wait":"300ms","group_interval":"1s","repeat_interval":"1h"},)"
      R"("retry":{"max_attempts":100,"initial_backoff":"100ms","max_backoff":"300ms"}})";
  const std::string added = admin_call(port_, "POST", "/subscriptions", body);
  ASSERT_NE(added.find(" 201 "), std::string::npos) << added;
  EXPECT_NE(added.find("\"id\":\"api-1\""), std::string::npos) << added;
  EXPECT_EQ(added.find(kSecret), std::string::npos) << "the secret is not echoed";

  set_online(false);
  ASSERT_TRUE(wait_for([&] { return !webhook_.requests().empty(); }, 30s)) << "no firing message";
  std::this_thread::sleep_for(3s);  // more cycles: still one
  ASSERT_EQ(webhook_.requests().size(), 1u);
  EXPECT_EQ(webhook_.requests()[0].target, "/api-hook");
  EXPECT_NE(webhook_.requests()[0].body.find("\"status\":\"firing\""), std::string::npos);
  EXPECT_NE(webhook_.requests()[0].body.find(victim_), std::string::npos);
  expect_signed(webhook_);
  const std::string status = admin_call(port_, "GET", "/notifications/status");
  EXPECT_NE(status.find("\"name\":\"api-hook\""), std::string::npos) << status;
  EXPECT_NE(http_call(port_, "GET", "/metrics").body.find("pnode_notify_delivered_total{subscription=\"api-hook\""),
            std::string::npos);

  // kill -9 and start again: the subscription is in the store; what it was told stays told.
  server_->kill();
  start_server("", "server-2.log");
  const std::string listed = admin_call(port_, "GET", "/subscriptions");
  EXPECT_NE(listed.find("\"id\":\"api-1\",\"source\":\"api\""), std::string::npos) << listed;
  std::this_thread::sleep_for(4s);
  EXPECT_EQ(webhook_.requests().size(), 1u) << "a delivered message was sent again";

  // Removed: the node's return is not told.
  ASSERT_NE(admin_call(port_, "DELETE", "/subscriptions/api-1").find(" 200 "), std::string::npos);
  set_online(true);
  ASSERT_TRUE(wait_for(
      [&] {
        auto active = http_call(port_, "GET", "/alerts/active?rule=offline&node=" + victim_);
        return active.status == 200 && active.json.at("alerts").as_array().empty();
      },
      30s))
      << "the alert never resolved";
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(webhook_.requests().size(), 1u) << "told after it was removed";
}

}  // namespace
}  // namespace pnode::testing
