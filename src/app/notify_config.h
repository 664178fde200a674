// Notification subscriptions from the config file: `[[notify.subscription]]` tables, each
// with a name, a channel (webhook, telegram, discord or email and its settings), what it
// matches (event types, alert rules, severities, nodes, pubkeys) and how its messages are
// grouped and retried (docs/notifications.md, "Subscriptions"). Secrets may stay out of
// the file: every secret key K also reads as `K_env = "VAR"`, the value of that
// environment variable. Parsing checks every bound and names the subscription and key at
// fault; validate_subscriptions() adds the cross-subscription and loopback checks.
// Thread-safety: plain values and pure functions (the environment is read through the
// lookup passed in).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <toml++/toml.h>

#include "notify/channels.h"
#include "notify/grouping.h"
#include "notify/retry.h"
#include "util/result.h"

namespace pnode::app {

// Bounds on what a config file may ask for.
struct SubscriptionLimits {
  size_t max_subscriptions = 32;
  size_t max_name_bytes = 64;      // [A-Za-z0-9_.-]: it names a cursor and a metrics label
  size_t max_text_bytes = 2048;    // any one string (URL, token, address, prefix)
  size_t max_list_entries = 1000;  // nodes, pubkeys, rules, ... of one match
  size_t max_recipients = 50;      // e-mail "to"
};

// Which events a subscription takes: an event matches when every list given contains its
// value. `nodes` and `pubkeys` together are one condition (the node's address is listed
// OR its pubkey is); both empty means every node. Network events (no node) pass the node
// condition only when both are empty. `rules` and `severities` apply to alert events.
struct SubscriptionMatch {
  std::set<std::string> events{"alert_firing", "alert_resolved"};
  std::set<std::string> rules;
  std::set<std::string> severities;
  std::set<std::string> nodes;
  std::set<std::string> pubkeys;
  bool operator==(const SubscriptionMatch&) const = default;
};

using ChannelSettings =
    std::variant<notify::WebhookSettings, notify::TelegramSettings, notify::DiscordSettings, notify::EmailSettings>;

struct Subscription {
  std::string name;
  ChannelSettings channel;
  SubscriptionMatch match;
  notify::GroupingPolicy grouping;
  notify::RetryPolicy retry;
  // Added through the API (app/subscription_json.h): the outbox sequence number it was
  // added at, so it is told only of later events. 0 for the config file's.
  int64_t starts_after = 0;
};

// "webhook", "telegram", "discord", "email".
std::string channel_type(const ChannelSettings& channel);

// Looks an environment variable up (nullopt when unset or empty).
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_environment();

// The `notify.subscription` array of a config file. `where` prefixes every message (the
// file's path).
Result<std::vector<Subscription>> parse_subscriptions(const toml::array& array, const EnvLookup& env,
                                                      const std::string& where,
                                                      const SubscriptionLimits& limits = {});

// One subscription table (`where` prefixes every message). A null `env` refuses the
// secrets' `*_env` keys (the API takes secrets only as values).
Result<Subscription> parse_subscription(const toml::table& table, const std::string& where, const EnvLookup& env,
                                        const SubscriptionLimits& limits = {});

// Every destination on loopback unless `allow_real_network`; names unique.
Status validate_subscriptions(const std::vector<Subscription>& subscriptions, bool allow_real_network);

// A duration: "<n>ms", "<n>s", "<n>m", "<n>h", "<n>d", or a bare number of seconds.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

// The channel a subscription's settings make.
Result<std::unique_ptr<notify::Channel>> make_channel(const ChannelSettings& settings);

// The host of "scheme://[user[:password]@]host[:port][/...]" ("[::1]" without brackets).
std::string url_host(std::string_view url);

}  // namespace pnode::app
