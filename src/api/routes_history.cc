// History routes (docs/reference-compat.md §1.4.11 /network/history, §1.4.12
// /network/growth, §1.4.14 /node/{address}/history, §1.4.15
// /node/{address}/metrics-summary, §1.4.16 /nodes/history-status): the only routes that
// read the store. Without a store they answer as "no data yet"; a store error answers
// the reference's error shape with a fixed message (the driver's text is never sent).
// Differences from the reference, all deliberate: readable times are UTC ("... UTC");
// "_id" is a stable string (the timestamp; "address@timestamp" for node samples); history
// items carry online_pnodes; node samples carry real scores and online flags but no
// peer_sources (only the count is kept); /nodes/history-status counts every node with
// history (the reference capped the count at its 100 listed nodes).
#include <algorithm>
#include <iterator>
#include <limits>

#include "analysis/growth.h"
#include "analysis/node_history.h"
#include "analysis/readable_time.h"
#include "api/errors.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "store/store.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

constexpr int64_t kEndOfTime = std::numeric_limits<int64_t>::max();
constexpr size_t kHistoryStatusListed = 100;
constexpr const char* kStoreUnavailable = "History store unavailable";

// ---- /network/history ----

void write_network_sample(JsonWriter& w, const store::NetworkHistoryRow& r) {
  w.begin_object();
  w.field("_id", std::to_string(r.timestamp)).field("timestamp", r.timestamp);
  w.field("total_pnodes", r.total_pnodes).field("online_pnodes", r.online_pnodes);
  w.field("total_ip_nodes", r.total_ip_nodes).field("public_pnodes", r.public_pnodes);
  w.field("private_pnodes", r.private_pnodes);
  w.field("avg_cpu_percent", r.avg_cpu_percent).field("avg_ram_used_percent", r.avg_ram_used_percent);
  w.field("total_active_streams", r.total_active_streams).field("total_bytes_processed", r.total_bytes_processed);
  w.field("total_storage_committed", r.total_storage_committed).field("total_storage_used", r.total_storage_used);
  // The reference's "round(mean, 2) or 0" and "... if committed > 0 else 0".
  write_float_or_int_zero(w, "avg_storage_usage_percent", r.avg_storage_usage_percent);
  write_float_or_int_zero(w, "storage_utilization_ratio", r.storage_utilization_ratio,
                          r.total_storage_committed == 0);
  write_float_or_int_zero(w, "avg_peer_count", r.avg_peer_count);
  w.key("version_distribution").begin_object();
  for (const auto& [version, count] : r.version_distribution) w.field(version, count);
  w.end_object();
  w.field("version_diversity_index", r.version_distribution.size());
  w.field("timestamp_readable", analysis::utc_readable(r.timestamp));
  w.end_object();
}

void write_history_summary(JsonWriter& w, const analysis::NetworkHistorySummary& s) {
  w.begin_object().field("data_points", s.data_points).field("time_range_hours", s.time_range_hours);
  if (!s.trends) {
    w.field("message", analysis::kNoHistoryMessage).end_object();
    return;
  }
  const analysis::HistoryTrends& t = *s.trends;
  w.field("start_timestamp", t.start_timestamp).field("end_timestamp", t.end_timestamp);
  w.field("start_time_readable", t.start_time_readable).field("end_time_readable", t.end_time_readable);
  w.key("node_growth").begin_object();
  w.field("start_count", t.node_growth.start_count).field("end_count", t.node_growth.end_count);
  w.field("growth", t.node_growth.growth);
  write_float_or_int_zero(w, "growth_percent", t.node_growth.growth_percent, t.node_growth.start_count <= 0);
  w.field("trend", t.node_growth.trend).end_object();
  w.key("storage_growth").begin_object();
  w.field("start_committed", t.storage_growth.start_committed).field("end_committed", t.storage_growth.end_committed);
  w.field("growth", t.storage_growth.growth);
  write_float_or_int_zero(w, "growth_percent", t.storage_growth.growth_percent,
                          t.storage_growth.start_committed == 0);
  w.field("trend", t.storage_growth.trend).end_object();
  w.key("network_health").begin_object();
  write_float_or_int_zero(w, "start_avg_peers", t.network_health.start_avg_peers);
  write_float_or_int_zero(w, "end_avg_peers", t.network_health.end_avg_peers);
  w.field("peer_change", t.network_health.peer_change);
  w.field("connectivity_trend", t.network_health.connectivity_trend).end_object();
  w.key("version_stability").begin_object();
  w.field("start_version_count", t.version_stability.start_version_count);
  w.field("end_version_count", t.version_stability.end_version_count);
  w.field("stability", t.version_stability.stability).end_object();
  w.end_object();
}

