// GET /health and GET / (docs/reference-compat.md §1.4.1, §1.4.2). GET /'s endpoint groups
// come from the API description (the "x-overview" of its operations), not a list here.
#include <algorithm>
#include <boost/json.hpp>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "api/errors.h"
#include "api/node_json.h"
#include "api/openapi.h"
#include "api/routes.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

// One entry of GET /'s endpoint groups: an operation of the OpenAPI document with its
// "x-overview" extension (group, order, key, description, example).
struct OverviewEntry {
  std::string group, key, path, description, example;
  int64_t order = 0;
};

// The groups of GET / in the reference's order, each listing the operations of the API
// description (src/api/openapi.json) that name it, by their "order". Read once.
const std::vector<std::pair<std::string, std::vector<OverviewEntry>>>& overview_groups() {
  static const auto groups = [] {
    std::vector<std::pair<std::string, std::vector<OverviewEntry>>> out;
    for (const char* name :
         {"core_endpoints", "analytics_endpoints", "alert_endpoints", "advanced_endpoints", "registry_endpoints"})
      out.emplace_back(name, std::vector<OverviewEntry>{});
    boost::json::value doc = boost::json::parse(openapi_document());
    for (const auto& path : doc.at("paths").as_object()) {
      for (const auto& op : path.value().as_object()) {
        const boost::json::value* overview = op.value().as_object().if_contains("x-overview");
        if (!overview) continue;
        const auto& o = overview->as_object();
        OverviewEntry e{std::string(o.at("group").as_string()), std::string(o.at("key").as_string()),
                        std::string(path.key()), std::string(o.at("description").as_string()),
                        std::string(o.at("example").as_string()), o.at("order").to_number<int64_t>()};
        for (auto& [name, entries] : out)
          if (name == e.group) entries.push_back(std::move(e));
      }
    }
    for (auto& group : out)
      std::stable_sort(group.second.begin(), group.second.end(),
                       [](const OverviewEntry& a, const OverviewEntry& b) { return a.order < b.order; });
    return out;
  }();
  return groups;
}

void write_overview_groups(JsonWriter& w) {
  for (const auto& [name, entries] : overview_groups()) {
    w.key(name).begin_object();
    for (const auto& e : entries) {
      w.key(e.key).begin_object().field("path", e.path).field("description", e.description);
      w.field("example", e.example).end_object();
    }
    w.end_object();
  }
}

void write_use_case(JsonWriter& w, std::string_view key, std::string_view description,
                    std::initializer_list<std::string_view> workflow) {
  w.key(key).begin_object().field("description", description).key("workflow").begin_array();
  for (std::string_view step : workflow) w.value(step);
  w.end_array().end_object();
}

void write_string_list(JsonWriter& w, std::string_view key, std::initializer_list<std::string_view> items) {
  w.key(key).begin_array();
  for (std::string_view item : items) w.value(item);
  w.end_array();
}

void write_system_status(JsonWriter& w, const model::Snapshot* snapshot, int64_t now) {
  w.key("system_status").begin_object();
  if (snapshot) {
    int64_t last_updated = snapshot_last_updated(*snapshot, now);
    size_t tracked = 0;
    for (const model::MergedNode& node : snapshot->nodes)
      if (!node.pod.address.empty()) ++tracked;
    w.field("status", "operational").field("nodes_tracked", tracked);
    w.field("snapshot_age_seconds", now - last_updated).field("last_updated", last_updated);
  } else {
    w.field("status", "initializing").field("nodes_tracked", 0);
    w.field("message", "System warming up, please wait...");
  }
  w.end_object();
}

