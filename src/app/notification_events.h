// From the outbox to the notification channels: whether a stored event is one a
// subscription takes (SubscriptionMatch), and the notify::Notification it becomes. Alert
// events (alert_firing / alert_resolved, docs/events.md) become firing and resolved
// notifications labelled {alertname = rule, node, pubkey}, so the two ends of one alert
// share a fingerprint; a silenced one is never told. Other events are one-off
// notifications labelled {alertname = type, node, pubkey}.
// Thread-safety: pure functions.
#pragma once

#include <optional>

#include "app/notify_config.h"
#include "notify/notification.h"
#include "store/store.h"

namespace pnode::app {

// The notification `event` makes for a subscription matching `match`; nullopt when the
// subscription does not take it (another type, rule, severity or node; silenced; a body
// that does not parse).
std::optional<notify::Notification> notification_for(const store::StoredEvent& event,
                                                      const SubscriptionMatch& match);

}  // namespace pnode::app
