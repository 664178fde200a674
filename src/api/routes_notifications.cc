// GET /notifications/status: each notification subscription's delivery status
// (docs/notifications.md), behind the admin token like DELETE /prune, since it names the
// subscriptions and their receivers' errors.
#include "api/errors.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "util/json_writer.h"

namespace pnode::api {

http::Response get_notifications_status(const Api& api, const RouteRequest& request) {
  if (auto refused = refuse_unless_admin(api, request, "GET /notifications/status")) return *std::move(refused);
  std::vector<SubscriptionStatus> subscriptions;
  if (api.config().notification_status) subscriptions = api.config().notification_status();
  JsonWriter w;
  w.begin_object().key("subscriptions").begin_array();
  for (const SubscriptionStatus& s : subscriptions) {
    w.begin_object()
        .field("name", s.name)
        .field("channel", s.channel)
        .field("delivering", s.delivering)
        .field("cursor", s.cursor)
        .field("pending", s.pending)
        .field("delivered", s.delivered)
        .field("failed", s.failed)
        .field("retries", s.retries)
        .field("last_success", s.last_success)
        .field("last_error", s.last_error.empty() ? std::optional<std::string>() : s.last_error)
        .end_object();
  }
  w.end_array().end_object();
  return json_response(200, w.take());
}

}  // namespace pnode::api
