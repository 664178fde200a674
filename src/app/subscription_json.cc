#include "app/subscription_json.h"

#include <boost/json.hpp>

#include "util/json_writer.h"

namespace pnode::app {
namespace {

namespace json = boost::json;

// A [[notify.subscription]] table is at most three levels deep (the subscription, its
// sections, their lists); the API's JSON may not be deeper.
constexpr int kMaxDepth = 3;

Result<toml::table> to_table(const json::object& object, const std::string& where, int depth);

// Adds `value` to `table` as the TOML value the table reader expects (null: nothing).
Status add_value(toml::table& table, const std::string& key, const json::value& value, const std::string& where,
                 int depth);

Result<toml::array> to_array(const json::array& array, const std::string& where, int depth) {
  toml::array out;
  for (const json::value& item : array) {
    toml::table holder;
    if (auto st = add_value(holder, "item", item, where, depth); !st.ok()) return st.error();
    if (toml::node* node = holder.get("item")) out.push_back(std::move(*node));
  }
  return out;
}

Status add_value(toml::table& table, const std::string& key, const json::value& value, const std::string& where,
                 int depth) {
  const std::string at = where + "." + key;
  if (depth > kMaxDepth) return make_error(ErrorCode::kConfig, at + " is nested too deeply");
  switch (value.kind()) {
    case json::kind::null: return ok_status();
    case json::kind::bool_: table.insert_or_assign(key, value.get_bool()); return ok_status();
    case json::kind::int64: table.insert_or_assign(key, value.get_int64()); return ok_status();
    case json::kind::string: table.insert_or_assign(key, std::string(value.get_string())); return ok_status();
    case json::kind::array: {
      auto array = to_array(value.get_array(), at, depth + 1);
      if (!array) return array.error();
      table.insert_or_assign(key, std::move(*array));
      return ok_status();
    }
    case json::kind::object: {
      auto nested = to_table(value.get_object(), at, depth + 1);
      if (!nested) return nested.error();
      table.insert_or_assign(key, std::move(*nested));
      return ok_status();
    }
    default: return make_error(ErrorCode::kConfig, at + " must be a string, an integer, true/false, a list or an object");
  }
}

Result<toml::table> to_table(const json::object& object, const std::string& where, int depth) {
  toml::table out;
  for (const auto& [key, value] : object) {
    if (auto st = add_value(out, std::string(key), value, where, depth); !st.ok()) return st.error();
  }
  return out;
}

void write_list(JsonWriter& w, std::string_view key, const auto& values) {
  w.key(key).begin_array();
  for (const auto& v : values) w.value(v);
  w.end_array();
}

std::string millis(std::chrono::milliseconds d) { return std::to_string(d.count()) + "ms"; }

void write_channel(JsonWriter& w, const ChannelSettings& channel) {
  w.key("channel").begin_object().field("type", channel_type(channel));
  if (const auto* s = std::get_if<notify::WebhookSettings>(&channel)) {
    w.field("url", without_userinfo(s->url))
        .field("format", s->format == notify::WebhookFormat::kAlertmanager ? "alertmanager" : "json")
        .field("receiver", s->receiver)
        .field("external_url", s->external_url)
        .field("secret_set", !s->secret.empty());
  } else if (const auto* s = std::get_if<notify::TelegramSettings>(&channel)) {
    w.field("base_url", without_userinfo(s->base_url))
        .field("chat_id", s->chat_id)
        .field("parse_mode", s->parse_mode)
        .field("token_set", !s->token.empty());
  } else if (const auto* s = std::get_if<notify::DiscordSettings>(&channel)) {
    // The webhook URL carries the webhook's token: only its host is shown.
    w.field("host", url_host(s->webhook_url)).field("username", s->username).field("webhook_url_set", true);
  } else if (const auto* s = std::get_if<notify::EmailSettings>(&channel)) {
    w.field("url", without_userinfo(s->smtp.url))
        .field("starttls", s->smtp.starttls)
        .field("username", s->smtp.username)
        .field("ca_file", s->smtp.ca_file)
        .field("from", s->addressing.from);
    write_list(w, "to", s->addressing.to);
    w.field("subject_prefix", s->addressing.subject_prefix).field("password_set", !s->smtp.password.empty());
  }
  w.end_object();
}

}  // namespace

Result<Subscription> parse_subscription_json(std::string_view text, const SubscriptionLimits& limits) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = kMaxDepth + 2;
  json::value value = json::parse(text, ec, {}, options);
  if (ec || !value.is_object())
    return make_error(ErrorCode::kConfig, "the subscription must be a JSON object (nested at most " +
                                              std::to_string(kMaxDepth) + " levels)");
  auto table = to_table(value.get_object(), "subscription", 1);
  if (!table) return table.error();
  return parse_subscription(*table, "subscription", EnvLookup{}, limits);
}

std::string describe_subscription(const Subscription& s) {
  JsonWriter w;
  w.begin_object().field("name", s.name);
  write_channel(w, s.channel);
  w.key("match").begin_object();
  write_list(w, "events", s.match.events);
  write_list(w, "rules", s.match.rules);
  write_list(w, "severities", s.match.severities);
  write_list(w, "nodes", s.match.nodes);
  write_list(w, "pubkeys", s.match.pubkeys);
  w.end_object().key("grouping").begin_object();
  write_list(w, "group_by", s.grouping.group_by);
  w.field("group_wait", millis(s.grouping.group_wait))
      .field("group_interval", millis(s.grouping.group_interval))
      .field("repeat_interval", millis(s.grouping.repeat_interval))
      .field("send_resolved", s.grouping.send_resolved)
      .end_object();
  w.key("retry")
      .begin_object()
      .field("max_attempts", s.retry.max_attempts)
      .field("initial_backoff", millis(s.retry.initial_backoff))
      .field("max_backoff", millis(s.retry.max_backoff))
      .end_object();
  w.end_object();
  return w.take();
}

api::SubscriptionCatalog subscription_catalog(const std::vector<Subscription>& config, bool allow_real_network) {
  api::SubscriptionCatalog catalog;
  for (const Subscription& s : config) catalog.config.push_back({s.name, describe_subscription(s)});
  catalog.check = [allow_real_network](std::string_view json) -> Result<api::CheckedSubscription> {
    auto s = parse_subscription_json(json);
    if (!s) return s.error();
    if (auto st = validate_subscriptions({*s}, allow_real_network); !st.ok()) return st.error();
    return api::CheckedSubscription{s->name, describe_subscription(*s)};
  };
  return catalog;
}

std::string without_userinfo(std::string_view url) {
  const size_t scheme = url.find("://");
  const size_t host = scheme == std::string_view::npos ? 0 : scheme + 3;
  const size_t authority_end = url.find_first_of("/?#", host);
  const std::string_view authority = url.substr(host, authority_end == std::string_view::npos ? url.npos : authority_end - host);
  const size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, host)) + std::string(url.substr(host + at + 1));
}

}  // namespace pnode::app
