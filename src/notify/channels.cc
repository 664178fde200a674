#include "notify/channels.h"

#include <curl/curl.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "notify/signing.h"
#include "util/json_writer.h"
#include "util/strings.h"

namespace pnode::notify {
namespace {

int64_t unix_seconds(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

Millis seconds_to_millis(double seconds) {
  return Millis{static_cast<Millis::rep>(std::ceil(std::max(seconds, 0.0) * 1000.0))};
}

// A number of seconds at `path` ("a.b") of a JSON answer, if there is one.
std::optional<double> json_seconds(const std::string& body, std::initializer_list<const char*> path) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(body).get(element) != simdjson::SUCCESS) return std::nullopt;
  for (const char* key : path) {
    if (element[key].get(element) != simdjson::SUCCESS) return std::nullopt;
  }
  double seconds = 0;
  if (element.get_double().get(seconds) == simdjson::SUCCESS) return seconds;  // accepts integers too
  return std::nullopt;
}

// "Name: value", the value kept on one line whatever the id holds.
std::string header(std::string_view name, std::string_view value) { return std::string(name) + ": " + one_line(value); }

std::vector<std::string> idempotent_json_headers(const Message& message) {
  return {"Content-Type: application/json", header("Idempotency-Key", message.id)};
}

// One POST to a chat service whose 429 answer says in its body, at `retry_after_path`,
// how many seconds to wait (more precise than its Retry-After header). Errors name
// `where` instead of the URL, which holds a secret (a bot token, a webhook token).
Attempt post_to_chat_service(const std::string& url, const Message& message, const std::string& body,
                             const HttpLimits& limits, TimePoint now,
                             std::initializer_list<const char*> retry_after_path, std::string where) {
  const auto answer = http_post(url, idempotent_json_headers(message), body, limits);
  Attempt attempt = http_attempt(answer, now);
  if (answer && answer->status == 429) {
    if (auto seconds = json_seconds(answer->body, retry_after_path)) attempt.retry_after = seconds_to_millis(*seconds);
  }
  if (attempt.error) attempt.error->where = std::move(where);
  return attempt;
}

// No answer came, or a setting is unusable (which no retry mends).
Attempt failed_attempt(const Error& error) {
  const bool permanent = error.is(ErrorCode::kConfig);
  return Attempt{permanent ? Outcome::kPermanent : Outcome::kRetry, 0, std::nullopt, error};
}

class WebhookChannel final : public Channel {
 public:
  WebhookChannel(WebhookSettings settings, std::string key) : settings_(std::move(settings)), key_(std::move(key)) {}
  std::string_view type() const override { return "webhook"; }

  Attempt deliver(const Message& message, TimePoint now) const override {
    const std::string body = settings_.format == WebhookFormat::kAlertmanager
                                 ? alertmanager_body(message, settings_.receiver, settings_.external_url)
                                 : json_body(message);
    const int64_t timestamp = unix_seconds(now);
    auto headers = idempotent_json_headers(message);
    const std::string id = one_line(message.id);  // signed as the receiver reads it
    headers.push_back(header("webhook-id", id));
    headers.push_back(header("webhook-timestamp", std::to_string(timestamp)));
    if (!key_.empty()) headers.push_back(header("webhook-signature", webhook_signature(key_, id, timestamp, body)));
    return http_attempt(http_post(settings_.url, headers, body, settings_.limits), now);
  }

 private:
  WebhookSettings settings_;
  std::string key_;  // the secret's key bytes
};

class TelegramChannel final : public Channel {
 public:
  explicit TelegramChannel(TelegramSettings settings) : settings_(std::move(settings)) {}
  std::string_view type() const override { return "telegram"; }

  Attempt deliver(const Message& message, TimePoint now) const override {
    const bool html = settings_.parse_mode == "HTML";
    JsonWriter w;
    w.begin_object().field("chat_id", settings_.chat_id).field("text", chat_text(message, html, kTelegramMaxText));
    if (!settings_.parse_mode.empty()) w.field("parse_mode", settings_.parse_mode);
    w.field("disable_web_page_preview", true).end_object();
    const std::string url = settings_.base_url + "/bot" + settings_.token + "/sendMessage";
    return post_to_chat_service(url, message, w.str(), settings_.limits, now, {"parameters", "retry_after"},
                                settings_.base_url + "/bot<token>/sendMessage");
  }