// ---- /node/{address}/history ----

void write_node_sample(JsonWriter& w, const std::string& address, const store::NodeHistorySample& r) {
  w.begin_object();
  w.field("_id", address + "@" + std::to_string(r.timestamp)).field("address", address);
  w.field("timestamp", r.timestamp).field("timestamp_readable", analysis::utc_readable(r.timestamp));
  w.field("is_online", r.is_online).field("version", r.version).field("uptime", r.uptime);
  w.field("storage_committed", r.storage_committed).field("storage_used", r.storage_used);
  w.field("storage_usage_percent", r.storage_usage_percent).field("peer_count", r.peer_count);
  w.field("score", r.score).field("trust_score", r.trust_score).field("capacity_score", r.capacity_score);
  w.field("is_public", r.is_public);
  w.end_object();
}

// The 200 "available": false form. `error` is null when there is simply no data yet.
// planned_for/alternative are the older reference's fields (tests still require them).
http::Response node_history_unavailable(const std::string& address, const char* error) {
  JsonWriter w;
  w.begin_object().field("address", address).field("available", false);
  if (error) {
    w.field("message", "No data available").field("note", "History accumulates over time. Check back later.");
    w.field("error", error);
  } else {
    w.field("message", analysis::kNoNodeHistoryMessage).field("note", analysis::kNoNodeHistoryNote);
    w.key("error").null();
  }
  w.field("planned_for", "Phase 5").field("alternative", "Use /network/history for network-wide trends");
  w.end_object();
  return json_response(200, w.take());
}

// A node's samples since some time, oldest first, across NAT port changes: with each
// sample the address it was stored under (the asked one, or a previous one).
struct SamplesAcrossMoves {
  std::vector<std::string> addresses;  // [0] the asked address, then previous ones
  std::vector<store::NodeHistorySample> samples;
  std::vector<uint32_t> stored_under;  // an index into addresses a sample; empty when all are [0]

  const std::string& address_of(size_t i) const {
    return stored_under.empty() ? addresses[0] : addresses[stored_under[i]];
  }
};

void write_node_history(JsonWriter& w, const std::string& address, int64_t days, const SamplesAcrossMoves& history,
                        const analysis::NodeHistoryAnalysis& a) {
  w.begin_object().field("address", address).field("available", true).field("data_points", a.data_points);
  w.key("time_range").begin_object();
  w.field("start", a.time_range.start).field("end", a.time_range.end);
  w.field("start_readable", a.time_range.start_readable).field("end_readable", a.time_range.end_readable);
  w.field("days", days).end_object();
  w.key("history").begin_array();
  for (size_t i = 0; i < history.samples.size(); ++i) write_node_sample(w, history.address_of(i), history.samples[i]);
  w.end_array();
  const analysis::NodeHistoryTrends& t = a.trends;
  w.key("trends").begin_object();
  w.field("uptime_change_seconds", t.uptime_change_seconds).field("uptime_change_hours", t.uptime_change_hours);
  w.field("storage_used_change_bytes", t.storage_used_change_bytes);
  w.field("storage_used_change_gb", t.storage_used_change_gb);
  w.field("score_change", t.score_change).field("score_trend", t.score_trend);
  w.end_object();
  w.key("availability").begin_object();
  w.field("online_snapshots", a.availability.online_snapshots);
  w.field("offline_snapshots", a.availability.offline_snapshots);
  w.field("total_snapshots", a.availability.total_snapshots);
  w.field("availability_percent", a.availability.availability_percent);
  w.end_object();
  w.key("current_status").begin_object();
  w.field("is_online", a.current_status.is_online).field("score", a.current_status.score);
  w.field("uptime", a.current_status.uptime);
  w.field("storage_usage_percent", a.current_status.storage_usage_percent);
  w.end_object();
  w.end_object();
}

