// Api: the REST API of the service, compatible with the reference (reference-api.md §1):
// the route table in the reference's order, query validation, CORS, and the handlers,
// behind one function the HTTP server calls for every request. Snapshot routes read the
// current Snapshot from the SnapshotHub (never the store, never pRPC); history routes
// read the optional Store.
//
// Deliberate differences from the reference (documented in the README):
//   - HEAD is answered on every GET route (headers only; the reference answers 405).
//     handle() returns the GET response, body included, and http::Server sends its
//     headers and Content-Length without the body.
//   - /pnodes counts and aggregates are status-independent; status only filters the list.
//   - /pnodes?skip=-1 is a 422 greater_than_equal (the reference used Python slicing).
//   - CORS "https://*.suffix" origins are real wildcards.
//   - /health adds "uptime" (process uptime in seconds).
//
// Thread-safety: construct once, then handle() may run concurrently on every server
// thread; it reads immutable state, the hub and lock-free per-snapshot memos.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/cors.h"
#include "api/router.h"
#include "api/snapshot_hub.h"
#include "http/message.h"

namespace pnode::store {
class Store;
}

namespace pnode::api {

// Unix seconds now, from the system clock.
int64_t system_unix_seconds();

struct RouteState;  // routes.h: per-snapshot memos the handlers share
class Metrics;      // metrics.h

struct ApiConfig {
  int64_t cache_ttl = 60;  // CACHE_TTL seconds; "online"/"healthy" windows are 2x this
  std::vector<std::string> cors_origins = default_cors_origins();
  int64_t process_start = 0;         // unix s; /health "uptime" counts from here
  std::function<int64_t()> clock;    // unix s "now"; null means system_unix_seconds
  // When set (it must outlive the Api): every request is counted in it and GET /metrics
  // serves it.
  Metrics* metrics = nullptr;
};

class Api {
 public:
  // `hub` (and `store`, when given) must outlive the Api.
  Api(ApiConfig config, const SnapshotHub& hub, store::Store* store = nullptr);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Answers one request: CORS preflight, routing, validation, the handler, CORS headers,
  // an exception in a handler becomes the reference's plain-text 500.
  http::Response handle(const http::Request& request) const;

  // handle() as an http::Handler for http::Server (captures this).
  http::Handler handler() const;

  // For the handlers.
  int64_t now() const { return config_.clock ? config_.clock() : system_unix_seconds(); }
  const ApiConfig& config() const { return config_; }
  const SnapshotHub& hub() const { return hub_; }
  store::Store* store() const { return store_; }
  const RouteState& route_state() const { return *state_; }

 private:
  void register_routes();
  // handle() without the metrics; `route` (when given) receives the matched route pattern.
  http::Response respond(const http::Request& request, std::string_view* route) const;

  ApiConfig config_;
  const SnapshotHub& hub_;
  store::Store* store_;
  std::unique_ptr<RouteState> state_;
  Cors cors_;
  Router router_;
};

}  // namespace pnode::api
