// The delivery status of one notification subscription, as the app's notifier reports it
// to GET /metrics and GET /notifications/status (the api layer does not know the
// notifier: ApiConfig::notification_status and Metrics::set_notification_status take a
// provider of these).
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pnode::api {

struct SubscriptionStatus {
  std::string name;
  std::string channel;           // "webhook", "telegram", "discord", "email"
  bool delivering = false;       // this instance delivers (it holds the collector lease)
  int64_t cursor = 0;            // the outbox sequence number everything up to is handled
  uint64_t pending = 0;          // notifications read and not yet delivered or given up
  uint64_t delivered = 0;        // messages the receiver took
  uint64_t failed = 0;           // messages given up (refused for good, or out of attempts)
  uint64_t retries = 0;          // attempts after the first, over all messages
  std::optional<int64_t> last_success;  // unix s of the last delivered message
  std::string last_error;        // why the last failed attempt failed (empty: none yet)
};

using NotificationStatusSource = std::function<std::vector<SubscriptionStatus>()>;

}  // namespace pnode::api
