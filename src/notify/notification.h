// notify::Notification and notify::Message: the plain input of the notification channels.
// A Notification is one thing to tell (an alert that fires or resolves, or a node event);
// a Message is what one delivery carries: one or more notifications of one group, under
// one idempotency key that every channel passes on (webhook-id, Idempotency-Key,
// Message-ID), so a receiver can drop a message it already has after a retry or restart.
// Nothing here knows analysis/ or store/: the wiring converts its events into these.
// Thread-safety: plain values.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pnode::notify {

using TimePoint = std::chrono::system_clock::time_point;

enum class Kind {
  kFiring,    // an alert started (or is still) firing
  kResolved,  // an alert ended
  kEvent,     // a one-off event (node restarted, version changed, ...): nothing to resolve
};

// "firing", "resolved", "event".
std::string_view kind_name(Kind kind);

struct Link {
  std::string title;
  std::string url;
};

struct Notification {
  std::string id;  // stable event id: the idempotency key of a message of this notification alone
  Kind kind = Kind::kEvent;
  std::string title;     // one line, e.g. "Node 1.2.3.4:9001 is offline"
  std::string text;      // a few lines of detail, plain text
  std::string severity;  // "critical", "warning", "info", ...
  std::map<std::string, std::string> labels;  // what identifies the alert: rule, node, pubkey, ...
  std::string node;      // the node's address, empty for network-wide notifications
  TimePoint time{};      // when it happened (for kResolved: when the alert ended)
  TimePoint started_at{};  // kFiring/kResolved: when the alert started firing
  std::vector<Link> links;
};

// The identity of the alert a notification is about: its labels, so that the firing and
// the resolved notification of one alert share it (as Alertmanager's fingerprint does).
std::string fingerprint(const Notification& notification);

struct Message {
  std::string id;         // the idempotency key of this delivery
  std::string group_key;  // empty for an ungrouped message
  std::map<std::string, std::string> group_labels;
  std::vector<Notification> notifications;  // at least one

  // "firing" when any notification fires, else "resolved" (a message of events only: "event").
  std::string_view status() const;
};

// A message of one notification, keyed by its id (for channels without grouping).
Message single_message(Notification notification);

}  // namespace pnode::notify