 private:
  TelegramSettings settings_;
};

class DiscordChannel final : public Channel {
 public:
  explicit DiscordChannel(DiscordSettings settings) : settings_(std::move(settings)) {}
  std::string_view type() const override { return "discord"; }

  Attempt deliver(const Message& message, TimePoint now) const override {
    return post_to_chat_service(settings_.webhook_url, message, discord_body(message, settings_.username),
                                settings_.limits, now, {"retry_after"}, "discord webhook");
  }

 private:
  DiscordSettings settings_;
};

class EmailChannel final : public Channel {
 public:
  explicit EmailChannel(EmailSettings settings) : settings_(std::move(settings)) {}
  std::string_view type() const override { return "email"; }

  Attempt deliver(const Message& message, TimePoint now) const override {
    const auto& addressing = settings_.addressing;
    const auto answer = smtp_send(settings_.smtp, addressing.from, addressing.to,
                                  email_message(message, addressing, now));
    if (!answer) return failed_attempt(answer.error());
    Attempt attempt{classify_smtp_reply(answer->reply), answer->reply, std::nullopt, std::nullopt};
    if (attempt.outcome != Outcome::kDelivered) {
      attempt.error = make_error(ErrorCode::kProtocol, "the mail server refused: " + answer->detail)
                          .with_where(settings_.smtp.url);
    }
    return attempt;
  }

 private:
  EmailSettings settings_;
};

}  // namespace

std::optional<Millis> parse_retry_after(std::string_view header, TimePoint now) {
  header = trim(header);
  if (header.empty()) return std::nullopt;
  int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), seconds);
  if (ec == std::errc() && end == header.data() + header.size()) {
    constexpr int64_t kYear = 365 * 24 * 3600;  // keeps the product below overflow
    return seconds < 0 ? std::nullopt : std::optional<Millis>(Millis{std::min(seconds, kYear) * 1000});
  }
  const std::string date(header);
  const time_t at = curl_getdate(date.c_str(), nullptr);
  if (at < 0) return std::nullopt;
  const auto wait = std::chrono::system_clock::from_time_t(at) - now;
  return std::max(Millis{0}, std::chrono::duration_cast<Millis>(wait));
}

Attempt http_attempt(const Result<HttpAnswer>& answer, TimePoint now) {
  if (!answer) return failed_attempt(answer.error());
  Attempt attempt{classify_http_status(answer->status), answer->status, std::nullopt, std::nullopt};
  if (attempt.outcome == Outcome::kDelivered) return attempt;
  attempt.error = make_error(ErrorCode::kHttpStatus, "the receiver answered " + std::to_string(answer->status))
                      .with_http_status(answer->status);
  if (answer->status == 429) attempt.retry_after = parse_retry_after(answer->retry_after, now);
  return attempt;
}

Result<std::unique_ptr<Channel>> make_webhook_channel(WebhookSettings settings) {
  std::string key;
  if (!settings.secret.empty()) {
    auto parsed = parse_webhook_secret(settings.secret);
    if (!parsed) return parsed.error();
    key = std::move(*parsed);
  }
  return std::unique_ptr<Channel>(std::make_unique<WebhookChannel>(std::move(settings), std::move(key)));
}

std::unique_ptr<Channel> make_telegram_channel(TelegramSettings settings) {
  return std::make_unique<TelegramChannel>(std::move(settings));
}

std::unique_ptr<Channel> make_discord_channel(DiscordSettings settings) {
  return std::make_unique<DiscordChannel>(std::move(settings));
}

std::unique_ptr<Channel> make_email_channel(EmailSettings settings) {
  return std::make_unique<EmailChannel>(std::move(settings));
}

}  // namespace pnode::notify
