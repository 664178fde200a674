#include "api/api.h"

#include <exception>

#include "api/errors.h"
#include "api/metrics.h"
#include "api/routes.h"

namespace pnode::api {

int64_t system_unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Api::Api(ApiConfig config, const SnapshotHub& hub, store::Store* store)
    : config_(std::move(config)),
      hub_(hub),
      store_(store),
      state_(std::make_unique<RouteState>()),
      cors_(config_.cors_origins) {
  register_routes();
}

Api::~Api() = default;

// The reference's route table (§1.0) in its registration order: the router takes the
// first route that fits, so the order is part of the contract.
void Api::register_routes() {
  auto bind = [this](http::Response (*fn)(const Api&, const RouteRequest&)) {
    return [this, fn](const RouteRequest& request) { return fn(*this, request); };
  };
  router_.get("/health", bind(get_health));                           // 1
  router_.get("/", bind(get_root));                                   // 2
  //                    /registry/{address:path}                         3
  //          DELETE    /prune                                           4
  //                    /graveyard                                       5
  router_.get("/pnodes", pnodes_query_schema(), bind(get_pnodes));    // 6
  //                    /recommendations                                 7
  //                    /network/topology                                8
  //                    /network/health                                  9
  //                    /operators                                      10
  //                    /network/history                                11
  //                    /network/growth                                 12
  //                    /network/analytics                              13
  //                    /node/{address:path}/history                    14
  //                    /node/{address:path}/metrics-summary            15
  //                    /nodes/history-status                           16
  //                    /pnodes/{address:path}/alerts                   17
  //                    /alerts                                         18
  //                    /alerts/critical                                19
  //                    /pnodes/compare                                 20
  //                    /network/consistency                            21
  //                    /node/{address:path}/consistency                22
  // Not in the reference: Prometheus metrics, last so it never shadows a reference route.
  if (config_.metrics) {
    router_.get("/metrics", [this](const RouteRequest&) {
      http::Response response =
          http::Response::text(200, config_.metrics->render(hub_.current().get(), static_cast<double>(now())));
      response.content_type = Metrics::kContentType;
      return response;
    });
  }
}

http::Response Api::handle(const http::Request& request) const {
  if (!config_.metrics) return respond(request, nullptr);
  auto started = std::chrono::steady_clock::now();
  std::string_view route;  // a route pattern, never the raw path: bounded label values
  http::Response response = respond(request, &route);
  config_.metrics->record_request(route.empty() ? Metrics::kUnmatchedRoute : route, request.method, response.status,
                                  std::chrono::steady_clock::now() - started);
  return response;
}

http::Response Api::respond(const http::Request& request, std::string_view* route) const {
  try {
    if (Cors::is_preflight(request)) {
      if (route) *route = router_.route_pattern(request.target);
      return cors_.preflight(request);
    }
    http::Response response = router_.dispatch(request, route);
    cors_.decorate(request, response);
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

}  // namespace pnode::api
