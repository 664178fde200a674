// Availability and credits history routes (issue 13, parts 2 and 3; not in the
// reference). GET /pnodes/{address}/availability, GET /pnodes/{address}/probes (latency
// over time) and GET /pnodes/{address}/credits/history read the store (sessions, probe and
// credits history, so a follower serves what the leader wrote); GET /network/availability
// lists every probed pod's summary from the snapshot beside its gossip presence and its
// credits, for a stakers' filter.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/availability.h"
#include "analysis/node_view.h"
#include "api/errors.h"
#include "api/latency_timeline.h"
#include "api/probe_json.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "collect/credits_poller.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

constexpr int64_t kHour = 3600;
// Probes read for one window's latency and counts: above a month of one-minute rounds.
constexpr size_t kMaxProbesRead = 50000;
// Latency timeline buckets: the default width aims at this many, a requested one is
// widened to give at most the most (a day of one-minute buckets).
constexpr int64_t kTargetLatencyBuckets = 200;
constexpr int64_t kMaxLatencyBuckets = 1440;

http::Response node_not_found(const std::string& address) {
  JsonWriter w;
  w.begin_object().field("error", "Node not found: " + address);
  w.field("suggestion", "Check /pnodes for valid addresses").end_object();
  return json_response(404, w.take());
}

// Known as a node (gossip) or as a probed pod (probing, discovered pods included).
bool known_pod(const model::Snapshot& s, const std::string& address) {
  return (s.views && s.views->find(address)) || (s.availability && s.availability->find(address)) ||
         (s.probe && s.probe->find(address));
}

// What a pod's routes over the store start from; `refusal` is their answer when they
// cannot: no snapshot yet or no store (503), or a pod neither gossiped nor probed (404).
struct PodHistory {
  SnapshotHub::SnapshotPtr snapshot;
  store::Store* store = nullptr;
  std::optional<http::Response> refusal;
};

PodHistory pod_history(const Api& api, const std::string& address) {
  PodHistory pod{api.hub().current(), api.store(), std::nullopt};
  if (!pod.snapshot)
    pod.refusal = snapshot_unavailable();
  else if (!known_pod(*pod.snapshot, address))
    pod.refusal = node_not_found(address);
  else if (!pod.store)
    pod.refusal = jsonrpc_error(503, "History store unavailable");
  return pod;
}

void write_shares(JsonWriter& w, const std::vector<model::AvailabilitySession>& sessions, int64_t now) {
  const std::pair<const char*, int64_t> windows[] = {{"24h", analysis::kDaySeconds},
                                                     {"7d", 7 * analysis::kDaySeconds},
                                                     {"30d", 30 * analysis::kDaySeconds}};
  w.key("uptime").begin_object();
  for (auto [name, seconds] : windows) w.field(name, analysis::uptime_share(analysis::window_time(sessions, now - seconds, now)));
  w.end_object();
  w.key("coverage").begin_object();
  for (auto [name, seconds] : windows)
    w.field(name, static_cast<double>(analysis::window_time(sessions, now - seconds, now).known_seconds) /
                      static_cast<double>(seconds));
  w.end_object();
}

void write_window(JsonWriter& w, const std::vector<model::AvailabilitySession>& sessions,
                  const std::vector<store::ProbeRecord>& probes, int64_t from, int64_t now) {
  analysis::WindowTime time = analysis::window_time(sessions, from, now);
  std::vector<double> latencies;
  std::map<std::string, uint64_t> failures;
  for (const auto& p : probes) {
    if (p.reachable)
      latencies.push_back(p.total_ms);
    else
      ++failures[p.failure];
  }
  analysis::LatencyStats latency = analysis::latency_stats(latencies);
  w.key("window").begin_object();
  w.field("from", from).field("to", now);
  w.field("uptime", analysis::uptime_share(time));
  w.field("coverage", static_cast<double>(time.known_seconds) / static_cast<double>(std::max<int64_t>(now - from, 1)));
  w.field("unknown_seconds", (now - from) - time.known_seconds);
  w.field("probes", static_cast<uint64_t>(probes.size())).field("answered", static_cast<uint64_t>(latencies.size()));
  w.field("latency_mean_ms", latency.mean_ms).field("latency_p95_ms", latency.p95_ms);
  w.key("failures").begin_object();
  for (const auto& [kind, count] : failures) w.field(kind, count);
  w.end_object().end_object();
}

