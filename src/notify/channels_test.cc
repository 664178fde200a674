#include "notify/channels.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "http/test_sockets.h"
#include "notify/delivery.h"
#include "notify/signing.h"
#include "notify/test_receivers.h"
#include "notify/test_support.h"

namespace pnode::notify {
namespace {

using namespace std::chrono_literals;
using testing::HttpReceiver;
using testing::json_text;
using testing::kTestNow;
using testing::kTestSecret;
using testing::offline_message;

http::Response answer(int status, std::string body = "{}", http::Headers headers = {}) {
  auto response = http::Response::json(status, std::move(body));
  response.headers = std::move(headers);
  return response;
}

std::unique_ptr<Channel> webhook(const HttpReceiver& receiver, WebhookFormat format = WebhookFormat::kJson,
                                 std::string secret = kTestSecret) {
  WebhookSettings settings;
  settings.url = receiver.url("/hook");
  settings.secret = std::move(secret);
  settings.format = format;
  return make_webhook_channel(std::move(settings)).value();
}

TEST(Webhook, SendsASignedJsonBodyTheReceiverCanVerify) {
  HttpReceiver receiver;
  const Attempt attempt = webhook(receiver)->deliver(offline_message(), kTestNow);
  EXPECT_EQ(attempt.outcome, Outcome::kDelivered);
  EXPECT_EQ(attempt.status, 200);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/hook");
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("webhook-id"), "event-42");
  EXPECT_EQ(r.header("idempotency-key"), "event-42");
  EXPECT_EQ(r.header("webhook-timestamp"), "1764950400");
  const std::string key = parse_webhook_secret(kTestSecret).value();
  EXPECT_TRUE(verify_webhook_signature(key, "event-42", 1764950400, r.body, r.header("webhook-signature")));
  EXPECT_FALSE(verify_webhook_signature(key, "event-42", 1764950400, r.body + " ", r.header("webhook-signature")));
  simdjson::dom::parser parser;
  EXPECT_EQ(json_text(parser.parse(r.body)["notifications"].at(0)["id"]), "event-42");
}

TEST(Webhook, AnIdWithALineBreakCannotAddHeaders) {
  HttpReceiver receiver;
  Message message = offline_message();
  message.id = "event-42\r\nX-Injected: yes";
  ASSERT_EQ(webhook(receiver)->deliver(message, kTestNow).outcome, Outcome::kDelivered);
  const auto r = receiver.requests().at(0);
  EXPECT_EQ(r.header("x-injected"), "");
  EXPECT_EQ(r.header("webhook-id"), "event-42  X-Injected: yes");
  const std::string key = parse_webhook_secret(kTestSecret).value();  // signed over the id as sent
  EXPECT_TRUE(verify_webhook_signature(key, r.header("webhook-id"), 1764950400, r.body, r.header("webhook-signature")));
}

TEST(Webhook, CanSendTheAlertmanagerBody) {
  HttpReceiver receiver;
  ASSERT_EQ(webhook(receiver, WebhookFormat::kAlertmanager)->deliver(offline_message(), kTestNow).outcome,
            Outcome::kDelivered);
  simdjson::dom::parser parser;
  const auto root = parser.parse(receiver.requests().at(0).body);
  EXPECT_EQ(json_text(root["version"]), "4");
  EXPECT_EQ(json_text(root["alerts"].at(0)["labels"]["rule"]), "offline");
}

TEST(Webhook, WithoutASecretItIsUnsignedAndABadSecretIsRefused) {
  HttpReceiver receiver;
  ASSERT_EQ(webhook(receiver, WebhookFormat::kJson, "")->deliver(offline_message(), kTestNow).outcome, Outcome::kDelivered);
  EXPECT_EQ(receiver.requests().at(0).header("webhook-signature"), "");
  EXPECT_EQ(receiver.requests().at(0).header("webhook-id"), "event-42");
  WebhookSettings bad;
  bad.url = receiver.url("/hook");
  bad.secret = "whsec_???";
  EXPECT_EQ(make_webhook_channel(bad).error().code, ErrorCode::kConfig);
}

TEST(HttpChannels, StatusesMapToOutcomes) {
  HttpReceiver receiver;
  const auto channel = webhook(receiver);
  const std::vector<std::pair<int, Outcome>> cases = {
      {500, Outcome::kRetry}, {503, Outcome::kRetry}, {408, Outcome::kRetry},   {404, Outcome::kPermanent},
      {400, Outcome::kPermanent}, {204, Outcome::kDelivered}};
  for (const auto& [status, outcome] : cases) {
    receiver.answer_next(answer(status));
    const Attempt attempt = channel->deliver(offline_message(), kTestNow);
    EXPECT_EQ(attempt.outcome, outcome) << status;
    EXPECT_EQ(attempt.status, status);
    if (outcome != Outcome::kDelivered) {
      EXPECT_EQ(attempt.error->http_status, status);
    }
  }
}

TEST(HttpChannels, RedirectsAreNotFollowed) {
  HttpReceiver receiver;
  receiver.answer_next(answer(302, "", {{"Location", receiver.url("/elsewhere")}}));
  EXPECT_EQ(webhook(receiver)->deliver(offline_message(), kTestNow).outcome, Outcome::kPermanent);
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST(HttpChannels, A429RetryAfterHeaderIsHonoured) {
  HttpReceiver receiver;
  receiver.answer_next(answer(429, "{}", {{"Retry-After", "7"}}));
  const Attempt attempt = webhook(receiver)->deliver(offline_message(), kTestNow);
  EXPECT_EQ(attempt.outcome, Outcome::kRetry);
  EXPECT_EQ(attempt.retry_after, Millis{7000});
}

TEST(HttpGet, ReadsTheBodyWithinItsBoundAndRefusesALongerOne) {
  HttpReceiver receiver;
  receiver.answer_next(answer(200, "{\"pods_credits\":[]}"));
  HttpLimits limits;
  auto got = http_get(receiver.url("/credits/mainnet"), {}, limits);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, "{\"pods_credits\":[]}");
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].method, "GET");
  EXPECT_EQ(receiver.requests()[0].target, "/credits/mainnet");

  limits.max_response_body = 10;
  receiver.answer_next(answer(200, std::string(11, 'x')));
  auto too_long = http_get(receiver.url("/credits/mainnet"), {}, limits);
  ASSERT_FALSE(too_long.ok());
  EXPECT_TRUE(too_long.error().is(ErrorCode::kTooLarge)) << too_long.error().message;
}

