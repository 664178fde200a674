// Routes over the unified node list (docs/reference-compat.md §1.4.7 /recommendations,
// §1.4.10 /operators, §1.4.20 /pnodes/compare): filters and views of the snapshot's
// precomputed NodeViews and of its operator report, grouped on the snapshot's first
// /operators request. The default forms of /recommendations (what the dashboard asks for)
// and /operators are serialised once per snapshot.
#include <algorithm>
#include <limits>

#include "analysis/compare.h"
#include "analysis/operators.h"
#include "analysis/recommendations.h"
#include "analysis/risk_factors.h"
#include "api/errors.h"
#include "api/node_json.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

// ---- /recommendations ----

void write_risk_factors(JsonWriter& w, const analysis::NodeScores& scores) {
  w.key("risk_factors").begin_array();
  for (const analysis::RiskFactor& f : analysis::risk_factors(scores)) {
    w.begin_object().field("factor", f.factor).field("score", f.score).field("points", f.points);
    w.field("max", f.max).field("composite_lost", f.composite_lost).end_object();
  }
  w.end_array();
}

void write_recommendation(JsonWriter& w, const analysis::StakingRecommendation& r) {
  const analysis::NodeView& n = *r.node;
  w.begin_object();
  w.field("address", n.address).field("pubkey", n.pubkey);
  write_score_field(w, "score", n.scores, n.score());
  w.field("tier", n.tier().empty() ? std::string("unknown") : n.tier());
  // Here trust and capacity are numbers, with the breakdowns beside them (§1.4.7).
  w.key("scores").begin_object();
  write_score_field(w, "trust", n.scores, n.scores.trust.score);
  write_score_field(w, "capacity", n.scores, n.scores.capacity.score);
  w.key("breakdown").begin_object().key("trust");
  write_trust_breakdown(w, n.scores);
  w.key("capacity");
  write_capacity_breakdown(w, n.scores);
  w.end_object().end_object();
  w.field("uptime_days", r.uptime_days).field("version", n.version);
  w.field("storage_usage_percent", r.storage_usage_percent).field("is_public", n.is_public);
  w.field("peer_count", n.peer_count()).field("first_seen", n.first_seen).field("last_seen", n.last_seen);
  write_risk_factors(w, n.scores);  // not in the reference: why the node has its tier
  write_score_v2_field(w, n);        // not in the reference: scoring v2
  w.end_object();
}

BodyTemplate recommendations_body(const analysis::NodeViews& views, const analysis::RecommendationFilters& filters) {
  analysis::StakingRecommendations result = analysis::recommend_for_staking(views.nodes, filters);
  BodyTemplate body;
  JsonWriter& w = body.writer();
  w.begin_object().key("recommendations").begin_array();
  for (const auto& item : result.items) write_recommendation(w, item);
  w.end_array();
  w.field("total_evaluated", result.total_evaluated);
  w.key("filters").begin_object();
  w.field("min_uptime_days", filters.min_uptime_days).field("require_public", filters.require_public);
  w.field("min_score", filters.min_score);  // not in the reference (which ignored it): null when not given
  w.end_object();
  w.key("timestamp");
  body.hole(0);
  w.end_object();
  return std::move(body.finish());
}

bool is_default(const analysis::RecommendationFilters& f) {
  return f.limit == 10 && f.min_uptime_days == 7 && !f.require_public && !f.min_score;
}

// ---- /operators ----

void write_operator(JsonWriter& w, const analysis::Operator& op) {
  w.begin_object();
  w.field("pubkey", op.pubkey).field("node_count", op.node_count).field("online_nodes", op.online_nodes);
  w.field("total_storage_committed", op.total_storage_committed);
  w.field("total_storage_used", op.total_storage_used);
  w.key("addresses").begin_array();
  for (const auto& a : op.addresses) w.value(a);
  w.end_array();
  w.key("versions").begin_array();
  for (const auto& v : op.versions) w.value(v);
  w.end_array();
  w.field("first_seen", op.first_seen);
  w.end_object();
}