void write_sessions(JsonWriter& w, const std::vector<model::AvailabilitySession>& sessions, int64_t from,
                    size_t limit) {
  std::vector<const model::AvailabilitySession*> in_window;
  for (const auto& s : sessions)
    if (s.covered_until() >= from) in_window.push_back(&s);
  const size_t skip = in_window.size() > limit ? in_window.size() - limit : 0;  // the newest `limit`
  w.field("sessions_total", static_cast<uint64_t>(in_window.size()));
  w.key("sessions").begin_array();
  for (size_t i = skip; i < in_window.size(); ++i) {
    const model::AvailabilitySession& s = *in_window[i];
    w.begin_object().field("state", s.up ? "up" : "down").field("started_at", s.started_at);
    w.field("ended_at", s.ended_at).field("last_probe_at", s.last_probe_at);
    w.field("duration_seconds", s.covered_until() - s.started_at).end_object();
  }
  w.end_array();
}

void write_latency_figures(JsonWriter& w, const LatencyFigures& f) {
  w.field("probes", f.probes).field("answered", f.answered);
  w.field("latency_mean_ms", f.mean_ms).field("latency_p95_ms", f.p95_ms).field("latency_max_ms", f.max_ms);
  w.field("connect_mean_ms", f.connect_mean_ms);
}

const analysis::CreditStanding* standing_of(const collect::CreditsState* credits, const std::string& pubkey) {
  if (!credits || pubkey.empty()) return nullptr;
  auto it = credits->view.by_pubkey.find(pubkey);
  return it == credits->view.by_pubkey.end() ? nullptr : &it->second;
}

}  // namespace

const QuerySchema& node_availability_query_schema() {
  static const QuerySchema schema{int_param("hours").def(168).ge(1).le(720), int_param("limit").def(200).ge(1).le(1000)};
  return schema;
}

http::Response get_node_availability(const Api& api, const RouteRequest& request) {
  const std::string& address = request.path_param("address");
  PodHistory pod = pod_history(api, address);
  if (pod.refusal) return std::move(*pod.refusal);
  const auto& snapshot = pod.snapshot;
  store::Store* store = pod.store;
  const int64_t now = api.now();
  const int64_t from = seconds_before(now, request.query.integer("hours"), kHour);
  auto sessions = store->availability_sessions(address, now - analysis::kAvailabilityHorizon);
  auto probes = store->probe_history(address, from, now, kMaxProbesRead);
  if (!sessions.ok() || !probes.ok()) return jsonrpc_error(503, "History store unavailable");
  const model::PodAvailability* current = snapshot->availability ? snapshot->availability->find(address) : nullptr;
  JsonWriter w;
  w.begin_object().field("address", address).field("hours", request.query.integer("hours"));
  write_availability_state(w, current);
  w.field("up_since", current ? current->up_since : std::nullopt);
  w.field("down_since", current ? current->down_since : std::nullopt);
  write_shares(w, *sessions, now);
  write_window(w, *sessions, *probes, from, now);
  write_sessions(w, *sessions, from, static_cast<size_t>(request.query.integer("limit")));
  w.field("timestamp", now).end_object();
  return json_response(200, w.take());
}

const QuerySchema& node_probes_query_schema() {
  static const QuerySchema schema{int_param("hours").def(24).ge(1).le(720), int_param("bucket_minutes").ge(1).le(1440)};
  return schema;
}

http::Response get_node_probes(const Api& api, const RouteRequest& request) {
  const std::string& address = request.path_param("address");
  PodHistory pod = pod_history(api, address);
  if (pod.refusal) return std::move(*pod.refusal);
  const int64_t now = api.now();
  const int64_t from = seconds_before(now, request.query.integer("hours"), kHour);
  auto probes = pod.store->probe_history(address, from, now, kMaxProbesRead);
  if (!probes.ok()) return jsonrpc_error(503, "History store unavailable");
  std::optional<int64_t> requested = request.query.opt_integer("bucket_minutes");
  if (requested) *requested *= 60;
  const int64_t width = bucket_width_seconds(now - from, requested, kTargetLatencyBuckets, kMaxLatencyBuckets);
  const LatencyTimeline timeline = latency_timeline(*probes, from, now, width);
  JsonWriter w;
  w.begin_object().field("address", address).field("hours", request.query.integer("hours"));
  w.field("bucket_minutes", width / 60).field("from", from).field("to", now);
  w.key("overall").begin_object();
  write_latency_figures(w, timeline.overall);
  w.end_object();
  w.key("buckets").begin_array();
  for (const auto& b : timeline.buckets) {
    w.begin_object().field("start", b.start);
    write_latency_figures(w, b.figures);
    w.end_object();
  }
  w.end_array();
  w.field("timestamp", now).end_object();
  return json_response(200, w.take());
}