// "2026-12-05T13:44:20Z".
std::string utc_time(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// A store error kind in words, for /health (the log has the full message).
std::string store_failure_words(const std::string& kind) {
  if (kind == "disk_full") return "disk full";
  if (kind == "read_only") return "the database is read-only";
  if (kind == "io_error") return "I/O error";
  if (kind == "busy") return "the database is locked by another process";
  if (kind == "corrupt") return "the database is damaged";
  if (kind == "cannot_open") return "the database cannot be opened";
  return "database error (" + kind + ")";
}

// Why the store is not recording cycles, or empty while it is.
std::string store_problem(const model::StoreStatus& st) {
  if (!st.read_only_reason.empty())
    return "store opened read-only (" + st.read_only_reason + "): serving what it holds, recording nothing";
  if (st.failed_writes == 0) return {};
  return "store writes failing since " + utc_time(st.failing_since) + ": " + store_failure_words(st.error_kind) +
         "; serving the latest snapshot from memory, " + std::to_string(st.pending_cycles) +
         (st.pending_cycles == 1 ? " cycle" : " cycles") + " waiting to be written";
}

void write_quick_example(JsonWriter& w, std::string_view key, const std::string& url) {
  w.key(key).begin_object();
  w.field("bash", "curl '" + url + "'");
  w.field("python", "import requests\nprint(requests.get('" + url + "').json())");
  w.field("javascript", "fetch('" + url + "').then(r => r.json()).then(console.log)");
  w.end_object();
}

}  // namespace

http::Response get_health(const Api& api, const RouteRequest&) {
  int64_t now = api.now();
  auto snapshot = api.hub().current();
  JsonWriter w;
  if (!snapshot) {
    w.begin_object().field("status", "unhealthy").field("reason", "No snapshot available");
    w.field("message", "Background worker may not have run yet").field("timestamp", now).end_object();
    return json_response(503, w.take());
  }
  // The reference reads summary.last_updated (0 when missing, which reads as very old).
  int64_t last_updated = snapshot->summary.last_updated ? snapshot->summary.last_updated : snapshot->last_updated;
  int64_t age = now - last_updated;
  int64_t limit = 2 * api.config().cache_ttl;
  std::string problem;
  std::string role;
  std::optional<int64_t> lease_epoch;
  if (api.config().collection_status) {
    model::CollectionStatus st = api.config().collection_status();
    role = st.role;
    lease_epoch = st.lease_epoch;
    if (st.inconclusive_cycles > 0)
      problem = std::to_string(st.seeds_answered) + " of " + std::to_string(st.seeds_total) + " seeds answered for " +
                std::to_string(st.inconclusive_cycles) + (st.inconclusive_cycles == 1 ? " cycle" : " cycles") +
                " (quorum " + std::to_string(st.quorum) + "); serving the last conclusive snapshot";
    if (std::string store = store_problem(st.store); !store.empty()) problem += (problem.empty() ? "" : "; ") + store;
  }
  if (problem.empty() && age >= limit)
    problem = "Snapshot is " + std::to_string(age) + "s old (expected < " + std::to_string(limit) + "s)";
  bool healthy = problem.empty();
  w.begin_object();
  w.field("status", healthy ? "healthy" : "degraded");
  w.field("message", healthy ? std::string("All systems operational") : problem);
  w.field("snapshot_age_seconds", age).field("last_updated", last_updated);
  w.field("cache_ttl", api.config().cache_ttl);
  w.field("total_pnodes", snapshot->summary.total_pnodes);
  w.field("total_ip_nodes", snapshot->seeds.size());
  w.field("timestamp", now);
  w.field("uptime", now - api.config().process_start);
  if (!role.empty()) w.field("role", role).field("lease_epoch", lease_epoch);  // ours: which instance collects
  w.end_object();
  return json_response(200, w.take());
}