// `operators` is sorted by node_count descending; the first `limit` are listed.
BodyTemplate operators_body(const analysis::OperatorSummary& s, const std::vector<analysis::Operator>& operators,
                            size_t limit) {
  BodyTemplate body;
  JsonWriter& w = body.writer();
  w.begin_object().key("summary").begin_object();
  w.field("total_operators", s.total_operators).field("total_nodes", s.total_nodes);
  if (s.total_operators == 0) {  // the reference's integer fallbacks
    w.field("avg_nodes_per_operator", 0).field("largest_operator_share_percent", 0);
    w.field("decentralization_score", 100);
  } else {
    w.field("avg_nodes_per_operator", s.avg_nodes_per_operator);
    w.field("largest_operator_share_percent", s.largest_operator_share_percent);
    w.field("decentralization_score", s.decentralization_score);
  }
  w.end_object();
  w.key("operators").begin_array();
  size_t count = std::min(limit, operators.size());
  for (size_t i = 0; i < count; ++i) write_operator(w, operators[i]);
  w.end_array();
  w.key("timestamp");
  body.hole(0);
  w.end_object();
  return std::move(body.finish());
}

// ---- /pnodes/compare ----

void write_score_winner(JsonWriter& w, std::string_view key, const analysis::ScoreWinner& winner,
                        const analysis::NodeViews& views) {
  const analysis::NodeView* node = views.find(winner.address);
  w.key(key).begin_object().field("address", winner.address);
  if (node) {
    write_score_field(w, "score", node->scores, winner.score);
  } else {
    w.field("score", winner.score);
  }
  w.field("category", winner.category).end_object();
}

void write_comparison(JsonWriter& w, const std::vector<const analysis::NodeView*>& nodes,
                      const analysis::Comparison& c, const model::Snapshot& snapshot) {
  const analysis::NodeViews& views = *snapshot.views;
  w.key("comparison").begin_array();
  for (const analysis::NodeView* n : nodes) write_node(w, *n, snapshot);
  w.end_array();

  const analysis::CompareWinners& win = c.winners;
  w.key("winners").begin_object();
  write_score_winner(w, "overall_score", win.overall_score, views);
  write_score_winner(w, "trust_score", win.trust_score, views);
  write_score_winner(w, "capacity_score", win.capacity_score, views);
  w.key("best_uptime").begin_object().field("address", win.best_uptime.address);
  w.field("uptime", win.best_uptime.uptime).field("uptime_days", win.best_uptime.uptime_days);
  w.field("category", win.best_uptime.category).end_object();
  w.key("most_storage").begin_object().field("address", win.most_storage.address);
  w.field("storage", win.most_storage.storage).field("storage_gb", win.most_storage.storage_gb);
  w.field("category", win.most_storage.category).end_object();
  w.key("best_connectivity").begin_object().field("address", win.best_connectivity.address);
  w.field("peers", win.best_connectivity.peers).field("category", win.best_connectivity.category).end_object();
  w.end_object();

  w.key("recommendation").begin_object();
  w.field("recommended_node", c.recommendation.recommended_node).field("reason", c.recommendation.reason);
  w.key("considerations").begin_array();
  for (const auto& text : c.recommendation.considerations) w.value(text);
  w.end_array().end_object();

  w.key("summary").begin_object();
  w.field("nodes_compared", c.summary.nodes_compared).field("all_online", c.summary.all_online);
  w.field("avg_score", c.summary.avg_score);
  w.end_object();
}

}  // namespace

const QuerySchema& recommendations_query_schema() {
  static const QuerySchema schema{
      int_param("limit").def(10).ge(1).le(50),
      int_param("min_uptime_days").def(7).ge(1).le(365),
      bool_param("require_public").def(false),
      float_param("min_score").ge(0).le(100),  // documented by the reference, implemented here
  };
  return schema;
}

