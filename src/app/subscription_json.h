// Notification subscriptions as the API takes and shows them (POST/GET /subscriptions,
// docs/notifications.md): a JSON object shaped like a [[notify.subscription]] table
// ({"name", "channel": {...}, "match": {...}, "grouping": {...}, "retry": {...}}), read
// by the config file's own reader (notify_config.h) so both check the same keys and
// bounds, with one difference: secrets come as values, never as `*_env` names. And the
// description of any subscription, config file's or API's, without its secrets (a
// `<key>_set` flag says one is there; URLs lose their user:password part).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "api/subscription_catalog.h"
#include "app/notify_config.h"
#include "util/result.h"

namespace pnode::app {

// The subscription a JSON object describes; kConfig naming the key at fault otherwise.
// Nesting beyond the table's own levels, or a value JSON has and TOML lacks (null aside:
// an absent key), is refused.
Result<Subscription> parse_subscription_json(std::string_view json, const SubscriptionLimits& limits = {});

// A JSON object describing `subscription` without its secrets; durations as "<n>ms".
std::string describe_subscription(const Subscription& subscription);

// What the API's subscription routes read and check subscriptions with
// (api/subscription_catalog.h): `config` described, and a check that reads JSON as
// parse_subscription_json() does and its destination as validate_subscriptions() does.
// `changed` is left for the caller (the notifier's reload()).
api::SubscriptionCatalog subscription_catalog(const std::vector<Subscription>& config, bool allow_real_network);

// "scheme://host/..." from "scheme://user:password@host/...".
std::string without_userinfo(std::string_view url);

}  // namespace pnode::app
