// What the subscription routes (GET/POST /subscriptions, DELETE /subscriptions/{id},
// docs/notifications.md) need from the app, which knows how a subscription is read,
// checked and described (app/subscription_json.h): the routes keep the API's
// subscriptions in the store, the app's notifier delivers them.
// Thread-safety: plain values; the functions are called from any HTTP thread.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace pnode::api {

// A subscription read and checked: its name and a JSON object describing it without its
// secrets (shaped like the POST body, secrets replaced by "<key>_set" flags).
struct CheckedSubscription {
  std::string name;
  std::string description;
};

struct SubscriptionCatalog {
  // The config file's subscriptions, read-only through the API, in file order.
  std::vector<CheckedSubscription> config;
  // Reads and checks a subscription given as JSON (a POST body, or a stored one) as the
  // config file's loader checks a table, destinations included; an error naming the key
  // at fault. Unset: the subscription routes answer 503.
  std::function<Result<CheckedSubscription>(std::string_view json)> check;
  // The store's subscriptions changed: the notifier reads them again at once.
  std::function<void()> changed;
  // Subscriptions the API may add (409 beyond).
  size_t max_api_subscriptions = 200;
};

}  // namespace pnode::api