http::Response get_recommendations(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views) return snapshot_unavailable();
  analysis::RecommendationFilters filters;
  filters.limit = static_cast<size_t>(request.query.integer("limit"));
  filters.min_uptime_days = request.query.integer("min_uptime_days");
  filters.require_public = request.query.boolean("require_public");
  filters.min_score = request.query.opt_number("min_score");
  int64_t now = api.now();
  if (is_default(filters)) {
    auto body = api.route_state().recommendations_default.get(
        snapshot, now, [&filters](const model::Snapshot& s) { return recommendations_body(*s.views, filters); });
    return shared_json_response(200, std::move(body));
  }
  return json_response(200, recommendations_body(*snapshot->views, filters).render(now));
}

const QuerySchema& operators_query_schema() {
  static const QuerySchema schema{
      int_param("limit").def(100).ge(1).le(500),
      int_param("min_nodes").def(1).ge(1),
  };
  return schema;
}

http::Response get_operators(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views || !snapshot->insights) return snapshot_unavailable();
  size_t limit = static_cast<size_t>(request.query.integer("limit"));
  int64_t min_nodes = request.query.integer("min_nodes");
  int64_t now = api.now();
  if (min_nodes == 1) {
    // Every operator is grouped once per snapshot (min_nodes 1): only the cut differs.
    auto report = api.route_state().operators_all.get(snapshot, [](const model::Snapshot& s) {
      return analysis::group_operators(s.views->nodes, 1, std::numeric_limits<size_t>::max());
    });
    const analysis::OperatorReport& all = *report;
    if (limit == 100) {
      auto body = api.route_state().operators_default.get(snapshot, now, [&all](const model::Snapshot&) {
        return operators_body(all.summary, all.operators, 100);
      });
      return shared_json_response(200, std::move(body));
    }
    return json_response(200, operators_body(all.summary, all.operators, limit).render(now));
  }
  analysis::OperatorReport report = analysis::group_operators(snapshot->views->nodes, min_nodes, limit);
  return json_response(200, operators_body(report.summary, report.operators, limit).render(now));
}

const QuerySchema& compare_query_schema() {
  static const QuerySchema schema{str_param("addresses").required()};
  return schema;
}

http::Response get_compare(const Api& api, const RouteRequest& request) {
  std::vector<std::string> addresses = analysis::split_address_list(request.query.str("addresses"));
  if (addresses.size() < 2)
    return json_response(
        400, R"({"error":"Must provide at least 2 addresses to compare","example":"?addresses=addr1:9001,addr2:9001"})");
  if (addresses.size() > 5) {
    JsonWriter w;
    w.begin_object().field("error", "Maximum 5 nodes can be compared at once").field("provided", addresses.size());
    w.end_object();
    return json_response(400, w.take());
  }
  if (auto duplicates = analysis::duplicate_addresses(addresses); !duplicates.empty()) {
    JsonWriter w;
    w.begin_object().field("error", "Each address can be compared only once").key("duplicates").begin_array();
    for (const auto& a : duplicates) w.value(a);
    w.end_array().field("example", "?addresses=addr1:9001,addr2:9001").end_object();
    return json_response(400, w.take());
  }

  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views) return snapshot_unavailable();
  const analysis::NodeViews& views = *snapshot->views;
  std::vector<const analysis::NodeView*> nodes;
  std::vector<std::string> missing;
  for (const auto& address : addresses) {
    if (const analysis::NodeView* n = views.find(address)) {
      nodes.push_back(n);
    } else {
      missing.push_back(address);
    }
  }
  if (!missing.empty()) {
    JsonWriter w;
    w.begin_object().field("error", "Some addresses not found").key("missing").begin_array();
    for (const auto& a : missing) w.value(a);
    w.end_array().field("suggestion", "Check /pnodes for valid addresses").end_object();
    return json_response(404, w.take());
  }

  analysis::Comparison comparison = analysis::compare_nodes(nodes);
  JsonWriter w;
  w.reserve(4096);
  w.begin_object();
  write_comparison(w, nodes, comparison, *snapshot);
  w.field("timestamp", api.now());
  w.end_object();
  return json_response(200, w.take());
}

}  // namespace pnode::api
