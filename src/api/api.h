// Api: the REST API of the service, compatible with the reference (docs/reference-compat.md §1):
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
//   - "Online" has one definition everywhere: the address is in the latest merged gossip
//     view. That is /pnodes' is_online and also the is_online of /registry/{a}, /registry,
//     /network/consistency and /node/{a}/consistency (the reference used "gossip
//     last_seen within 2×TTL" there); every other registry address is offline, so no
//     node vanishes between the two and /pnodes/{a}/alerts finds every registry node.
//   - Internal "no snapshot" answers 503 with the JSON-RPC body on every snapshot route
//     (the reference crashed with a plain 500 on most, and /all-nodes answered 200).
//   - /registry/{a}: "entry" adds the unified-node fields scores, score, tier,
//     peer_sources and peer_count, and the body a top-level last_updated. Registry docs
//     always carry the gossip counters (initialised when a node is first seen).
//   - "_id" is a stable string instead of an ObjectId: the address for registry and
//     status docs, the timestamp for /network/history items, "address@timestamp" for
//     /node/{a}/history items.
//   - DELETE /prune needs "Authorization: Bearer <admin_token>" (403 when no token is
//     configured, 401 for a wrong or missing one) and days >= 1; it removes the entries
//     from the store and, through ApiConfig::prune, from what is served. A client whose
//     wrong tokens exhaust admin_failure_limit gets 429 with Retry-After, whatever token
//     it sends, until its bucket refills.
//   - Per-client rate limit (ApiConfig::rate_limit, rest/client_rate_limit.h): a client
//     over its limit gets 429 {"detail":"Too Many Requests"} with Retry-After.
//   - /graveyard validates days >= 1, skip >= 0, 1 <= limit <= 1000, and the legacy
//     /registry skip >= 0 (422); huge day counts saturate instead of overflowing.
//   - /network/health works (the reference always answered 500) and its summary adds
//     total_storage (= network_stats.total_storage_committed).
//   - /alerts/critical is /alerts?severity=critical over the first 1000 nodes, with
//     correct counts and filters.alert_type null.
//   - /recommendations implements the documented min_score (0-100), echoed as
//     filters.min_score (null when absent); score ties go to uptime, then address.
//   - /pnodes/compare rejects duplicate addresses with 400 {"error","duplicates",
//     "example"}; each winner starts from the first node listed (never a null address).
//   - History routes: readable times are UTC ("... UTC"); /network/history items add
//     online_pnodes; /node/{a}/history samples carry real scores and online flags but no
//     peer_sources (the store keeps only peer_count), and the unavailable form adds
//     planned_for and alternative; /nodes/history-status counts every node with history
//     (the list still shows the 100 with most samples) and its global stats cover all.
//   - Store errors answer fixed messages, never the driver's text: /network/history and
//     /network/growth (no error form in the reference) a 500 JSON-RPC "Failed to read
//     network history"; the others their reference shapes.
//   - /all-nodes: each seed's "pods" (and merged_pnodes_raw) are the merged nodes that
//     seed listed, in merged order, with the merged copy's values (raw per-seed lists
//     are not kept in memory); there is no pods_raw; the summary adds seeds_responding.
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

#include "analysis/alert_lifecycle.h"
#include "api/errors.h"
#include "api/notification_status.h"
#include "api/snapshot_hub.h"
#include "api/subscription_catalog.h"
#include "model/cycle_stats.h"
#include "http/message.h"
#include "rest/client_rate_limit.h"
#include "rest/cors.h"
#include "rest/rate_limiter.h"
#include "rest/router.h"
#include "util/result.h"

namespace pnode::store {
class Store;
}

namespace pnode::collect {
struct CreditsState;  // collect/credits_poller.h
}  // namespace pnode::collect

namespace pnode::rest {
class StaticFiles;  // rest/static_files.h
}