TEST(RetryAfter, SecondsOrAnHttpDate) {
  EXPECT_EQ(parse_retry_after("120", kTestNow), Millis{120000});
  EXPECT_EQ(parse_retry_after(" 0 ", kTestNow), Millis{0});
  EXPECT_EQ(parse_retry_after("Fri, 05 Dec 2025 16:00:30 GMT", kTestNow), Millis{30000});
  EXPECT_EQ(parse_retry_after("Fri, 05 Dec 2025 15:00:00 GMT", kTestNow), Millis{0});  // in the past
  EXPECT_FALSE(parse_retry_after("", kTestNow));
  EXPECT_FALSE(parse_retry_after("-5", kTestNow));
  EXPECT_FALSE(parse_retry_after("soon", kTestNow));
  EXPECT_EQ(parse_retry_after("99999999999999", kTestNow), Millis{365LL * 24 * 3600 * 1000});  // no overflow
}

TEST(Telegram, PostsSendMessageAndHonoursRetryAfterInTheBody) {
  HttpReceiver receiver;
  TelegramSettings settings;
  settings.base_url = receiver.url("");
  settings.token = "123456:SECRET-token";
  settings.chat_id = "-100777";
  const auto channel = make_telegram_channel(settings);
  ASSERT_EQ(channel->deliver(offline_message(), kTestNow).outcome, Outcome::kDelivered);
  const auto r = receiver.requests().at(0);
  EXPECT_EQ(r.target, "/bot123456:SECRET-token/sendMessage");
  EXPECT_EQ(r.header("idempotency-key"), "event-42");
  simdjson::dom::parser parser;
  const auto body = parser.parse(r.body);
  EXPECT_EQ(json_text(body["chat_id"]), "-100777");
  EXPECT_EQ(json_text(body["parse_mode"]), "HTML");
  EXPECT_NE(json_text(body["text"]).find("<b>Node 1.2.3.4:9001 is offline</b>"), std::string::npos);

  receiver.answer_next(answer(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3",)"
                                   R"("parameters":{"retry_after":3}})"));
  const Attempt limited = channel->deliver(offline_message(), kTestNow);
  EXPECT_EQ(limited.outcome, Outcome::kRetry);
  EXPECT_EQ(limited.retry_after, Millis{3000});
  ASSERT_TRUE(limited.error);
  EXPECT_EQ(limited.error->where.find("SECRET"), std::string::npos);  // the token stays out of logs
}

