// GET /health and GET / (docs/reference-compat.md §1.4.1, §1.4.2).
#include <string>

#include "api/errors.h"
#include "api/node_json.h"
#include "api/routes.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

void write_endpoint(JsonWriter& w, std::string_view key, std::string_view path, std::string_view description,
                    std::string_view example) {
  w.key(key).begin_object().field("path", path).field("description", description).field("example", example);
  w.end_object();
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
  bool healthy = age < limit;
  w.begin_object();
  w.field("status", healthy ? "healthy" : "degraded");
  w.field("message", healthy ? std::string("All systems operational")
                             : "Snapshot is " + std::to_string(age) + "s old (expected < " + std::to_string(limit) + "s)");
  w.field("snapshot_age_seconds", age).field("last_updated", last_updated);
  w.field("cache_ttl", api.config().cache_ttl);
  w.field("total_pnodes", snapshot->summary.total_pnodes);
  w.field("total_ip_nodes", snapshot->seeds.size());
  w.field("timestamp", now);
  w.field("uptime", now - api.config().process_start);
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

  w.key("core_endpoints").begin_object();
  write_endpoint(w, "health", "/health", "API health and snapshot freshness", "/health");
  write_endpoint(w, "pnodes", "/pnodes", "Unified, scored list of online and offline pNodes",
                 "/pnodes?status=online&sort_by=score&limit=10");
  write_endpoint(w, "recommendations", "/recommendations", "Top pNodes for staking",
                 "/recommendations?limit=10&min_uptime_days=7");
  write_endpoint(w, "network_health", "/network/health", "Network health score and alerts", "/network/health");
  write_endpoint(w, "network_topology", "/network/topology", "Graph of IP nodes and the pNodes they see",
                 "/network/topology");
  w.end_object();

  w.key("analytics_endpoints").begin_object();
  write_endpoint(w, "network_analytics", "/network/analytics", "Distributions and recommendations",
                 "/network/analytics");
  write_endpoint(w, "network_history", "/network/history", "Network time series", "/network/history?hours=24");
  write_endpoint(w, "network_growth", "/network/growth", "Growth compared with N hours ago",
                 "/network/growth?hours=24");
  write_endpoint(w, "network_consistency", "/network/consistency", "Gossip consistency of every node",
                 "/network/consistency?min_consistency=0.8");
  w.end_object();

  w.key("alert_endpoints").begin_object();
  write_endpoint(w, "node_alerts", "/pnodes/{address}/alerts", "Alerts for one pNode",
                 "/pnodes/127.1.0.2:9001/alerts");
  write_endpoint(w, "all_alerts", "/alerts", "Network-wide alert summary", "/alerts?severity=critical");
  write_endpoint(w, "critical_alerts", "/alerts/critical", "Critical alerts only", "/alerts/critical");
  w.end_object();

  w.key("advanced_endpoints").begin_object();
  write_endpoint(w, "compare_nodes", "/pnodes/compare", "Compare 2 to 5 pNodes side by side",
                 "/pnodes/compare?addresses=addr1:9001,addr2:9001");
  write_endpoint(w, "operators", "/operators", "pNodes grouped by operator", "/operators?min_nodes=2");
  write_endpoint(w, "node_history", "/node/{address}/history", "One pNode's time series",
                 "/node/127.1.0.2:9001/history?days=30");
  write_endpoint(w, "node_consistency", "/node/{address}/consistency", "One pNode's gossip consistency",
                 "/node/127.1.0.2:9001/consistency");
  w.end_object();

  w.key("registry_endpoints").begin_object();
  write_endpoint(w, "registry_entry", "/registry/{address}", "Everything remembered about one address",
                 "/registry/127.1.0.2:9001");
  write_endpoint(w, "graveyard", "/graveyard", "pNodes not seen for N days", "/graveyard?days=90");
  w.end_object();

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