namespace pnode::api {

class EventHub;

// Unix seconds now, from the system clock.
int64_t system_unix_seconds();

struct RouteState;  // routes.h: per-snapshot memos the handlers share
class Metrics;      // metrics.h
class GeographyIndex;  // geography.h

// The Content-Security-Policy of the dashboard's HTML: its own origin only.
inline constexpr std::string_view kDashboardCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

struct ApiConfig {
  int64_t cache_ttl = 60;  // CACHE_TTL seconds; "online"/"healthy" windows are 2x this
  std::vector<std::string> cors_origins = rest::default_cors_origins();
  int64_t process_start = 0;         // unix s; /health "uptime" counts from here
  std::function<int64_t()> clock;    // unix s "now"; null means system_unix_seconds
  // DELETE /prune and the mutations of silences and acknowledgements need
  // "Authorization: Bearer <admin_token>"; empty disables them (403).
  std::string admin_token;
  // DELETE /prune: removes registry entries whose last_seen < cutoff (unix s) and returns
  // how many. The app wires it to the store AND the collector's in-memory registry, so
  // pruned entries also leave what is served (the collector's next snapshot no longer
  // has them). Unset: the store alone is pruned (Store::prune_registry), and the served
  // snapshot keeps the entries until the registry is reloaded.
  std::function<Result<int64_t>(int64_t cutoff)> prune;
  // When set (it must outlive the Api): every request is counted in it and GET /metrics
  // serves it.
  Metrics* metrics = nullptr;
  // When set: the built dashboard, served before the routes for its own paths (never a
  // path an API route owns), and at "/" for requests that accept text/html.
  std::shared_ptr<const rest::StaticFiles> static_files;
  // When set: the collector's standing. /health says "degraded", with the reason, while
  // the latest cycles were inconclusive (too few seeds answered), and while the store is
  // not recording the cycles (writes failing, or the database opened read-only).
  std::function<model::CollectionStatus()> collection_status;
  // Requests per client IP or API key (loopback exempt by default); see
  // rest/client_rate_limit.h.
  rest::ClientRateLimitConfig rate_limit;
  // Wrong admin tokens per client: a burst of 5, then one more every minute.
  rest::RateLimit admin_failure_limit{1.0 / 60, 5};
  // When set (with a store): GET /events/stream serves the events it publishes
  // (api/event_hub.h); unset, that route answers 503.
  std::shared_ptr<EventHub> event_hub;
  // Where nodes are (api/geography.h): unset, /network/concentration and
  // /pnodes/{address}/location answer 503 and /network/analytics has no concentration.
  std::shared_ptr<const GeographyIndex> geography;
  // The pod-credits poller's latest state (collect/credits_poller.h); unset or with no
  // source configured, /network/credits and /pnodes/{address}/credits answer 503.
  std::function<std::shared_ptr<const collect::CreditsState>()> credits;
  // Bounds on the silences and acknowledgements the API takes (POST /silences,
  // POST /alerts/ack).
  analysis::AlertLimits alert_limits;
  // Each notification subscription's delivery status, for GET /notifications/status
  // (admin token); unset, that route lists none.
  NotificationStatusSource notification_status;
  // How GET/POST /subscriptions and DELETE /subscriptions/{id} (admin token) read, check
  // and describe subscriptions; unset (no `check`) or without a store, they answer 503.
  SubscriptionCatalog subscriptions;
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

  // Builds, on the calling thread, the biggest bodies (/all-nodes, tens of MB at 10k pods)
  // that clients asked for on earlier snapshots, for `next`, so an I/O thread never spends
  // hundreds of milliseconds building one while other clients wait (/pnodes items are
  // serialised a page's nodes at a time instead: routes.h NodeFragments). Call it before
  // publishing `next` to the hub, and the returned action right after. Thread-safe.
  std::function<void()> prepare(const std::shared_ptr<const model::Snapshot>& next) const;

  // For the handlers.
  int64_t now() const { return config_.clock ? config_.clock() : system_unix_seconds(); }
  const ApiConfig& config() const { return config_; }
  const SnapshotHub& hub() const { return hub_; }
  store::Store* store() const { return store_; }
  const RouteState& route_state() const { return *state_; }
  // Failed admin-token attempts by client IP (every admin route: refuse_unless_admin()).
  rest::RateLimiter& admin_failures() const { return admin_failures_; }
  // The route table (the OpenAPI document is generated from it).
  const rest::Router& router() const { return router_; }

 private:
  void register_routes();
  // handle() without the metrics; `route` (when given) receives the matched route pattern.
  http::Response respond(const http::Request& request, std::string_view* route) const;

  ApiConfig config_;
  const SnapshotHub& hub_;
  store::Store* store_;
  std::unique_ptr<RouteState> state_;
  rest::Cors cors_;
  mutable rest::ClientRateLimit rate_limit_;
  mutable rest::RateLimiter admin_failures_{10000};
  rest::Router router_{reference_router_errors()};  // answers 404/405/422 as the reference does
};

}  // namespace pnode::api
