#include "app/notify_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstdlib>

#include "analysis/alert_lifecycle.h"
#include "analysis/events.h"
#include "util/loopback.h"

namespace pnode::app {
namespace {

using std::chrono::milliseconds;

// Reads one TOML table's keys, remembering the first error (so a caller reads every key
// it wants, then asks once) and which keys it read (so an unknown key is an error, not a
// silent typo).
class TableReader {
 public:
  TableReader(const toml::table& table, std::string where, const EnvLookup& env, const SubscriptionLimits& limits)
      : table_(table), where_(std::move(where)), env_(env), limits_(limits) {}

  std::optional<std::string> text(const std::string& key) {
    const toml::node* node = take(key);
    if (!node) return std::nullopt;
    auto value = node->value<std::string>();
    if (!value) return fail(key, "must be a string"), std::nullopt;
    return bounded(key, std::move(*value));
  }
  std::string text_or(const std::string& key, std::string fallback) { return text(key).value_or(std::move(fallback)); }
  // A secret: `key`, or the environment variable `key_env` names; at most one of them.
  std::optional<std::string> secret(const std::string& key) {
    auto direct = text(key);
    auto variable = text(key + "_env");
    if (direct && variable) return fail(key, "is given twice (" + key + " and " + key + "_env)"), std::nullopt;
    if (!variable) return direct;
    if (!env_) return fail(key + "_env", "is not taken here: give " + key + " itself"), std::nullopt;
    auto value = env_(*variable);
    if (!value) return fail(key + "_env", "names " + *variable + ", which is not set"), std::nullopt;
    return bounded(key + "_env", std::move(*value));
  }
  std::vector<std::string> list(const std::string& key, size_t max_entries) {
    const toml::node* node = take(key);
    if (!node) return {};
    const toml::array* array = node->as_array();
    if (!array) return fail(key, "must be an array of strings"), std::vector<std::string>{};
    if (array->size() > max_entries)
      return fail(key, "has " + std::to_string(array->size()) + " entries, at most " + std::to_string(max_entries) +
                           " are allowed"),
             std::vector<std::string>{};
    std::vector<std::string> out;
    for (const toml::node& item : *array) {
      auto value = item.value<std::string>();
      if (!value || value->empty()) return fail(key, "must hold non-empty strings"), std::vector<std::string>{};
      if (auto b = bounded(key, std::move(*value))) out.push_back(std::move(*b));
    }
    return out;
  }
  std::optional<bool> boolean(const std::string& key) {
    const toml::node* node = take(key);
    if (!node) return std::nullopt;
    auto value = node->value<bool>();
    if (!value) fail(key, "must be true or false");
    return value;
  }
  std::optional<int64_t> integer(const std::string& key, int64_t min, int64_t max) {
    const toml::node* node = take(key);
    if (!node) return std::nullopt;
    auto value = node->value<int64_t>();
    if (!value || *value < min || *value > max)
      return fail(key, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)), std::nullopt;
    return value;
  }
  std::optional<milliseconds> duration(const std::string& key, milliseconds min, milliseconds max) {
    const toml::node* node = take(key);
    if (!node) return std::nullopt;
    std::string text;
    if (auto s = node->value<std::string>()) text = *s;
    else if (auto i = node->value<int64_t>()) text = std::to_string(*i);
    auto parsed = parse_duration(text);
    if (!parsed) return fail(key, parsed.error().message), std::nullopt;
    if (*parsed < min || *parsed > max)
      return fail(key, "must be from " + std::to_string(min.count()) + " ms to " + std::to_string(max.count()) + " ms"),
             std::nullopt;
    return parsed.value();
  }
  const toml::table* table(const std::string& key) {
    const toml::node* node = take(key);
    if (!node) return nullptr;
    if (!node->is_table()) fail(key, "must be a table");
    return node->as_table();
  }
  void fail(const std::string& key, const std::string& message) {
    if (!error_) error_ = where_ + "." + key + " " + message;
  }
  // The first error, or an unknown key.
  Status finish() {
    for (auto&& [key, node] : table_) {
      if (!read_.contains(std::string(key.str()))) fail(std::string(key.str()), "is not a known key");
    }
    if (error_) return make_error(ErrorCode::kConfig, *error_);
    return ok_status();
  }
  const std::string& where() const { return where_; }
  const EnvLookup& env() const { return env_; }
  const SubscriptionLimits& limits() const { return limits_; }

