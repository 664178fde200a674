// The registry routes (docs/reference-compat.md §1.4.3 GET /registry/{address}, §1.4.4
// DELETE /prune, §1.4.5 GET /graveyard, §1.5 the legacy GET /registry list), served from
// the snapshot's registry (every address ever seen: the reference's registry and status
// documents). Differences from the reference, all deliberate:
//   - "is_online" is the single definition used everywhere: the address is in the latest
//     merged gossip view (not "gossip last_seen within 2×TTL");
//   - "_id" is a stable string (the address), not a MongoDB ObjectId;
//   - /prune needs the admin token and days >= 1; /graveyard and /registry bound their
//     parameters (422), and failures answer fixed messages;
//   - /graveyard never lists a node that is online or still in gossip, whatever its
//     last_seen says (a seed may gossip an old time for a live node), and /prune spares
//     the same nodes (Store::prune_registry keeps rows in gossip).
#include <algorithm>
#include <chrono>
#include <exception>
#include <numeric>

#include "api/errors.h"
#include "api/node_json.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "store/store.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

// The registry document as the reference stores it (§3.4.1, §3.4.2), "_id" first.
void write_registry_fields(JsonWriter& w, const model::RegistryEntry& e) {
  w.field("_id", e.address).field("address", e.address).field("pubkey", e.pubkey);
  w.field("last_seen", e.last_seen).field("last_ip", e.last_ip).field("rpc_port", e.rpc_port);
  w.field("is_public", e.is_public);
  w.field("storage_committed", e.storage_committed).field("storage_used", e.storage_used);
  w.field("storage_usage_percent", e.storage_usage_percent);
  w.field("uptime", e.uptime).field("version", e.version);
  w.field("last_checked", e.last_checked).field("first_seen", e.first_seen);
  w.key("source_ips").begin_array();
  for (const std::string& ip : e.source_ips) w.value(ip);
  w.end_array();
  w.field("created_at", e.created_at);
  w.field("gossip_appearances", e.gossip_appearances).field("gossip_disappearances", e.gossip_disappearances);
  w.field("last_gossip_appearance", e.last_gossip_appearance).field("last_gossip_drop", e.last_gossip_drop);
  w.field("consistency_score", e.consistency_score);
  w.key("previous_addresses").begin_array();  // ours: where the node was before (NAT port changes)
  for (const std::string& a : e.previous_addresses) w.value(a);
  w.end_array();
}

void write_status_doc(JsonWriter& w, const model::RegistryEntry& e) {
  w.begin_object();
  w.field("_id", e.address).field("address", e.address).field("status", e.status());
  w.field("updated_at", e.last_checked).field("last_ip", e.last_ip).field("last_seen", e.last_seen);
  w.end_object();
}

bool is_online(const model::Snapshot& snapshot, const std::string& address) {
  const analysis::NodeView* node = snapshot.views ? snapshot.views->find(address) : nullptr;
  return node && node->is_online;
}

// A graveyard candidate: neither online nor counted as present by gossip tracking.
bool is_gone(const model::Snapshot& snapshot, const model::RegistryEntry& e) {
  return !e.in_gossip && !is_online(snapshot, e.address);
}

// Registry positions by last_seen descending, ties by address (the registry is sorted
// by address, so a stable sort keeps that order among equal times).
std::shared_ptr<const std::vector<uint32_t>> registry_by_last_seen(const Api& api,
                                                                    const std::shared_ptr<const model::Snapshot>& s) {
  return api.route_state().registry_by_last_seen.get(s, [](const model::Snapshot& snapshot) {
    const auto& entries = snapshot.registry->entries;
    std::vector<uint32_t> order(entries.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return entries[a].last_seen > entries[b].last_seen; });
    return order;
  });
}

Result<int64_t> prune_registry(const Api& api, int64_t cutoff) {
  try {
    if (api.config().prune) return api.config().prune(cutoff);
    if (api.store()) return api.store()->prune_registry(cutoff);
    return make_error(ErrorCode::kNoStore, "no store is configured");
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kException, e.what());
  }
}

}  // namespace