// ---- /node/{address}/metrics-summary ----

void write_metrics(JsonWriter& w, int64_t hours, const analysis::NodeMetricsSummary& m) {
  w.begin_object().field("available", true).field("time_range_hours", hours);
  w.field("snapshots_analyzed", m.snapshots_analyzed).field("availability_percent", m.availability_percent);
  // "round(mean(positive scores), 2) or 0", "min(...) or 0": the integer 0 without any.
  write_float_or_int_zero(w, "avg_score", m.avg_score);
  w.field("avg_storage_usage", m.avg_storage_usage).field("avg_peer_count", m.avg_peer_count);
  write_float_or_int_zero(w, "min_score", m.min_score);
  write_float_or_int_zero(w, "max_score", m.max_score);
  w.end_object();
}

// One node's samples since `since`, oldest first, following it across NAT port changes:
// the samples stored under every address its registry entry lists as a previous one.
Result<SamplesAcrossMoves> node_history_across_moves(const Api& api, store::Store& store, const std::string& address,
                                                     int64_t since) {
  auto current = store.node_history(address, since, kEndOfTime);
  if (!current.ok()) return current.error();
  SamplesAcrossMoves out;
  out.addresses.push_back(address);
  out.samples = std::move(current->samples);
  auto snapshot = api.hub().current();
  const model::RegistryEntry* entry = snapshot && snapshot->registry ? snapshot->registry->find(address) : nullptr;
  if (!entry || entry->previous_addresses.empty()) return out;
  std::vector<std::pair<store::NodeHistorySample, uint32_t>> tagged;
  for (auto& sample : out.samples) tagged.emplace_back(std::move(sample), 0);
  for (const auto& old : entry->previous_addresses) {
    auto earlier = store.node_history(old, since, kEndOfTime);
    if (!earlier.ok()) return earlier.error();
    out.addresses.push_back(old);
    const auto index = static_cast<uint32_t>(out.addresses.size() - 1);
    for (auto& sample : earlier->samples) tagged.emplace_back(std::move(sample), index);
  }
  std::stable_sort(tagged.begin(), tagged.end(),
                   [](const auto& a, const auto& b) { return a.first.timestamp < b.first.timestamp; });
  out.samples.clear();
  out.samples.reserve(tagged.size());
  out.stored_under.reserve(tagged.size());
  for (auto& [sample, index] : tagged) {
    out.samples.push_back(std::move(sample));
    out.stored_under.push_back(index);
  }
  return out;
}

}  // namespace

const QuerySchema& network_history_query_schema() {
  static const QuerySchema schema{int_param("hours").def(24).ge(1).le(720)};
  return schema;
}

http::Response get_network_history(const Api& api, const RouteRequest& request) {
  int64_t hours = request.query.integer("hours");
  int64_t now = api.now();
  std::vector<store::NetworkHistoryRow> rows;
  if (store::Store* store = api.store()) {
    auto read = store->network_history(seconds_before(now, hours, 3600), kEndOfTime);
    if (!read.ok()) return jsonrpc_error(500, "Failed to read network history");
    rows = std::move(*read);
  }
  JsonWriter w;
  w.reserve(512 + rows.size() * 600);
  w.begin_object().key("history").begin_array();
  for (const auto& row : rows) write_network_sample(w, row);
  w.end_array().key("summary");
  write_history_summary(w, analysis::summarize_network_history(rows, hours));
  w.field("timestamp", now).end_object();
  return json_response(200, w.take());
}

const QuerySchema& network_growth_query_schema() {
  static const QuerySchema schema{int_param("hours").def(24).ge(1).le(720)};
  return schema;
}

