// Network-wide snapshot routes (docs/reference-compat.md §1.4.8 /network/topology, §1.4.9
// /network/health, §1.4.13 /network/analytics, §1.5 the legacy /all-nodes), serialised
// from the insights the collector computed for the snapshot. The first three take no
// parameters: each body is built once per snapshot and only re-stamped with the time.
#include <array>

#include "api/errors.h"
#include "api/node_json.h"
#include "api/probe_json.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

using SnapshotPtr = std::shared_ptr<const model::Snapshot>;

// ---- /network/topology ----

void write_ip_vertex(JsonWriter& w, const analysis::IpNodeVertex& v, const model::SeedPoll* seed) {
  // The reference reads each stat with a default of the integer 0.
  const model::NodeStats* stats = seed && seed->stats ? &*seed->stats : nullptr;
  bool has_cpu = stats && stats->cpu_percent;
  bool has_ram = stats && stats->ram_total.value_or(0) > 0;
  w.begin_object();
  w.field("id", v.id).field("type", "ip_node").field("label", v.id).field("group", "ip");
  w.key("properties").begin_object();
  w.field("active_streams", v.active_streams).field("uptime", v.uptime);
  write_float_or_int_zero(w, "cpu_percent", v.cpu_percent, !has_cpu);
  write_float_or_int_zero(w, "ram_used_percent", v.ram_used_percent, !has_ram);
  w.field("total_pods_reported", v.total_pods_reported);
  w.end_object().end_object();
}

void write_pnode_vertex(JsonWriter& w, const analysis::PnodeVertex& v) {
  const analysis::NodeView& n = *v.node;
  w.begin_object();
  w.field("id", n.address).field("type", "pnode").field("label", v.label).field("group", v.group());
  w.key("properties").begin_object();
  w.field("pubkey", n.pubkey).field("version", n.version).field("uptime", n.uptime);
  w.field("storage_committed", n.storage_committed).field("storage_used", n.storage_used);
  w.field("storage_usage_percent", n.storage_usage_percent).field("is_public", n.is_public);
  w.field("peer_count", n.peer_count()).field("last_seen", n.last_seen);
  w.end_object().end_object();
}

BodyTemplate topology_body(const model::Snapshot& snapshot, const analysis::NetworkTopology& t) {
  BodyTemplate body;
  JsonWriter& w = body.writer();
  w.reserve(512 + t.pnodes.size() * 400 + t.edges.size() * 100);
  w.begin_object().key("nodes").begin_array();
  for (size_t i = 0; i < t.ip_nodes.size(); ++i)
    write_ip_vertex(w, t.ip_nodes[i], i < snapshot.seeds.size() ? &snapshot.seeds[i] : nullptr);
  for (const auto& v : t.pnodes) write_pnode_vertex(w, v);
  w.end_array();
  w.key("edges").begin_array();
  for (const auto& e : t.edges) {
    w.begin_object().field("source", t.ip_nodes[e.seed].id).field("target", e.node->address).field("type", "gossip_connection");
    w.end_object();
  }
  w.end_array();
  w.key("stats").begin_object();
  w.field("total_nodes", t.stats.total_nodes).field("ip_nodes", t.stats.ip_nodes).field("pnodes", t.stats.pnodes);
  w.field("total_connections", t.stats.total_connections);
  write_float_or_int_zero(w, "avg_connections_per_pnode", t.stats.avg_connections_per_pnode, t.stats.pnodes == 0);
  w.key("timestamp");
  body.hole(0);
  w.end_object().end_object();
  return std::move(body.finish());
}

// ---- /network/health ----

void write_health(JsonWriter& w, const analysis::NetworkHealth& h, size_t online_count) {
  w.begin_object();
  if (!h.factors) {  // no node at all: the reference's integer 0 and empty factors
    w.field("health_score", 0).field("status", h.status).key("factors").begin_object().end_object();
    w.end_object();
    return;
  }
  w.field("health_score", h.health_score).field("status", h.status);
  // Without online nodes the reference's last three factors are the integer 0.
  bool none_online = online_count == 0;
  w.key("factors").begin_object();
  w.field("availability", h.factors->availability);
  write_float_or_int_zero(w, "version_consistency", h.factors->version_consistency, none_online);
  write_float_or_int_zero(w, "node_quality", h.factors->node_quality, none_online);
  write_float_or_int_zero(w, "connectivity", h.factors->connectivity, none_online);
  w.end_object().end_object();
}

