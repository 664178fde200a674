// The notification subscriptions' routes (docs/notifications.md, "Subscriptions through
// the API"), all behind the admin token since subscriptions name receivers:
//   GET /subscriptions          the config file's (source "config", read-only) and those
//                               added here (source "api"), described without secrets
//   POST /subscriptions         adds one (a JSON object shaped like a
//                               [[notify.subscription]] table); 201 with its id
//   DELETE /subscriptions/{id}  removes one added here (404 unknown, 409 config file's)
// The app reads and checks a subscription (ApiConfig::subscriptions, the config file's
// own reader and bounds); the store keeps those added here, so every instance sees them
// and a restart keeps them. Without a store or a catalog these answer 503.
#include <algorithm>
#include <string>

#include "api/errors.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "store/store.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

constexpr size_t kMaxSubscriptionBodyBytes = 16 * 1024;
constexpr std::string_view kConfigIdPrefix = "config-";

// The catalog and store, or the 503 answer.
std::optional<http::Response> subscriptions_unavailable(const Api& api) {
  if (api.store() && api.config().subscriptions.check) return std::nullopt;
  return jsonrpc_error(503, "Subscriptions unavailable: no store is configured");
}

const CheckedSubscription* config_subscription_named(const Api& api, std::string_view name) {
  const auto& config = api.config().subscriptions.config;
  auto it = std::find_if(config.begin(), config.end(), [&](const auto& s) { return s.name == name; });
  return it == config.end() ? nullptr : &*it;
}

// One entry of the list: who owns it and what it is; `problem` when a stored one no
// longer passes the checks (it is then not delivered).
void write_subscription_entry(JsonWriter& w, const std::string& id, std::string_view source, const std::string& name,
                 std::optional<int64_t> created_at, const Result<CheckedSubscription>& checked) {
  w.begin_object().field("id", id).field("source", source).field("name", name).field("created_at", created_at);
  w.key("subscription");
  if (checked.ok()) w.raw(checked->description);
  else w.null();
  w.field("problem", checked.ok() ? std::optional<std::string>() : checked.error().message);
  w.end_object();
}

void write_stored_subscription(JsonWriter& w, const Api& api, const store::SubscriptionRecord& record) {
  write_subscription_entry(w, record.id, "api", record.name, record.created_at, api.config().subscriptions.check(record.spec));
}

void tell_subscriptions_changed(const Api& api) {
  if (api.config().subscriptions.changed) api.config().subscriptions.changed();
}

}  // namespace

http::Response get_subscriptions(const Api& api, const RouteRequest& request) {
  if (auto refused = refuse_unless_admin(api, request, "GET /subscriptions")) return *std::move(refused);
  if (auto refused = subscriptions_unavailable(api)) return *std::move(refused);
  auto stored = api.store()->subscriptions();
  if (!stored.ok()) return jsonrpc_error(500, "Failed to read subscriptions");
  const SubscriptionCatalog& catalog = api.config().subscriptions;
  JsonWriter w;
  w.begin_object().key("subscriptions").begin_array();
  for (const CheckedSubscription& s : catalog.config)
    write_subscription_entry(w, std::string(kConfigIdPrefix) + s.name, "config", s.name, std::nullopt, s);
  for (const store::SubscriptionRecord& record : *stored) write_stored_subscription(w, api, record);
  w.end_array()
      .field("count", catalog.config.size() + stored->size())
      .field("api_count", stored->size())
      .field("max_api_subscriptions", catalog.max_api_subscriptions)
      .field("timestamp", api.now())
      .end_object();
  return json_response(200, w.take());
}

http::Response post_subscription(const Api& api, const RouteRequest& request) {
  if (auto refused = refuse_unless_admin(api, request, "POST /subscriptions")) return *std::move(refused);
  if (auto refused = subscriptions_unavailable(api)) return *std::move(refused);
  const std::string& body = request.http.body;
  if (body.size() > kMaxSubscriptionBodyBytes)
    return detail_response(413, "the body is larger than " + std::to_string(kMaxSubscriptionBodyBytes) + " bytes");
  const SubscriptionCatalog& catalog = api.config().subscriptions;
  auto checked = catalog.check(body);
  if (!checked.ok()) return detail_response(400, checked.error().message);
  if (config_subscription_named(api, checked->name))
    return detail_response(409, "the config file has a subscription named " + checked->name);
  store::SubscriptionRecord record;
  record.name = checked->name;
  record.spec = body;
  auto stored = api.store()->add_subscription(record, api.now(), catalog.max_api_subscriptions);
  if (!stored.ok() && (stored.error().is(ErrorCode::kTooLarge) || stored.error().is(ErrorCode::kConstraint)))
    return detail_response(409, stored.error().message);
  if (!stored.ok()) return jsonrpc_error(500, "Failed to save the subscription");
  tell_subscriptions_changed(api);
  JsonWriter w;
  write_subscription_entry(w, stored->id, "api", stored->name, stored->created_at, *checked);
  return json_response(201, w.take());
}

http::Response delete_subscription(const Api& api, const RouteRequest& request) {
  if (auto refused = refuse_unless_admin(api, request, "DELETE /subscriptions")) return *std::move(refused);
  if (auto refused = subscriptions_unavailable(api)) return *std::move(refused);
  const std::string& id = request.path_param("id");
  if (id.starts_with(kConfigIdPrefix) && config_subscription_named(api, std::string_view(id).substr(kConfigIdPrefix.size())))
    return detail_response(409, "subscription " + id + " is in the config file: remove it there");
  auto removed = api.store()->remove_subscription(id);
  if (!removed.ok()) return jsonrpc_error(500, "Failed to remove the subscription");
  if (!*removed) return detail_response(404, "no subscription " + id);
  tell_subscriptions_changed(api);
  JsonWriter w;
  w.begin_object().field("status", "ok").field("id", id).end_object();
  return json_response(200, w.take());
}

}  // namespace pnode::api