 private:
  const toml::node* take(const std::string& key) {
    read_.insert(key);
    return table_.get(key);
  }
  std::optional<std::string> bounded(const std::string& key, std::string value) {
    if (value.size() > limits_.max_text_bytes)
      return fail(key, "is longer than " + std::to_string(limits_.max_text_bytes) + " bytes"), std::nullopt;
    for (char c : value)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return fail(key, "holds a control character"), std::nullopt;
    return value;
  }

  const toml::table& table_;
  std::string where_;
  const EnvLookup& env_;
  const SubscriptionLimits& limits_;
  std::set<std::string> read_;
  std::optional<std::string> error_;
};

ChannelSettings read_channel(TableReader& r) {
  const std::string type = r.text_or("type", "");
  if (type == "webhook") {
    notify::WebhookSettings s;
    s.url = r.text_or("url", "");
    s.secret = r.secret("secret").value_or("");
    const std::string format = r.text_or("format", "json");
    if (format == "alertmanager") s.format = notify::WebhookFormat::kAlertmanager;
    else if (format != "json") r.fail("format", "must be json or alertmanager");
    s.receiver = r.text_or("receiver", s.receiver);
    s.external_url = r.text_or("external_url", "");
    if (s.url.empty()) r.fail("url", "is required");
    return ChannelSettings{s};
  }
  if (type == "telegram") {
    notify::TelegramSettings s;
    s.base_url = r.text_or("base_url", s.base_url);
    s.token = r.secret("token").value_or("");
    s.chat_id = r.text_or("chat_id", "");
    s.parse_mode = r.text_or("parse_mode", s.parse_mode);
    if (s.parse_mode != "HTML" && !s.parse_mode.empty()) r.fail("parse_mode", "must be \"HTML\" or \"\"");
    if (s.token.empty()) r.fail("token", "is required (or token_env)");
    if (s.chat_id.empty()) r.fail("chat_id", "is required");
    return ChannelSettings{s};
  }
  if (type == "discord") {
    notify::DiscordSettings s;
    s.webhook_url = r.secret("webhook_url").value_or("");
    s.username = r.text_or("username", "");
    if (s.webhook_url.empty()) r.fail("webhook_url", "is required (or webhook_url_env)");
    return ChannelSettings{s};
  }
  if (type == "email") {
    notify::EmailSettings s;
    s.smtp.url = r.text_or("url", "");
    s.smtp.starttls = r.boolean("starttls").value_or(false);
    s.smtp.username = r.text_or("username", "");
    s.smtp.password = r.secret("password").value_or("");
    s.smtp.ca_file = r.text_or("ca_file", "");
    s.addressing.from = r.text_or("from", "");
    s.addressing.to = r.list("to", r.limits().max_recipients);
    s.addressing.subject_prefix = r.text_or("subject_prefix", "[pnode] ");
    if (s.smtp.url.rfind("smtp://", 0) != 0 && s.smtp.url.rfind("smtps://", 0) != 0)
      r.fail("url", "must start with smtp:// or smtps://");
    if (s.addressing.from.empty()) r.fail("from", "is required");
    if (s.addressing.to.empty()) r.fail("to", "needs at least one recipient");
    return ChannelSettings{s};
  }
  r.fail("type", "must be webhook, telegram, discord or email");
  return ChannelSettings{};
}

void check_names(TableReader& r, const std::string& key, const std::set<std::string>& names, auto&& known) {
  for (const auto& name : names)
    if (!known(name)) r.fail(key, "names an unknown value \"" + name + "\"");
}

SubscriptionMatch read_match(TableReader& r) {
  SubscriptionMatch m;
  const size_t max = r.limits().max_list_entries;
  if (auto events = r.list("events", max); !events.empty()) m.events = {events.begin(), events.end()};
  for (auto [key, field] : {std::pair{"rules", &m.rules}, std::pair{"severities", &m.severities},
                            std::pair{"nodes", &m.nodes}, std::pair{"pubkeys", &m.pubkeys}}) {
    auto values = r.list(key, max);
    field->insert(values.begin(), values.end());
  }
  check_names(r, "events", m.events, [](const std::string& n) { return analysis::parse_event_type(n).has_value(); });
  check_names(r, "rules", m.rules, [](const std::string& n) { return analysis::parse_alert_type(n).has_value(); });
  check_names(r, "severities", m.severities,
              [](const std::string& n) { return n == "critical" || n == "warning" || n == "info"; });
  return m;
}

notify::GroupingPolicy read_grouping(TableReader& r) {
  notify::GroupingPolicy g;
  g.group_by = r.list("group_by", 32);
  g.group_wait = r.duration("group_wait", milliseconds(0), std::chrono::hours(1)).value_or(g.group_wait);
  g.group_interval =
      r.duration("group_interval", milliseconds(100), std::chrono::hours(24)).value_or(g.group_interval);
  g.repeat_interval =
      r.duration("repeat_interval", milliseconds(100), std::chrono::hours(24 * 30)).value_or(g.repeat_interval);
  g.send_resolved = r.boolean("send_resolved").value_or(g.send_resolved);
  if (g.group_by.size() > 1 && std::find(g.group_by.begin(), g.group_by.end(), "...") != g.group_by.end())
    r.fail("group_by", "takes \"...\" alone");
  return g;
}

notify::RetryPolicy read_retry(TableReader& r) {
  notify::RetryPolicy p;
  p.max_attempts = static_cast<int>(r.integer("max_attempts", 1, 100).value_or(p.max_attempts));
  p.initial_backoff = r.duration("initial_backoff", milliseconds(10), std::chrono::hours(1)).value_or(p.initial_backoff);
  p.max_backoff = r.duration("max_backoff", milliseconds(10), std::chrono::hours(24)).value_or(p.max_backoff);
  if (p.max_backoff < p.initial_backoff) r.fail("max_backoff", "must not be below initial_backoff");
  return p;
}

bool valid_name(std::string_view name, size_t max) {
  if (name.empty() || name.size() > max) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

}  // namespace

// One [[notify.subscription]] table: its sections each through their own reader.
Result<Subscription> parse_subscription(const toml::table& table, const std::string& where, const EnvLookup& env,
                                        const SubscriptionLimits& limits) {
  TableReader top(table, where, env, limits);
  Subscription s;
  s.name = top.text_or("name", "");
  if (!valid_name(s.name, limits.max_name_bytes))
    top.fail("name", "must be 1 to " + std::to_string(limits.max_name_bytes) + " of A-Z a-z 0-9 _ . -");
  const std::string named = where + " (" + s.name + ")";
  const toml::table* channel = top.table("channel");
  if (!channel) {
    if (auto st = top.finish(); !st.ok()) return st.error();
    return make_error(ErrorCode::kConfig, named + ".channel is required");
  }
  const toml::table empty;
  struct Section {
    const char* key;
    std::function<void(TableReader&)> read;
  };
  const Section sections[] = {
      {"channel", [&](TableReader& r) { s.channel = read_channel(r); }},
      {"match", [&](TableReader& r) { s.match = read_match(r); }},
      {"grouping", [&](TableReader& r) { s.grouping = read_grouping(r); }},
      {"retry", [&](TableReader& r) { s.retry = read_retry(r); }},
  };
  for (const Section& section : sections) {
    const toml::table* t = std::string(section.key) == "channel" ? channel : top.table(section.key);
    TableReader r(t ? *t : empty, named + "." + section.key, env, limits);
    section.read(r);
    if (auto st = r.finish(); !st.ok()) return st.error();
  }
  if (auto st = top.finish(); !st.ok()) return st.error();
  return s;
}

std::string channel_type(const ChannelSettings& channel) {
  static const char* const kNames[] = {"webhook", "telegram", "discord", "email"};
  return kNames[channel.index()];
}

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value || !*value) return std::nullopt;
    return std::string(value);
  };
}