BodyTemplate network_health_body(const Api& api, const SnapshotPtr& snapshot) {
  const analysis::NodeViews& views = *snapshot->views;
  auto insights = snapshot->insights;
  NetworkStats stats = compute_network_stats(views);
  int64_t total = static_cast<int64_t>(views.nodes.size());
  int64_t online = static_cast<int64_t>(views.online_count);
  int64_t last_updated = snapshot->summary.last_updated ? snapshot->summary.last_updated : snapshot->last_updated;

  BodyTemplate body;
  JsonWriter& w = body.writer();
  w.begin_object().key("health");
  write_health(w, insights->health, views.online_count);
  w.key("network_stats");
  write_network_stats(w, stats);
  // /pnodes' summary, plus total_storage (the dashboard's storage card, §1.4.9).
  w.key("summary").begin_object();
  w.field("total_pnodes", total).field("online_pnodes", online).field("offline_pnodes", total - online);
  w.key("snapshot_age_seconds");
  body.hole(-last_updated);
  w.field("last_updated", last_updated);
  w.field("total_storage", stats.total_storage_committed);
  w.end_object();
  w.key("alerts").begin_array();
  for (const auto& a : insights->network_alerts) {
    w.begin_object().field("severity", a.severity).field("type", a.type).field("message", a.message);
    w.field("recommendation", a.recommendation).end_object();
  }
  w.end_array();
  w.key("timestamp");
  body.hole(0);
  w.end_object();
  return std::move(body.finish());
}

// ---- /network/analytics ----

void write_distribution(JsonWriter& w, const std::vector<std::pair<std::string, int64_t>>& distribution) {
  w.begin_object();
  for (const auto& [name, count] : distribution) w.field(name, count);
  w.end_object();
}

void write_top_holder(JsonWriter& w, std::string_view key, const analysis::Dimension& d) {
  w.key(key);
  if (d.holders.empty()) {
    w.null();
    return;
  }
  const analysis::Holder& h = d.holders.front();
  w.begin_object().field("key", h.key).field("name", h.name).field("pod_share", h.pod_share);
  w.field("storage_share", h.storage_share).end_object();
}

// Not in the reference: present only with a location database (api/geography.h).
void write_concentration_analysis(JsonWriter& w, const Geography& geography) {
  const analysis::Concentration& c = geography.concentration;
  w.key("concentration_analysis").begin_object();
  w.field("located", c.located).field("unlocated", c.unlocated);
  w.field("country_pod_hhi", c.countries.pod_hhi).field("asn_pod_hhi", c.asns.pod_hhi);
  write_top_holder(w, "top_country", c.countries);
  write_top_holder(w, "top_asn", c.asns);
  w.field("max_share", geography.limits.max_share).end_object();
}

BodyTemplate analytics_body(const analysis::Insights& insights, const Geography* geography) {
  const analysis::NetworkAnalytics& a = insights.analytics;
  // Percentages are the reference's "... if N > 0 else 0" (an integer without nodes).
  bool no_nodes = a.current_state.total_pnodes == 0;
  BodyTemplate body;
  JsonWriter& w = body.writer();
  w.begin_object();
  w.key("current_state").begin_object();
  w.field("total_pnodes", a.current_state.total_pnodes).field("public_nodes", a.current_state.public_nodes);
  w.field("private_nodes", a.current_state.private_nodes);
  write_float_or_int_zero(w, "public_ratio_percent", a.current_state.public_ratio_percent, no_nodes);
  w.end_object();

  w.key("growth").begin_object().key("24_hours");
  write_growth_metrics(w, insights.growth_24h);
  w.key("7_days");
  write_growth_metrics(w, insights.growth_7d);
  w.end_object();

  const analysis::VersionAnalysis& v = a.version_analysis;
  w.key("version_analysis").begin_object().key("distribution");
  write_distribution(w, v.distribution);
  w.field("latest_version", v.latest_version).field("latest_version_count", v.latest_version_count);
  w.field("outdated_count", v.outdated_count);
  write_float_or_int_zero(w, "compliance_percent", v.compliance_percent, no_nodes);
  w.field("fragmentation_index", v.fragmentation_index).field("health", v.health);
  w.end_object();

  const analysis::StorageAnalysis& s = a.storage_analysis;
  w.key("storage_analysis").begin_object().key("distribution").begin_object();
  w.field("empty", s.distribution.empty).field("low", s.distribution.low).field("optimal", s.distribution.optimal);
  w.field("high", s.distribution.high).field("critical", s.distribution.critical);
  w.end_object();
  w.field("optimal_nodes", s.optimal_nodes);
  write_float_or_int_zero(w, "optimal_percent", s.optimal_percent, no_nodes);
  w.field("critical_nodes", s.critical_nodes).field("health", s.health);
  w.end_object();

  const analysis::ConnectivityAnalysis& c = a.connectivity_analysis;
  w.key("connectivity_analysis").begin_object().key("distribution").begin_object();
  w.field("isolated", c.distribution.isolated).field("weak", c.distribution.weak);
  w.field("good", c.distribution.good).field("excellent", c.distribution.excellent);
  w.end_object();
  w.field("well_connected", c.well_connected);
  write_float_or_int_zero(w, "well_connected_percent", c.well_connected_percent, no_nodes);
  w.field("isolated_nodes", c.isolated_nodes).field("health", c.health);
  w.end_object();

  if (geography) write_concentration_analysis(w, *geography);

  w.key("recommendations").begin_array();
  for (const auto& r : a.recommendations) {
    w.begin_object().field("category", r.category).field("severity", r.severity).field("message", r.message);
    w.field("action", r.action).end_object();
  }
  if (geography) {
    for (const auto& warning : concentration_warnings(*geography)) {
      w.begin_object().field("category", "decentralization").field("severity", "warning");
      w.field("message", warning.message);
      w.field("action", "Prefer nodes in other " + std::string(warning.dimension == "asn" ? "networks" : "countries"));
      w.end_object();
    }
  }
  w.end_array();
  w.key("timestamp");
  body.hole(0);
  w.end_object();
  return std::move(body.finish());
}

