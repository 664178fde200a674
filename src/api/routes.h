// The route handlers of Api, one function per route, grouped by resource in
// routes_<resource>.cc; Api::register_routes() wires them in the reference's order.
// Each route with query parameters declares them in a *_query_schema() here (the router
// validates them before the handler runs; the OpenAPI document can read them too).
// Internal to api/: other units use Api.
// Thread-safety: every handler is a const read of the Api and the current snapshot; the
// shared caches in RouteState are lock-free per-snapshot memos.
#pragma once

#include <atomic>
#include <functional>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/insights.h"
#include "analysis/operators.h"
#include "api/api.h"
#include "api/geography.h"
#include "api/page_cache.h"
#include "api/per_snapshot.h"
#include "api/stamped_body.h"
#include "http/message.h"
#include "rest/http_caching.h"
#include "rest/query.h"
#include "rest/router.h"
#include "store/store.h"
#include "util/json_writer.h"

namespace pnode::api {

// The route handlers speak the generic REST plumbing's types; these keep their
// signatures and query schemas short.
using rest::bool_param;
using rest::float_param;
using rest::int_param;
using rest::QuerySchema;
using rest::RouteRequest;
using rest::sanitize_utf8;
using rest::str_param;

// The snapshot's /pnodes list items in NodeViews order, each serialised the first time a
// page shows it and then shared by every later page: an uncached page is its nodes' items
// joined, not each node written anew, and memory grows with the nodes pages show (a first
// page of 100 costs 100 items, not the ~15 MB of every item at 10k pods).
// Thread-safety: of() may be called from any thread; two threads racing on one node may
// both serialise it (one result is kept).
class NodeFragments {
 public:
  NodeFragments() = default;
  explicit NodeFragments(const model::Snapshot& snapshot);
  NodeFragments(NodeFragments&&) noexcept = default;
  NodeFragments& operator=(NodeFragments&&) noexcept = delete;
  ~NodeFragments();

  // Node i's item; `snapshot` is the one these fragments were made for.
  std::string_view of(size_t i, const model::Snapshot& snapshot) const;
  // How many items were serialised so far (tests).
  size_t built() const;

  // Node i's status, packed: a page's walk past `skip` nodes reads these 10 KB at 10k
  // pods instead of touching each node's view.
  std::vector<uint8_t> online;

 private:
  std::unique_ptr<std::atomic<const std::string*>[]> items_;  // online.size() of them
};

// What handlers derive once per snapshot and share between requests (see PerSnapshot and
// StampedBody). Routes cache only their parameterless or default forms.
struct RouteState {
  PerSnapshot<std::string> network_stats_json;  // /pnodes "network_stats", serialised
  // Registry positions by last_seen descending (ties by address): /registry, /graveyard.
  PerSnapshot<std::vector<uint32_t>> registry_by_last_seen;

  StampedBody topology;                 // /network/topology
  StampedBody network_health;           // /network/health
  StampedBody analytics;                // /network/analytics
  StampedBody operators_default;        // /operators (limit 100, min_nodes 1)
  // Every operator (min_nodes 1, no limit), grouped on the first /operators request of a
  // snapshot rather than in every cycle (100k groups cost the cycle ~5% at 100k pods).
  PerSnapshot<analysis::OperatorReport> operators_all;
  StampedBody recommendations_default;  // /recommendations (limit 10, 7 days, any)
  StampedBody alerts_default;           // /alerts (no filter, limit 100)
  StampedBody alerts_critical;          // /alerts/critical
  StampedBody network_probe;            // /network/probe
  PerSnapshot<std::string> all_nodes[3];  // /all-nodes: whole data, raw, unique
  PerSnapshot<Geography> geography;       // /network/concentration, /pnodes/{a}/location, analytics