TEST(Discord, PostsContentAndEmbedsAndHonoursRetryAfter) {
  HttpReceiver receiver;
  DiscordSettings settings;
  settings.webhook_url = receiver.url("/api/webhooks/1/tok");
  const auto channel = make_discord_channel(settings);
  ASSERT_EQ(channel->deliver(offline_message(), kTestNow).outcome, Outcome::kDelivered);
  const auto r = receiver.requests().at(0);
  EXPECT_EQ(r.target, "/api/webhooks/1/tok");
  simdjson::dom::parser parser;
  const auto body = parser.parse(r.body);
  EXPECT_EQ(json_text(body["content"]), "[FIRING:1] Node 1.2.3.4:9001 is offline");
  EXPECT_EQ(json_text(body["embeds"].at(0)["description"]), offline_message().notifications[0].text);

  receiver.answer_next(answer(429, R"({"message":"You are being rate limited.","retry_after":1.5,"global":false})",
                              {{"Retry-After", "2"}}));
  EXPECT_EQ(channel->deliver(offline_message(), kTestNow).retry_after, Millis{1500});  // the body is more precise
  receiver.answer_next(answer(429, "{}", {{"Retry-After", "2"}}));
  EXPECT_EQ(channel->deliver(offline_message(), kTestNow).retry_after, Millis{2000});
}

// The bounds on what a receiver can make us read or wait for.

TEST(HttpBounds, AnOversizedAnswerBodyIsCutOff) {
  HttpReceiver receiver;
  receiver.answer_next(answer(500, std::string(1 << 20, 'x')));
  WebhookSettings settings;
  settings.url = receiver.url("/hook");
  settings.limits.max_response_body = 64 * 1024;
  const Attempt attempt = make_webhook_channel(settings).value()->deliver(offline_message(), kTestNow);
  EXPECT_EQ(attempt.outcome, Outcome::kRetry);
  ASSERT_TRUE(attempt.error);
  EXPECT_EQ(attempt.error->code, ErrorCode::kTooLarge);

  receiver.answer_next(answer(200, std::string(1000, 'x')));  // within the limit: fine
  EXPECT_EQ(make_webhook_channel(settings).value()->deliver(offline_message(), kTestNow).outcome, Outcome::kDelivered);
}

TEST(HttpBounds, OversizedAnswerHeadersAreCutOff) {
  HttpReceiver receiver;
  http::Headers many;
  for (int i = 0; i < 100; ++i) many.emplace_back("X-Filler-" + std::to_string(i), std::string(200, 'h'));
  receiver.answer_next(answer(200, "{}", many));
  WebhookSettings settings;
  settings.url = receiver.url("/hook");
  settings.limits.max_response_headers = 8 * 1024;
  const Attempt attempt = make_webhook_channel(settings).value()->deliver(offline_message(), kTestNow);
  ASSERT_TRUE(attempt.error);
  EXPECT_EQ(attempt.error->code, ErrorCode::kTooLarge);
}

TEST(HttpBounds, ASlowReceiverTimesOut) {
  HttpReceiver receiver;
  auto slow = answer(200);
  slow.delay = 3s;
  receiver.answer_next(slow);
  WebhookSettings settings;
  settings.url = receiver.url("/hook");
  settings.limits.total_timeout = 300ms;
  const auto started = std::chrono::steady_clock::now();
  const Attempt attempt = make_webhook_channel(settings).value()->deliver(offline_message(), kTestNow);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_EQ(attempt.outcome, Outcome::kRetry);
  ASSERT_TRUE(attempt.error);
  EXPECT_EQ(attempt.error->code, ErrorCode::kTimeout);
}