// ---- /all-nodes ----

enum class AllNodesForm { kWhole = 0, kRaw = 1, kUnique = 2 };

// A pod as the reference mapped it (§2.3), with the seed that reported it.
void write_pod(JsonWriter& w, const model::MergedNode& m, const std::string& source_ip, bool with_peer_sources,
               const model::Snapshot& snapshot) {
  const model::Pod& p = m.pod;
  w.begin_object();
  w.field("address", p.address).field("pubkey", p.pubkey.value_or(p.address)).field("is_public", p.is_public);
  w.field("rpc_port", p.rpc_port).field("storage_committed", p.storage_committed);
  w.field("storage_used", p.storage_used).field("storage_usage_percent", p.storage_usage_percent);
  w.field("uptime", p.uptime).field("version", p.version).field("last_seen", p.last_seen);
  w.field("last_seen_timestamp", p.last_seen_timestamp).field("source_ip", source_ip);
  if (with_peer_sources) {
    w.key("peer_sources");
    write_peer_sources(w, m.peer_sources, snapshot);
  }
  w.end_object();
}

// Each seed's list: the merged nodes it listed, in merged order (raw per-seed lists are
// not kept in memory; each pod shows the merged copy's values).
std::vector<std::vector<uint32_t>> pods_by_seed(const model::Snapshot& snapshot) {
  std::vector<std::vector<uint32_t>> lists(snapshot.seeds.size());
  for (uint32_t i = 0; i < snapshot.nodes.size(); ++i)
    for (uint16_t seed : snapshot.nodes[i].peer_sources)
      if (seed < lists.size()) lists[seed].push_back(i);
  return lists;
}

void write_raw_pods(JsonWriter& w, const model::Snapshot& snapshot,
                    const std::vector<std::vector<uint32_t>>& by_seed) {
  w.begin_array();
  for (size_t s = 0; s < by_seed.size(); ++s)
    for (uint32_t i : by_seed[s]) write_pod(w, snapshot.nodes[i], snapshot.seeds[s].seed, false, snapshot);
  w.end_array();
}

void write_unique_pods(JsonWriter& w, const model::Snapshot& snapshot) {
  w.begin_array();
  for (const auto& m : snapshot.nodes) {
    const std::string& source = m.source < snapshot.seeds.size() ? snapshot.seeds[m.source].seed : std::string();
    write_pod(w, m, source, true, snapshot);
  }
  w.end_array();
}

// One seed's entry of "nodes" (§3.1 step 2, without pods_raw).
void write_seed_entry(JsonWriter& w, const model::Snapshot& snapshot, size_t s, const std::vector<uint32_t>& pods) {
  const model::SeedPoll& seed = snapshot.seeds[s];
  model::NodeStats none;
  const model::NodeStats& st = seed.stats ? *seed.stats : none;
  w.begin_object();
  w.key("metadata").begin_object();
  w.field("total_bytes", st.total_bytes.value_or(0)).field("total_pages", st.total_pages.value_or(0));
  w.field("last_updated", st.last_updated.value_or(static_cast<uint64_t>(snapshot.last_updated)));
  w.field("file_size", st.file_size.value_or(0));
  w.end_object();
  w.key("stats").begin_object();
  if (st.cpu_percent) {
    w.field("cpu_percent", *st.cpu_percent);
  } else {
    w.field("cpu_percent", 0);
  }
  w.field("ram_used", st.ram_used.value_or(0)).field("ram_total", st.ram_total.value_or(0));
  w.field("uptime", st.uptime.value_or(0)).field("packets_received", st.packets_received.value_or(0));
  w.field("packets_sent", st.packets_sent.value_or(0)).field("active_streams", st.active_streams.value_or(0));
  w.end_object();
  w.field("pods_total_count", seed.pods_total_count);
  w.key("pods").begin_array();
  for (uint32_t i : pods) write_pod(w, snapshot.nodes[i], seed.seed, false, snapshot);
  w.end_array();
  w.end_object();
}

