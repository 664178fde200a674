// Pod credits routes (issue 13, part 3; not in the reference): GET /network/credits (each
// list's freshness and the eligibility rule's numbers) and GET /pnodes/{address}/credits
// (one node's credits and standing, joined by its pubkey). Both read the credits poller's
// latest state (collect/credits_poller.h); without configured sources they answer 503.
#include <optional>
#include <string>

#include "analysis/node_view.h"
#include "api/errors.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "collect/credits_poller.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

http::Response credits_unavailable() {
  return jsonrpc_error(503, "Pod credits not available: no credits source is configured");
}

std::shared_ptr<const collect::CreditsState> credits_state(const Api& api) {
  if (!api.config().credits) return nullptr;
  auto state = api.config().credits();
  if (!state || (!state->mainnet.configured && !state->devnet.configured)) return nullptr;
  return state;
}

// A unix time that is 0 when it never happened: null then.
std::optional<int64_t> when(int64_t t) { return t ? std::optional<int64_t>(t) : std::nullopt; }

void write_list(JsonWriter& w, const collect::CreditsSourceState& source, const analysis::NetworkCredits& judged,
                int64_t now) {
  w.key(source.name).begin_object();
  w.field("configured", source.configured).field("pods", judged.pods);
  w.field("percentile_value", judged.percentile_value).field("threshold", judged.threshold);
  w.field("eligible", judged.eligible).field("skipped_rows", source.skipped_rows);
  w.field("fetched_at", when(source.fetched_at));
  w.field("age_seconds", source.fetched_at ? std::optional<int64_t>(now - source.fetched_at) : std::nullopt);
  w.field("last_attempt", when(source.attempted_at));
  w.field("error", source.error.empty() ? std::nullopt : std::optional<std::string>(source.error));
  w.end_object();
}

}  // namespace

http::Response get_network_credits(const Api& api, const RouteRequest&) {
  auto state = credits_state(api);
  if (!state) return credits_unavailable();
  const int64_t now = api.now();
  size_t listed_online = 0, eligible_online = 0;
  if (auto snapshot = api.hub().current(); snapshot && snapshot->views) {
    for (const auto& node : snapshot->views->nodes) {
      if (!node.is_online) continue;
      auto it = state->view.by_pubkey.find(node.pubkey);
      if (it == state->view.by_pubkey.end()) continue;
      ++listed_online;
      eligible_online += it->second.eligible;
    }
  }
  JsonWriter w;
  w.begin_object().key("rule").begin_object();
  w.field("percentile", state->rules.percentile).field("fraction", state->rules.fraction).end_object();
  write_list(w, state->mainnet, state->view.mainnet, now);
  write_list(w, state->devnet, state->view.devnet, now);
  w.field("online_nodes_listed", listed_online).field("online_nodes_eligible", eligible_online);
  w.field("timestamp", now).end_object();
  return json_response(200, w.take());
}

http::Response get_node_credits(const Api& api, const RouteRequest& request) {
  auto snapshot = api.hub().current();
  if (!snapshot || !snapshot->views) return snapshot_unavailable();
  auto state = credits_state(api);
  if (!state) return credits_unavailable();
  const std::string& address = request.path_param("address");
  const analysis::NodeView* node = snapshot->views->find(address);
  if (!node) {
    JsonWriter w;
    w.begin_object().field("error", "Node not found: " + address);
    w.field("suggestion", "Check /pnodes for valid addresses").end_object();
    return json_response(404, w.take());
  }
  auto it = node->pubkey.empty() ? state->view.by_pubkey.end() : state->view.by_pubkey.find(node->pubkey);
  const bool listed = it != state->view.by_pubkey.end();
  JsonWriter w;
  w.begin_object().field("address", address).field("pubkey", node->pubkey).field("listed", listed);
  const analysis::CreditStanding* standing = listed ? &it->second : nullptr;
  w.field("network", standing ? std::optional<std::string>(analysis::credit_network_name(standing->network))
                              : std::nullopt);
  w.field("credits", standing ? std::optional<double>(standing->credits) : std::nullopt);
  w.field("threshold", standing ? std::optional<double>(standing->threshold) : std::nullopt);
  w.field("eligible", standing && standing->eligible);
  const auto& source =
      standing && standing->network == analysis::CreditNetwork::kDevnet ? state->devnet : state->mainnet;
  w.field("fetched_at", when(source.fetched_at));
  w.field("timestamp", api.now()).end_object();
  return json_response(200, w.take());
}

}  // namespace pnode::api