Result<milliseconds> parse_duration(std::string_view text) {
  static constexpr std::pair<std::string_view, int64_t> kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}, {"", 1000}};
  for (const auto& [suffix, factor] : kUnits) {
    if (text.size() <= suffix.size() || !text.ends_with(suffix)) continue;
    std::string_view digits = text.substr(0, text.size() - suffix.size());
    int64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || end != digits.data() + digits.size() || n < 0) continue;
    if (n > INT64_MAX / factor / 1000) break;
    return milliseconds(n * factor);
  }
  return make_error(ErrorCode::kConfig, "must be a duration such as \"500ms\", \"30s\", \"5m\", \"4h\" or \"1d\" (got \"" +
                                            std::string(text) + "\")");
}

Result<std::vector<Subscription>> parse_subscriptions(const toml::array& array, const EnvLookup& env,
                                                      const std::string& where, const SubscriptionLimits& limits) {
  if (array.size() > limits.max_subscriptions)
    return make_error(ErrorCode::kConfig, where + ": notify.subscription has " + std::to_string(array.size()) +
                                              " entries, at most " + std::to_string(limits.max_subscriptions) +
                                              " are allowed");
  std::vector<Subscription> out;
  for (size_t i = 0; i < array.size(); ++i) {
    const std::string at = where + ": notify.subscription[" + std::to_string(i) + "]";
    const toml::table* table = array[i].as_table();
    if (!table) return make_error(ErrorCode::kConfig, at + " must be a table ([[notify.subscription]])");
    auto s = parse_subscription(*table, at, env, limits);
    if (!s) return s.error();
    out.push_back(std::move(*s));
  }
  return out;
}