http::Response get_root(const Api& api, const RouteRequest& request) {
  int64_t now = api.now();
  auto snapshot = api.hub().current();
  int64_t ttl = api.config().cache_ttl;
  std::string_view host = request.http.header("host");
  std::string base = "http://" + (host.empty() ? std::string("localhost:8000") : sanitize_utf8(host));

  JsonWriter w;
  w.begin_object();
  w.field("api_name", "Xandeum PNode Analytics API");
  w.field("version", "1.1.0");
  w.field("description",
          "Real-time analytics for the Xandeum storage network: every pNode seen in gossip, scored for stakers, "
          "with alerts for operators and history for developers.");
  w.field("tagline", "Know which pNodes to trust, before you stake.");
  write_system_status(w, snapshot.get(), now);

  w.key("features").begin_object();
  w.field("performance_scoring", "Trust, capacity and stake-confidence scores for every pNode");
  w.field("real_time_monitoring", "The whole network re-polled every " + std::to_string(ttl) + " seconds");
  w.field("historical_analytics", "Network and per-node time series, growth and trends");
  w.field("alert_system", "Per-node and network-wide alerts with severities and recommendations");
  w.field("network_topology", "Graph of which IP nodes see which pNodes in gossip");
  w.field("operator_intelligence", "Nodes grouped by operator public key");
  w.end_object();

  write_overview_groups(w);

  w.key("use_cases").begin_object();
  write_use_case(w, "for_stakers", "Choose reliable pNodes to stake on",
                 {"GET /recommendations?limit=10", "GET /pnodes/compare?addresses=a,b",
                  "GET /pnodes/{address}/alerts before staking"});
  write_use_case(w, "for_operators", "Keep your pNodes healthy and visible",
                 {"GET /operators to find your nodes", "GET /pnodes/{address}/alerts",
                  "GET /node/{address}/consistency"});
  write_use_case(w, "for_developers", "Build on live network data",
                 {"GET /pnodes for the full list", "GET /network/history for charts",
                  "GET /docs for the API reference"});
  w.end_object();

  w.key("scoring_system").begin_object();
  w.key("trust_score").begin_object().field("range", "0-100");
  write_string_list(w, "factors",
                    {"Uptime (40 points, full at 30 days)", "Gossip presence (30 points, seen by 3+ IP nodes)",
                     "Version compliance (20 points)", "Gossip consistency (10 points)"});
  w.end_object();
  w.key("capacity_score").begin_object().field("range", "0-100");
  write_string_list(w, "factors",
                    {"Storage committed (30 points, full at 100 GiB)", "Usage balance (40 points, best at 20-80%)",
                     "Growth trend (30 points)"});
  w.end_object();
  w.key("stake_confidence").begin_object().field("formula", "(Trust × 0.6) + (Capacity × 0.4)");
  w.key("tiers").begin_object();
  w.field("low_risk", "80-100 (Best for staking)").field("medium_risk", "60-79 (Acceptable)");
  w.field("high_risk", "0-59 (Risky)");
  w.end_object().end_object();
  w.end_object();

  w.key("data_refresh").begin_object();
  w.field("interval", std::to_string(ttl) + " seconds");
  w.field("method", snapshot ? "Background worker polls " + std::to_string(snapshot->seeds.size()) + " IP nodes"
                             : std::string("Background worker polls the configured IP nodes"));
  w.field("guarantee", "Data never older than " + std::to_string(2 * ttl) + " seconds");
  w.end_object();

  w.key("performance").begin_object();
  w.key("response_times").begin_object();
  w.field("health", "< 5ms").field("pnodes", "< 20ms").field("recommendations", "< 20ms");
  w.field("network_health", "< 20ms");
  w.end_object();
  w.field("uptime", "99.9%").field("rate_limits", "None (best practices: < 1 req/sec)");
  w.end_object();

  w.key("documentation").begin_object().field("interactive_api_docs", "/docs").field("alternative_docs", "/redoc");
  w.end_object();

  w.key("resources").begin_object();
  w.field("live_demo", base + "/");
  w.field("discord", "Xandeum community Discord");
  w.field("twitter", "Xandeum on X (Twitter)");
  w.end_object();

  w.key("quick_examples").begin_object();
  write_quick_example(w, "get_top_5_nodes", base + "/pnodes?limit=5&sort_by=score&sort_order=desc");
  write_quick_example(w, "check_network_health", base + "/network/health");
  write_quick_example(w, "compare_two_nodes", base + "/pnodes/compare?addresses=addr1:9001,addr2:9001");
  w.end_object();

  w.field("timestamp", now);
  w.end_object();
  return json_response(200, w.take());
}

}  // namespace pnode::api
