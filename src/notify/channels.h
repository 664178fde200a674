// The notification channels: a signed webhook (Standard Webhooks; our JSON or
// Alertmanager's body), Telegram (Bot API sendMessage), Discord (webhook) and e-mail
// (SMTP). Each turns a Message into one request and the answer into an Attempt (retry
// policy: retry.h). Every request carries the message's idempotency key: webhook-id and
// Idempotency-Key over HTTP, the Message-ID of a mail. Base URLs and hosts are settings,
// so tests point them at loopback receivers.
// Thread-safety: deliver() may be called from several threads at once; a channel holds
// only its settings.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notify/notification.h"
#include "notify/payloads.h"
#include "notify/retry.h"
#include "notify/transport.h"

namespace pnode::notify {

class Channel {
 public:
  virtual ~Channel() = default;
  virtual std::string_view type() const = 0;  // "webhook", "telegram", "discord", "email"
  // One attempt to deliver `message`; `now` stamps it (webhook-timestamp, Date).
  virtual Attempt deliver(const Message& message, TimePoint now) const = 0;
};

enum class WebhookFormat { kJson, kAlertmanager };

struct WebhookSettings {
  std::string url;
  std::string secret;  // "whsec_" + Base64; empty: unsigned (no webhook-signature header)
  WebhookFormat format = WebhookFormat::kJson;
  std::string receiver = "pnode-analytics";  // Alertmanager body: "receiver"
  std::string external_url;                  // Alertmanager body: "externalURL"
  HttpLimits limits;
};

struct TelegramSettings {
  std::string base_url = "https://api.telegram.org";
  std::string token;
  std::string chat_id;
  std::string parse_mode = "HTML";  // or "" for plain text
  HttpLimits limits;
};

struct DiscordSettings {
  std::string webhook_url;  // https://discord.com/api/webhooks/<id>/<token>
  std::string username;     // empty: the webhook's own name
  HttpLimits limits;
};

struct EmailSettings {
  SmtpSettings smtp;
  MailAddressing addressing;
};

// Builds a channel; an error when a setting is unusable (e.g. a secret that is not Base64).
Result<std::unique_ptr<Channel>> make_webhook_channel(WebhookSettings settings);
std::unique_ptr<Channel> make_telegram_channel(TelegramSettings settings);
std::unique_ptr<Channel> make_discord_channel(DiscordSettings settings);
std::unique_ptr<Channel> make_email_channel(EmailSettings settings);

// The wait a Retry-After header asks for: delta-seconds or an HTTP date (relative to
// `now`); nullopt when absent or unreadable.
std::optional<Millis> parse_retry_after(std::string_view header, TimePoint now);
// The Attempt an HTTP answer (or its failure) makes; a 429's wait from the header.
Attempt http_attempt(const Result<HttpAnswer>& answer, TimePoint now);

// Telegram's sendMessage text limit, in bytes here (its limit is 4096 characters).
inline constexpr size_t kTelegramMaxText = 4096;

}  // namespace pnode::notify