const QuerySchema& node_credits_history_query_schema() {
  static const QuerySchema schema{int_param("hours").def(168).ge(1).le(2160), int_param("limit").def(1000).ge(1).le(5000)};
  return schema;
}

http::Response get_node_credits_history(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views) return snapshot_unavailable();
  const std::string& address = request.path_param("address");
  const analysis::NodeView* node = snapshot->views->find(address);
  if (!node) return node_not_found(address);
  store::Store* store = api.store();
  if (!store) return jsonrpc_error(503, "History store unavailable");
  const int64_t now = api.now();
  std::vector<store::CreditRecord> rows;
  if (!node->pubkey.empty()) {
    auto read = store->credits_history(node->pubkey, seconds_before(now, request.query.integer("hours"), kHour), now,
                                       static_cast<size_t>(request.query.integer("limit")));
    if (!read.ok()) return jsonrpc_error(503, "History store unavailable");
    rows = std::move(*read);
  }
  JsonWriter w;
  w.begin_object().field("address", address).field("pubkey", node->pubkey);
  w.field("hours", request.query.integer("hours")).field("count", static_cast<uint64_t>(rows.size()));
  w.key("history").begin_array();
  for (const auto& r : rows) w.begin_object().field("at", r.at).field("credits", r.credits).field("network", r.network).end_object();
  w.end_array();
  w.field("timestamp", now).end_object();
  return json_response(200, w.take());
}

http::Response get_network_availability(const Api& api, const RouteRequest&) {
  auto snapshot = api.hub().current();
  if (!snapshot) return snapshot_unavailable();
  const model::AvailabilityTable* table = snapshot->availability.get();
  std::shared_ptr<const collect::CreditsState> credits = api.config().credits ? api.config().credits() : nullptr;
  std::map<std::string_view, const model::PodAvailability*> sorted;
  if (table)
    for (const auto& [address, a] : table->by_address) sorted.emplace(address, &a);
  JsonWriter w;
  w.begin_object().field("computed_at", table ? std::optional<int64_t>(table->computed_at) : std::nullopt);
  w.field("pods", static_cast<uint64_t>(sorted.size()));
  w.field("credits_configured", credits && (credits->mainnet.configured || credits->devnet.configured));
  w.key("nodes").begin_array();
  for (const auto& [address, a] : sorted) {
    const std::string key(address);
    const analysis::NodeView* node = snapshot->views ? snapshot->views->find(key) : nullptr;
    const model::PodProbe* probe = snapshot->probe ? snapshot->probe->find(key) : nullptr;
    std::string pubkey = node ? node->pubkey : (probe && probe->pubkey ? *probe->pubkey : std::string());
    w.begin_object().field("address", address).field("pubkey", pubkey);
    w.field("in_gossip", node && node->is_online);  // gossip presence, beside the measurement
    w.field("reachable", probe ? std::optional<bool>(probe->reachable) : std::nullopt);
    write_availability_state(w, a);
    w.field("uptime_24h", a->uptime_24h).field("uptime_7d", a->uptime_7d).field("uptime_30d", a->uptime_30d);
    w.field("coverage_30d", a->coverage_30d);
    w.field("up_since", a->up_since).field("down_since", a->down_since);
    w.field("latency_mean_ms", a->latency_mean_ms).field("latency_p95_ms", a->latency_p95_ms);
    const analysis::CreditStanding* standing = standing_of(credits.get(), pubkey);
    w.field("credits", standing ? std::optional<double>(standing->credits) : std::nullopt);
    w.field("credits_network",
            standing ? std::optional<std::string>(analysis::credit_network_name(standing->network)) : std::nullopt);
    w.field("eligible", standing ? std::optional<bool>(standing->eligible) : std::nullopt);
    w.end_object();
  }
  w.end_array();
  w.field("timestamp", api.now()).end_object();
  return json_response(200, w.take());
}

}  // namespace pnode::api