std::string url_host(std::string_view url) {
  auto scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (rest.starts_with("[")) return std::string(rest.substr(1, rest.find(']') - 1));
  return std::string(rest.substr(0, rest.find(':')));
}

namespace {

std::string destination(const ChannelSettings& channel) {
  struct Visitor {
    std::string operator()(const notify::WebhookSettings& s) const { return s.url; }
    std::string operator()(const notify::TelegramSettings& s) const { return s.base_url; }
    std::string operator()(const notify::DiscordSettings& s) const { return s.webhook_url; }
    std::string operator()(const notify::EmailSettings& s) const { return s.smtp.url; }
  };
  return std::visit(Visitor{}, channel);
}

}  // namespace

Status validate_subscriptions(const std::vector<Subscription>& subscriptions, bool allow_real_network) {
  std::set<std::string> names;
  for (const Subscription& s : subscriptions) {
    if (!names.insert(s.name).second)
      return make_error(ErrorCode::kConfig, "notify.subscription: the name \"" + s.name + "\" is used twice");
    if (!allow_real_network && !is_loopback_host(url_host(destination(s.channel))))
      return make_error(ErrorCode::kConfig, "notify.subscription " + s.name + ": its " + channel_type(s.channel) +
                                                " destination is not on loopback; set ALLOW_REAL_NETWORK=true to "
                                                "deliver beyond it");
    if (auto channel = make_channel(s.channel); !channel)
      return make_error(ErrorCode::kConfig, "notify.subscription " + s.name + ": " + channel.error().message);
  }
  return ok_status();
}

Result<std::unique_ptr<notify::Channel>> make_channel(const ChannelSettings& settings) {
  struct Visitor {
    Result<std::unique_ptr<notify::Channel>> operator()(const notify::WebhookSettings& s) const {
      return notify::make_webhook_channel(s);
    }
    Result<std::unique_ptr<notify::Channel>> operator()(const notify::TelegramSettings& s) const {
      return notify::make_telegram_channel(s);
    }
    Result<std::unique_ptr<notify::Channel>> operator()(const notify::DiscordSettings& s) const {
      return notify::make_discord_channel(s);
    }
    Result<std::unique_ptr<notify::Channel>> operator()(const notify::EmailSettings& s) const {
      return notify::make_email_channel(s);
    }
  };
  return std::visit(Visitor{}, settings);
}

}  // namespace pnode::app