http::Response get_registry_entry(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->registry) return snapshot_unavailable();
  const std::string& requested = request.path_param("address");
  const model::RegistryEntry* entry = snapshot->registry->find(requested);
  // An address the node has left (a NAT port change): answer with where it went.
  const bool moved = !entry && (entry = snapshot->registry->find_moved(requested)) != nullptr;
  if (!entry) return jsonrpc_error(404, "Registry entry not found for address: " + requested);

  const std::string& address = entry->address;
  const analysis::NodeView* node = snapshot->views ? snapshot->views->find(address) : nullptr;
  JsonWriter w;
  w.begin_object();
  if (moved) w.field("moved_from", requested).field("moved_to", address);
  w.key("entry").begin_object();
  write_registry_fields(w, *entry);
  w.field("is_online", node && node->is_online);
  // The unified-node fields the reference's frontend reads from "entry" (§1.4.3).
  w.key("scores");
  if (node) {
    write_scores(w, node->scores);
    write_score_field(w, "score", node->scores, node->score());
    w.field("tier", node->tier());
    w.key("peer_sources");
    write_peer_sources(w, node->peer_sources, *snapshot);
    w.field("peer_count", node->peer_count());
    write_score_v2_field(w, *node);  // not in the reference: scoring v2 and why
    w.key("score_v2_breakdown");
    write_score_v2_breakdown(w, node->score_v2.get());
  } else {
    analysis::NodeScores offline;
    offline.stake.rating = "offline";
    write_scores(w, offline);
    w.field("score", 0).field("tier", "offline");
    w.key("peer_sources").begin_array().end_array();
    w.field("peer_count", 0);
    w.field("score_v2", std::optional<double>()).key("score_v2_breakdown").null();
  }
  w.end_object();
  w.key("status");
  write_status_doc(w, *entry);
  w.field("last_updated", snapshot_last_updated(*snapshot, api.now()));
  w.end_object();
  return json_response(200, w.take());
}

const QuerySchema& prune_query_schema() {
  static const QuerySchema schema{int_param("days").def(90).ge(1)};
  return schema;
}

http::Response delete_prune(const Api& api, const RouteRequest& request) {
  if (auto refused = refuse_unless_admin(api, request, "DELETE /prune")) return *std::move(refused);
  int64_t days = request.query.integer("days");
  Result<int64_t> deleted = prune_registry(api, seconds_before(api.now(), days, 86400));
  if (!deleted.ok()) return jsonrpc_error(500, "Failed to prune registry: the registry could not be updated");
  JsonWriter w;
  w.begin_object().field("status", "ok").field("threshold_days", days).field("deleted_count", *deleted);
  w.end_object();
  return json_response(200, w.take());
}

const QuerySchema& graveyard_query_schema() {
  static const QuerySchema schema{
      int_param("days").def(90).ge(1),
      int_param("skip").def(0).ge(0),
      int_param("limit").def(100).ge(1).le(1000),
  };
  return schema;
}

http::Response get_graveyard(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->registry) return snapshot_unavailable();
  int64_t days = request.query.integer("days");
  uint64_t skip = static_cast<uint64_t>(request.query.integer("skip"));
  uint64_t limit = static_cast<uint64_t>(request.query.integer("limit"));
  int64_t cutoff = seconds_before(api.now(), days, 86400);

  const auto& entries = snapshot->registry->entries;
  auto order = registry_by_last_seen(api, snapshot);
  // Descending by last_seen: the entries older than the cutoff are a suffix.
  auto first_old = std::partition_point(order->begin(), order->end(),
                                        [&](uint32_t i) { return entries[i].last_seen >= cutoff; });
  std::vector<uint32_t> page;
  for (auto it = first_old; it != order->end() && page.size() < limit; ++it) {
    if (!is_gone(*snapshot, entries[*it])) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    page.push_back(*it);
  }

  JsonWriter w;
  w.reserve(256 + page.size() * 600);
  w.begin_object().field("count", page.size()).field("threshold_days", days).key("items").begin_array();
  for (uint32_t i : page) {
    w.begin_object();
    write_registry_fields(w, entries[i]);
    w.end_object();
  }
  w.end_array().end_object();
  return json_response(200, w.take());
}

const QuerySchema& registry_list_query_schema() {
  static const QuerySchema schema{
      int_param("limit").def(100).ge(1).le(1500),
      int_param("skip").def(0).ge(0),
  };
  return schema;
}

http::Response get_registry_list(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->registry) return snapshot_unavailable();
  uint64_t limit = static_cast<uint64_t>(request.query.integer("limit"));
  uint64_t skip = static_cast<uint64_t>(request.query.integer("skip"));
  const auto& entries = snapshot->registry->entries;
  auto order = registry_by_last_seen(api, snapshot);
  uint64_t begin = std::min<uint64_t>(skip, order->size());
  uint64_t count = std::min<uint64_t>(limit, order->size() - begin);

  JsonWriter w;
  w.reserve(256 + count * 620);
  w.begin_object().field("count", count).key("items").begin_array();
  for (uint64_t k = begin; k < begin + count; ++k) {
    const model::RegistryEntry& e = entries[(*order)[k]];
    w.begin_object();
    write_registry_fields(w, e);
    w.field("is_online", is_online(*snapshot, e.address));
    w.end_object();
  }
  w.end_array().end_object();
  return json_response(200, w.take());
}

}  // namespace pnode::api