void write_summary(JsonWriter& w, const model::NetworkSummary& s) {
  w.begin_object();
  w.field("total_nodes", s.total_nodes).field("total_pnodes", s.total_pnodes);
  w.field("total_pnodes_raw", s.total_pnodes_raw).field("total_bytes_processed", s.total_bytes_processed);
  w.field("avg_cpu_percent", s.avg_cpu_percent).field("avg_ram_used_percent", s.avg_ram_used_percent);
  w.field("total_active_streams", s.total_active_streams).field("last_updated", s.last_updated);
  w.field("seeds_responding", s.seeds_responding);
  w.end_object();
}

std::string all_nodes_body(const model::Snapshot& snapshot, AllNodesForm form) {
  JsonWriter w;
  w.reserve(1024 + snapshot.nodes.size() * 900);
  w.begin_object();
  if (form == AllNodesForm::kUnique) {
    w.field("version", "unique").key("nodes");
    write_unique_pods(w, snapshot);
  } else {
    auto by_seed = pods_by_seed(snapshot);
    if (form == AllNodesForm::kRaw) {
      w.field("version", "raw").key("nodes");
      write_raw_pods(w, snapshot, by_seed);
    } else {
      w.key("summary");
      write_summary(w, snapshot.summary);
      w.key("nodes").begin_object();
      for (size_t s = 0; s < snapshot.seeds.size(); ++s) {
        w.key(snapshot.seeds[s].seed);
        write_seed_entry(w, snapshot, s, by_seed[s]);
      }
      w.end_object();
      w.key("merged_pnodes_raw");
      write_raw_pods(w, snapshot, by_seed);
      w.key("merged_pnodes_unique");
      write_unique_pods(w, snapshot);
    }
  }
  w.end_object();
  return w.take();
}

}  // namespace

http::Response get_network_topology(const Api& api, const RouteRequest&) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views || !snapshot->insights) return snapshot_unavailable();
  auto body = api.route_state().topology.get(snapshot, api.now(), [&snapshot](const model::Snapshot& s) {
    return topology_body(s, snapshot->insights->topology);
  });
  return shared_json_response(200, std::move(body));
}

http::Response get_network_health(const Api& api, const RouteRequest&) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views || !snapshot->insights) return snapshot_unavailable();
  auto body = api.route_state().network_health.get(
      snapshot, api.now(), [&api, &snapshot](const model::Snapshot&) { return network_health_body(api, snapshot); });
  return shared_json_response(200, std::move(body));
}

http::Response get_network_probe(const Api& api, const RouteRequest&) {
  auto snapshot = api.hub().current();
  if (!snapshot) return snapshot_unavailable();
  auto body = api.route_state().network_probe.get(snapshot, api.now(), network_probe_body);
  return shared_json_response(200, std::move(body));
}

http::Response get_network_analytics(const Api& api, const RouteRequest&) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views || !snapshot->insights) return snapshot_unavailable();
  auto body = api.route_state().analytics.get(snapshot, api.now(), [&api, &snapshot](const model::Snapshot&) {
    auto geography = snapshot_geography(api, snapshot);
    return analytics_body(*snapshot->insights, geography.get());
  });
  return shared_json_response(200, std::move(body));
}

const QuerySchema& all_nodes_query_schema() {
  static const QuerySchema schema{str_param("version")};  // raw | unique | anything else: everything
  return schema;
}

std::function<void()> prepare_all_nodes(const Api& api, const std::shared_ptr<const model::Snapshot>& next) {
  std::vector<std::pair<size_t, std::string>> bodies;
  for (size_t form = 0; form < std::size(api.route_state().all_nodes); ++form)
    if (api.route_state().all_nodes[form].in_demand())
      bodies.emplace_back(form, all_nodes_body(*next, static_cast<AllNodesForm>(form)));
  return [&api, next, bodies = std::move(bodies)]() mutable {
    for (auto& [form, body] : bodies) api.route_state().all_nodes[form].put(next, std::move(body));
  };
}

http::Response get_all_nodes(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot) return jsonrpc_error(503, "Snapshot not yet available");
  std::optional<std::string> version = request.query.opt_str("version");
  AllNodesForm form = version == "raw"      ? AllNodesForm::kRaw
                      : version == "unique" ? AllNodesForm::kUnique
                                            : AllNodesForm::kWhole;
  auto body = api.route_state().all_nodes[static_cast<size_t>(form)].get(
      snapshot, [form](const model::Snapshot& s) { return all_nodes_body(s, form); });
  return shared_json_response(200, std::move(body));
}

}  // namespace pnode::api