  PerSnapshot<NodeFragments> node_fragments;  // /pnodes items (uncached pages)
  PageCache pnodes_pages{64};  // /pnodes pages by (status, sort_by, sort_order, limit, skip)
  // ETags and gzipped copies of response bodies, by body identity (http_caching.h).
  rest::EncodedBodies encoded_bodies{256};
};

// routes_status.cc: GET /health, GET /.
http::Response get_health(const Api& api, const RouteRequest& request);
http::Response get_root(const Api& api, const RouteRequest& request);

// routes_registry.cc: GET /registry/{address:path}, DELETE /prune, GET /graveyard and
// the legacy GET /registry list.
http::Response get_registry_entry(const Api& api, const RouteRequest& request);
const QuerySchema& prune_query_schema();
http::Response delete_prune(const Api& api, const RouteRequest& request);
const QuerySchema& graveyard_query_schema();
http::Response get_graveyard(const Api& api, const RouteRequest& request);
const QuerySchema& registry_list_query_schema();
http::Response get_registry_list(const Api& api, const RouteRequest& request);

// routes_pnodes.cc: GET /pnodes.
const QuerySchema& pnodes_query_schema();
http::Response get_pnodes(const Api& api, const RouteRequest& request);

// routes_nodes.cc: GET /recommendations, GET /operators, GET /pnodes/compare.
const QuerySchema& recommendations_query_schema();
http::Response get_recommendations(const Api& api, const RouteRequest& request);
const QuerySchema& operators_query_schema();
http::Response get_operators(const Api& api, const RouteRequest& request);
const QuerySchema& compare_query_schema();
http::Response get_compare(const Api& api, const RouteRequest& request);

// routes_network.cc: GET /network/topology, /network/health, /network/analytics and the
// legacy GET /all-nodes.
http::Response get_network_topology(const Api& api, const RouteRequest& request);
http::Response get_network_health(const Api& api, const RouteRequest& request);
http::Response get_network_analytics(const Api& api, const RouteRequest& request);
// Not in the reference: the latest probe round's coverage (collect/prober.h).
http::Response get_network_probe(const Api& api, const RouteRequest& request);
const QuerySchema& all_nodes_query_schema();
http::Response get_all_nodes(const Api& api, const RouteRequest& request);
// The /all-nodes bodies clients asked for on earlier snapshots, built for `next`; the
// returned action installs them (Api::prepare).
std::function<void()> prepare_all_nodes(const Api& api, const std::shared_ptr<const model::Snapshot>& next);

// routes_history.cc (read the store): GET /network/history, /network/growth,
// /node/{address:path}/history, /node/{address:path}/metrics-summary,
// /nodes/history-status.
const QuerySchema& network_history_query_schema();
http::Response get_network_history(const Api& api, const RouteRequest& request);
const QuerySchema& network_growth_query_schema();
http::Response get_network_growth(const Api& api, const RouteRequest& request);
const QuerySchema& node_history_query_schema();
http::Response get_node_history(const Api& api, const RouteRequest& request);
const QuerySchema& node_metrics_query_schema();
http::Response get_node_metrics_summary(const Api& api, const RouteRequest& request);
http::Response get_history_status(const Api& api, const RouteRequest& request);

// routes_alerts.cc: GET /pnodes/{address:path}/alerts, /alerts, /alerts/critical.
const QuerySchema& node_alerts_query_schema();
http::Response get_node_alerts(const Api& api, const RouteRequest& request);
const QuerySchema& alerts_query_schema();
http::Response get_alerts(const Api& api, const RouteRequest& request);
http::Response get_critical_alerts(const Api& api, const RouteRequest& request);

// routes_consistency.cc: GET /network/consistency, /node/{address:path}/consistency.
const QuerySchema& network_consistency_query_schema();
http::Response get_network_consistency(const Api& api, const RouteRequest& request);
http::Response get_node_consistency(const Api& api, const RouteRequest& request);

// routes_geography.cc (not in the reference): GET /network/concentration,
// GET /pnodes/{address:path}/location. snapshot_geography() is null without a location
// database.
std::shared_ptr<const Geography> snapshot_geography(const Api& api, const std::shared_ptr<const model::Snapshot>& s);
const QuerySchema& concentration_query_schema();
http::Response get_network_concentration(const Api& api, const RouteRequest& request);
http::Response get_node_location(const Api& api, const RouteRequest& request);

// routes_credits.cc (not in the reference): GET /network/credits,
// GET /pnodes/{address:path}/credits.
http::Response get_network_credits(const Api& api, const RouteRequest& request);
http::Response get_node_credits(const Api& api, const RouteRequest& request);

// routes_availability.cc (not in the reference): GET /pnodes/{address:path}/availability,
// GET /pnodes/{address:path}/probes (latency over time, api/latency_timeline.h)
// and GET /pnodes/{address:path}/credits/history (read the store), GET
// /network/availability (the snapshot's availability table with gossip presence and credits).
const QuerySchema& node_availability_query_schema();
http::Response get_node_availability(const Api& api, const RouteRequest& request);
const QuerySchema& node_probes_query_schema();
http::Response get_node_probes(const Api& api, const RouteRequest& request);
const QuerySchema& node_credits_history_query_schema();
http::Response get_node_credits_history(const Api& api, const RouteRequest& request);
http::Response get_network_availability(const Api& api, const RouteRequest& request);

// routes_events.cc (read the store's event outbox): GET /events, GET /events/stream.
const QuerySchema& events_query_schema();
http::Response get_events(const Api& api, const RouteRequest& request);
const QuerySchema& events_stream_query_schema();
http::Response get_events_stream(const Api& api, const RouteRequest& request);
// write_stored_event(): api/event_hub.h.

// routes_alerts_lifecycle.cc (the alert lifecycle's shared state in the store,
// docs/events.md): GET /alerts/active, GET /alerts/history, GET/POST /silences,
// DELETE /silences/{id}, POST /alerts/ack. The mutations need the admin token.
const QuerySchema& active_alerts_query_schema();
http::Response get_active_alerts(const Api& api, const RouteRequest& request);
const QuerySchema& alert_history_query_schema();
http::Response get_alert_history(const Api& api, const RouteRequest& request);
const QuerySchema& silences_query_schema();
http::Response get_silences(const Api& api, const RouteRequest& request);
http::Response post_silence(const Api& api, const RouteRequest& request);
http::Response delete_silence(const Api& api, const RouteRequest& request);
http::Response post_alert_ack(const Api& api, const RouteRequest& request);

// routes_notifications.cc: GET /notifications/status (admin token).
http::Response get_notifications_status(const Api& api, const RouteRequest& request);

// routes_subscriptions.cc: GET /subscriptions, POST /subscriptions,
// DELETE /subscriptions/{id} (admin token; docs/notifications.md).
http::Response get_subscriptions(const Api& api, const RouteRequest& request);
http::Response post_subscription(const Api& api, const RouteRequest& request);
http::Response delete_subscription(const Api& api, const RouteRequest& request);

}  // namespace pnode::api
