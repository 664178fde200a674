// GET /pnodes (docs/reference-compat.md §1.3, §1.4.6), served from the snapshot's precomputed
// NodeViews: counts and aggregates over every node, then one page of the requested
// status in the precomputed order of the sort key.
#include <algorithm>
#include <numeric>
#include <optional>

#include "api/errors.h"
#include "api/node_json.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

// "all" matches every node; otherwise the wanted online flag.
std::optional<uint8_t> wanted_online(const std::string& status) {
  if (status == "all") return std::nullopt;
  return status == "online" ? 1 : 0;
}

size_t status_total(const std::string& status, const analysis::NodeViews& views) {
  if (status == "all") return views.nodes.size();
  return status == "online" ? views.online_count : views.nodes.size() - views.online_count;
}

}  // namespace

NodeFragments::NodeFragments(const model::Snapshot& snapshot) {
  const auto& nodes = snapshot.views->nodes;
  online.reserve(nodes.size());
  for (const analysis::NodeView& node : nodes) online.push_back(node.is_online ? 1 : 0);
  items_ = std::make_unique<std::atomic<const std::string*>[]>(nodes.size());
}

NodeFragments::~NodeFragments() {
  if (!items_) return;  // moved from
  for (size_t i = 0; i < online.size(); ++i) delete items_[i].load(std::memory_order_relaxed);
}

std::string_view NodeFragments::of(size_t i, const model::Snapshot& snapshot) const {
  if (const std::string* item = items_[i].load(std::memory_order_acquire)) return *item;
  JsonWriter one;
  write_node(one, snapshot.views->nodes[i], snapshot);
  auto fresh = std::make_unique<const std::string>(one.take());
  const std::string* expected = nullptr;
  if (items_[i].compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel)) return *fresh.release();
  return *expected;  // another thread's, kept; ours is freed
}

size_t NodeFragments::built() const {
  size_t count = 0;
  for (size_t i = 0; i < online.size(); ++i) count += items_[i].load(std::memory_order_relaxed) != nullptr;
  return count;
}

const QuerySchema& pnodes_query_schema() {
  static const QuerySchema schema{
      str_param("status").def("online").pattern("^(all|online|offline)$"),
      int_param("limit").def(100).ge(1).le(1000),
      int_param("skip").def(0).ge(0),
      str_param("sort_by").def("last_seen").pattern(
          "^(last_seen|uptime|score|storage_used|storage_usage_percent|first_seen|score_v2)$"),
      str_param("sort_order").def("desc").pattern("^(asc|desc)$"),
  };
  return schema;
}

namespace {

// One /pnodes page as a template: "snapshot_age_seconds", "last_updated" (when the
// snapshot has no time) and "timestamp" are holes stamped per second.
BodyTemplate pnodes_page(const Api& api, const std::shared_ptr<const model::Snapshot>& snapshot_ptr,
                         const std::string& status,
                         const std::string& sort_by, const std::string& sort_order, size_t limit, uint64_t skip) {
  const model::Snapshot& snapshot = *snapshot_ptr;
  const analysis::NodeViews& views = *snapshot.views;
  // The schema's pattern admits exactly the keys parse_sort_key knows.
  auto key = analysis::parse_sort_key(sort_by);
  const auto& orders = sort_order == "asc" ? views.asc_order : views.desc_order;
  const std::vector<uint32_t>* order = key ? &orders[static_cast<size_t>(*key)] : nullptr;
  std::vector<uint32_t> identity;
  if (!order || order->size() != views.nodes.size()) {
    // Views built without sort orders (never by the collector): list in build order
    // rather than fail the request.
    identity.resize(views.nodes.size());
    std::iota(identity.begin(), identity.end(), 0u);
    order = &identity;
  }

  // The page's nodes first, so the body is reserved once at its size (a body that grows
  // is copied, and written again into fresh pages).
  auto fragments = api.route_state().node_fragments.get(
      snapshot_ptr, [](const model::Snapshot& s) { return NodeFragments(s); });
  const size_t total = status_total(status, views);
  const size_t returned = skip >= total ? 0 : std::min<size_t>(limit, total - skip);
  std::vector<uint32_t> page;
  page.reserve(returned);
  size_t page_bytes = 0;
  uint64_t matched = 0;
  const std::optional<uint8_t> wanted = wanted_online(status);
  for (uint32_t index : *order) {
    if (page.size() == returned) break;
    if (wanted && fragments->online[index] != *wanted) continue;
    if (matched++ < skip) continue;
    page.push_back(index);
    page_bytes += fragments->of(index, snapshot).size() + 1;
  }

  auto network_stats = api.route_state().network_stats_json.get(snapshot_ptr, [](const model::Snapshot& s) {
    JsonWriter stats;
    write_network_stats(stats, compute_network_stats(*s.views));
    return stats.take();
  });
  BodyTemplate body;
  JsonWriter& w = body.writer();
  w.reserve(1024 + network_stats->size() + page_bytes);
  w.begin_object();
  // write_pnodes_summary with the time-derived fields as holes.
  int64_t total_nodes = static_cast<int64_t>(views.nodes.size());
  int64_t online = static_cast<int64_t>(views.online_count);
  int64_t last_updated = snapshot_last_updated(snapshot, 0);  // 0: the snapshot has no time, it is "now"
  w.key("summary").begin_object();
  w.field("total_pnodes", total_nodes).field("online_pnodes", online).field("offline_pnodes", total_nodes - online);
  if (last_updated != 0) {
    w.key("snapshot_age_seconds");
    body.hole(-last_updated);
    w.field("last_updated", last_updated);
  } else {
    w.field("snapshot_age_seconds", int64_t{0}).key("last_updated");
    body.hole(0);
  }
  w.end_object();
  w.key("network_stats").raw(*network_stats);

  w.key("pagination").begin_object();
  w.field("total", total).field("limit", limit).field("skip", skip).field("returned", returned);
  w.end_object();
  w.key("filters").begin_object();
  w.field("status", status).field("sort_by", sort_by).field("sort_order", sort_order);
  w.end_object();

  w.key("pnodes").begin_array();
  for (uint32_t index : page) w.raw(fragments->of(index, snapshot));
  w.end_array();
  w.key("timestamp");
  body.hole(0);
  w.end_object();
  return std::move(body.finish());
}

}  // namespace

// Pages are cached per snapshot and query (RouteState::pnodes_pages), so a repeated
// query is serialised once per cycle and stamped once per second.
http::Response get_pnodes(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views) return snapshot_unavailable();

  const std::string& status = request.query.str("status");
  const std::string& sort_by = request.query.str("sort_by");
  const std::string& sort_order = request.query.str("sort_order");
  size_t limit = static_cast<size_t>(request.query.integer("limit"));
  uint64_t skip = static_cast<uint64_t>(request.query.integer("skip"));
  std::string key = status + '|' + sort_by + '|' + sort_order + '|' + std::to_string(limit) + '|' + std::to_string(skip);
  auto body = api.route_state().pnodes_pages.get(snapshot, key, api.now(), [&](const model::Snapshot&) {
    return pnodes_page(api, snapshot, status, sort_by, sort_order, limit, skip);
  });
  return shared_json_response(200, std::move(body));
}

}  // namespace pnode::api
