#include "api/api.h"

#include <exception>
#include <optional>

#include "api/docs_page.h"
#include "api/errors.h"
#include "api/metrics.h"
#include "api/openapi.h"
#include "api/routes.h"
#include "rest/static_files.h"

namespace pnode::api {

int64_t system_unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Api::Api(ApiConfig config, const SnapshotHub& hub, store::Store* store)
    : config_(std::move(config)),
      hub_(hub),
      store_(store),
      state_(std::make_unique<RouteState>()),
      cors_(config_.cors_origins),
      rate_limit_(config_.rate_limit) {
  register_routes();
}

Api::~Api() = default;

// The reference's route table (docs/reference-compat.md §1.0) in its registration
// order: the router takes the first route that fits, so the order is part of the contract.
void Api::register_routes() {
  auto bind = [this](http::Response (*fn)(const Api&, const rest::RouteRequest&)) {
    return [this, fn](const rest::RouteRequest& request) { return fn(*this, request); };
  };
  router_.get("/health", bind(get_health));                                                        // 1
  router_.get("/", bind(get_root));                                                                // 2
  router_.get("/registry/{address:path}", bind(get_registry_entry));                               // 3
  router_.add("DELETE", "/prune", prune_query_schema(), bind(delete_prune));                       // 4
  router_.get("/graveyard", graveyard_query_schema(), bind(get_graveyard));                        // 5
  router_.get("/pnodes", pnodes_query_schema(), bind(get_pnodes));                                 // 6
  router_.get("/recommendations", recommendations_query_schema(), bind(get_recommendations));      // 7
  router_.get("/network/topology", bind(get_network_topology));                                    // 8
  router_.get("/network/health", bind(get_network_health));                                        // 9
  router_.get("/operators", operators_query_schema(), bind(get_operators));                        // 10
  router_.get("/network/history", network_history_query_schema(), bind(get_network_history));      // 11
  router_.get("/network/growth", network_growth_query_schema(), bind(get_network_growth));         // 12
  router_.get("/network/analytics", bind(get_network_analytics));                                  // 13
  router_.get("/node/{address:path}/history", node_history_query_schema(), bind(get_node_history));  // 14
  router_.get("/node/{address:path}/metrics-summary", node_metrics_query_schema(),                 // 15
              bind(get_node_metrics_summary));
  router_.get("/nodes/history-status", bind(get_history_status));                                  // 16
  router_.get("/pnodes/{address:path}/alerts", node_alerts_query_schema(), bind(get_node_alerts));  // 17
  router_.get("/alerts", alerts_query_schema(), bind(get_alerts));                                 // 18
  router_.get("/alerts/critical", bind(get_critical_alerts));                                      // 19
  router_.get("/pnodes/compare", compare_query_schema(), bind(get_compare));                       // 20
  router_.get("/network/consistency", network_consistency_query_schema(),                          // 21
              bind(get_network_consistency));
  router_.get("/node/{address:path}/consistency", bind(get_node_consistency));                     // 22
  // Removed from the reference but still used by its tests and docs
  // (docs/reference-compat.md §1.5).
  router_.get("/registry", registry_list_query_schema(), bind(get_registry_list));
  router_.get("/all-nodes", all_nodes_query_schema(), bind(get_all_nodes));
  // Not in the reference: the event outbox (docs/events.md).
  router_.get("/events", events_query_schema(), bind(get_events));
  router_.get("/events/stream", events_stream_query_schema(), bind(get_events_stream));
  // Not in the reference: geography (issue 13).
  router_.get("/network/concentration", concentration_query_schema(), bind(get_network_concentration));
  router_.get("/pnodes/{address:path}/location", bind(get_node_location));
  router_.get("/network/credits", bind(get_network_credits));
  router_.get("/pnodes/{address:path}/credits", bind(get_node_credits));
  router_.get("/alerts/active", active_alerts_query_schema(), bind(get_active_alerts));
  router_.get("/alerts/history", alert_history_query_schema(), bind(get_alert_history));
  router_.add("POST", "/alerts/ack", {}, bind(post_alert_ack));
  router_.get("/silences", silences_query_schema(), bind(get_silences));
  router_.add("POST", "/silences", {}, bind(post_silence));
  router_.add("DELETE", "/silences/{id}", {}, bind(delete_silence));
  // Not in the reference: the notifications' delivery status and the subscriptions
  // (docs/notifications.md).
  router_.get("/notifications/status", bind(get_notifications_status));
  router_.get("/subscriptions", bind(get_subscriptions));
  router_.add("POST", "/subscriptions", {}, bind(post_subscription));
  router_.add("DELETE", "/subscriptions/{id}", {}, bind(delete_subscription));
  // Not in the reference: what the pods answered when probed directly (collect/prober.h).
  router_.get("/network/probe", bind(get_network_probe));
  // Not in the reference: availability from probes and credits history (issue 13).
  router_.get("/network/availability", bind(get_network_availability));
  router_.get("/pnodes/{address:path}/availability", node_availability_query_schema(), bind(get_node_availability));
  router_.get("/pnodes/{address:path}/probes", node_probes_query_schema(), bind(get_node_probes));
  router_.get("/pnodes/{address:path}/credits/history", node_credits_history_query_schema(),
              bind(get_node_credits_history));
  // Not in the reference: Prometheus metrics, last so it never shadows a reference route.
  if (config_.metrics) {
    router_.get("/metrics", [this](const rest::RouteRequest&) {
      http::Response response =
          http::Response::text(200, config_.metrics->render(hub_.current().get(), static_cast<double>(now())));
      response.content_type = Metrics::kContentType;
      return response;
    });
  }
  // The API's own documentation (FastAPI generates these in the reference): the committed
  // OpenAPI document, served compact; it never changes, so it is serialised once and shared.
  auto openapi_body = std::make_shared<const std::string>(compact_json(openapi_document()));
  router_.get("/openapi.json", [openapi_body](const rest::RouteRequest&) {
    http::Response response;
    response.body = openapi_body;
    return response;
  });
  router_.get("/docs", [](const rest::RouteRequest&) { return docs_page_response(); });
  router_.get("/redoc", [](const rest::RouteRequest&) { return docs_page_response(); });
}

namespace {

bool has_header(const http::Response& r, std::string_view name) { return !http::find_header(r.headers, name).empty(); }

// Every answer: no MIME sniffing and no framing by other sites. HTML without a policy of
// its own (the dashboard; /docs brings a stricter one) may load and call its own origin
// only: scripts from its files, no plugins, no base or form redirection. Inline style
// attributes stay allowed (the dashboard sets bar widths that way).
void add_security_headers(http::Response& r) {
  if (!has_header(r, "x-content-type-options")) r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (!has_header(r, "x-frame-options")) r.headers.emplace_back("X-Frame-Options", "DENY");
  if (r.content_type.rfind("text/html", 0) == 0 && !has_header(r, "content-security-policy"))
    r.headers.emplace_back("Content-Security-Policy", std::string(kDashboardCsp));
}

}  // namespace

http::Response Api::handle(const http::Request& request) const {
  std::string_view route;  // a route pattern, never the raw path: bounded label values
  auto started = std::chrono::steady_clock::now();
  std::optional<http::Response> refused = rate_limit_.check(request, started);
  http::Response response = refused ? *std::move(refused) : respond(request, config_.metrics ? &route : nullptr);
  add_security_headers(response);
  if (config_.metrics)
    config_.metrics->record_request(route.empty() ? Metrics::kUnmatchedRoute : route, request.method, response.status,
                                    std::chrono::steady_clock::now() - started);
  return response;
}

http::Response Api::respond(const http::Request& request, std::string_view* route) const {
  try {
    // The dashboard's files (loaded at start-up) before the routes, except on a path an
    // API route owns; "/" is the dashboard only for browsers (StaticFiles checks Accept).
    if (config_.static_files) {
      if (auto file = config_.static_files->answer(request, route)) {
        if (rest::Router::split_target(request.target).first == "/" || router_.route_pattern(request.target).empty())
          return *std::move(file);
      }
    }
    if (rest::Cors::is_preflight(request)) {
      if (route) *route = router_.route_pattern(request.target);
      return cors_.preflight(request);
    }
    http::Response response = router_.dispatch(request, route);
    cors_.decorate(request, response);
    // ETag / 304 and gzip on cacheable answers (memoised per cached body).
    rest::apply_http_caching(request, response, state_->encoded_bodies);
    // HEAD keeps the GET body here: http::Server sends its Content-Length and drops it.
    return response;
  } catch (const std::exception&) {
    // Like the reference: a bare 500 without CORS headers, and no exception text leaks.
    return internal_error();
  }
}

http::Handler Api::handler() const {
  return [this](const http::Request& request) { return handle(request); };
}

std::function<void()> Api::prepare(const std::shared_ptr<const model::Snapshot>& next) const {
  return prepare_all_nodes(*this, next);
}

}  // namespace pnode::api