http::Response get_network_growth(const Api& api, const RouteRequest& request) {
  int64_t hours = request.query.integer("hours");
  int64_t now = api.now();
  std::optional<store::NetworkHistoryRow> past, current;
  if (store::Store* store = api.store()) {
    auto current_read = store->network_sample_at_or_before(now);
    auto past_read = store->network_sample_at_or_before(seconds_before(now, hours, 3600));
    if (!current_read.ok() || !past_read.ok()) return jsonrpc_error(500, "Failed to read network history");
    current = *current_read;
    past = *past_read;
  }
  JsonWriter w;
  w.begin_object().key("growth_metrics");
  write_growth_metrics(w, analysis::growth_between(past, current, hours));
  w.field("timestamp", now).end_object();
  return json_response(200, w.take());
}

const QuerySchema& node_history_query_schema() {
  static const QuerySchema schema{int_param("days").def(30).ge(1).le(90)};
  return schema;
}

http::Response get_node_history(const Api& api, const RouteRequest& request) {
  const std::string& address = request.path_param("address");
  int64_t days = request.query.integer("days");
  store::Store* store = api.store();
  if (!store) return node_history_unavailable(address, nullptr);
  auto history = node_history_across_moves(api, *store, address, seconds_before(api.now(), days, 86400));
  if (!history.ok()) return node_history_unavailable(address, kStoreUnavailable);
  auto analysis = analysis::analyse_node_history(history->samples);
  if (!analysis) return node_history_unavailable(address, nullptr);
  JsonWriter w;
  w.reserve(1024 + history->samples.size() * 400);
  write_node_history(w, address, days, *history, *analysis);
  return json_response(200, w.take());
}

const QuerySchema& node_metrics_query_schema() {
  static const QuerySchema schema{int_param("hours").def(24).ge(1).le(168)};
  return schema;
}

http::Response get_node_metrics_summary(const Api& api, const RouteRequest& request) {
  const std::string& address = request.path_param("address");
  int64_t hours = request.query.integer("hours");
  int64_t now = api.now();
  JsonWriter w;
  w.begin_object().field("address", address).key("metrics");
  std::optional<analysis::NodeMetricsSummary> summary;
  bool failed = false;
  if (store::Store* store = api.store()) {
    auto history = node_history_across_moves(api, *store, address, seconds_before(now, hours, 3600));
    if (history.ok()) {
      summary = analysis::summarize_node_metrics(history->samples);
    } else {
      failed = true;
    }
  }
  if (summary) {
    write_metrics(w, hours, *summary);
  } else if (failed) {
    w.begin_object().field("available", false).field("error", kStoreUnavailable).end_object();
  } else {
    w.begin_object().field("available", false).field("message", analysis::kNoMetricsMessage).end_object();
  }
  w.field("timestamp", now).end_object();
  return json_response(200, w.take());
}

http::Response get_history_status(const Api& api, const RouteRequest&) {
  std::vector<store::HistoryStatusRow> rows;
  if (store::Store* store = api.store()) {
    auto read = store->history_status(std::numeric_limits<size_t>::max());
    if (!read.ok())
      return json_response(500, R"({"error":"Failed to retrieve history status","details":"History store unavailable"})");
    rows = std::move(*read);
  }
  // Global stats over every node's history; the list shows the 100 with the most samples.
  std::optional<int64_t> oldest, newest;
  int64_t total = 0;
  for (const auto& r : rows) {
    oldest = oldest ? std::min(*oldest, r.first_seen) : r.first_seen;
    newest = newest ? std::max(*newest, r.last_seen) : r.last_seen;
    total += r.snapshots;
  }
  JsonWriter w;
  w.begin_object().field("total_nodes_with_history", rows.size()).key("nodes").begin_array();
  for (size_t i = 0; i < rows.size() && i < kHistoryStatusListed; ++i) {
    const auto& r = rows[i];
    w.begin_object().field("address", r.address).field("snapshots", r.snapshots);
    w.field("first_seen", r.first_seen).field("last_seen", r.last_seen);
    w.field("days_tracked", static_cast<double>(r.last_seen - r.first_seen) / 86400.0).end_object();
  }
  w.end_array();
  w.key("global_stats").begin_object().field("oldest_snapshot", oldest).field("newest_snapshot", newest);
  w.field("total_snapshots", total).end_object();
  w.field("timestamp", api.now()).end_object();
  return json_response(200, w.take());
}

}  // namespace pnode::api