TEST(HttpBounds, AConnectThatNeverCompletesTimesOut) {
  // With a full accept queue the kernel drops new SYNs, so the connect hangs.
  http::testing::RawListener listener(/*backlog=*/0);
  std::vector<std::unique_ptr<http::testing::RawConnection>> fillers;
  for (int i = 0; i < 3; ++i) {
    fillers.push_back(std::make_unique<http::testing::RawConnection>(listener.port(), 3000, /*wait_for_connect=*/false));
  }
  WebhookSettings settings;
  settings.url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/hook";
  settings.limits.connect_timeout = 200ms;
  const Attempt attempt = make_webhook_channel(settings).value()->deliver(offline_message(), kTestNow);
  EXPECT_EQ(attempt.outcome, Outcome::kRetry);
  ASSERT_TRUE(attempt.error);
  EXPECT_EQ(attempt.error->code, ErrorCode::kConnectTimeout) << attempt.error->message;
}

TEST(HttpBounds, ARefusedConnectionIsRetried) {
  uint16_t closed_port;
  {
    http::testing::RawListener listener;  // a port that was free a moment ago
    closed_port = listener.port();
  }
  WebhookSettings settings;
  settings.url = "http://127.0.0.1:" + std::to_string(closed_port) + "/hook";
  const Attempt attempt = make_webhook_channel(settings).value()->deliver(offline_message(), kTestNow);
  EXPECT_EQ(attempt.outcome, Outcome::kRetry);
  EXPECT_EQ(attempt.error->code, ErrorCode::kRefused);
}

TEST(HttpBounds, OnlyHttpSchemesAreDialled) {
  WebhookSettings settings;
  settings.url = "file:///etc/passwd";
  const Attempt attempt = make_webhook_channel(settings).value()->deliver(offline_message(), kTestNow);
  EXPECT_EQ(attempt.outcome, Outcome::kPermanent);
  EXPECT_EQ(attempt.error->code, ErrorCode::kConfig);
}

// Retries against a real receiver, with the waits recorded instead of slept.

DeliveryHooks recording_hooks(std::vector<Millis>& slept) {
  DeliveryHooks hooks;
  hooks.now = [] { return kTestNow; };
  hooks.sleep = [&slept](Millis wait) { slept.push_back(wait); };
  hooks.random01 = [] { return 0.5; };
  return hooks;
}

TEST(Delivery, RetriesTransientFailuresUnderTheSameIdempotencyKey) {
  HttpReceiver receiver;
  receiver.answer_next(answer(503));
  receiver.answer_next(answer(429, "{}", {{"Retry-After", "2"}}));
  std::vector<Millis> slept;
  const RetryPolicy policy{5, Millis{1000}, Millis{60000}, Millis{3600000}};
  const auto report = deliver_with_retries(*webhook(receiver), offline_message(), policy, recording_hooks(slept));
  EXPECT_EQ(report.last.outcome, Outcome::kDelivered);
  EXPECT_EQ(report.attempts, 3);
  EXPECT_EQ(slept, (std::vector<Millis>{Millis{500}, Millis{2000}}));  // jittered backoff, then Retry-After
  EXPECT_EQ(report.waits, slept);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& r : requests) EXPECT_EQ(r.header("webhook-id"), "event-42");
}

TEST(Delivery, StopsAtAPermanentFailureOrTheLastAttempt) {
  HttpReceiver receiver;
  receiver.answer_next(answer(410));
  std::vector<Millis> slept;
  const RetryPolicy policy{3, Millis{1000}, Millis{60000}, Millis{3600000}};
  auto report = deliver_with_retries(*webhook(receiver), offline_message(), policy, recording_hooks(slept));
  EXPECT_EQ(report.last.outcome, Outcome::kPermanent);
  EXPECT_EQ(report.attempts, 1);

  for (int i = 0; i < 5; ++i) receiver.answer_next(answer(500));
  report = deliver_with_retries(*webhook(receiver), offline_message(), policy, recording_hooks(slept));
  EXPECT_EQ(report.last.outcome, Outcome::kRetry);
  EXPECT_EQ(report.attempts, 3);
  EXPECT_EQ(receiver.requests().size(), 4u);
}

}  // namespace
}  // namespace pnode::notify
