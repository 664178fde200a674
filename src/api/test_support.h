// Test helpers for api/ tests: hand-built Snapshots whose NodeViews are filled directly
// with known values (no collector, no scoring), plus the request and response helpers of
// rest/test_support.h.
// Test-only; not part of pnode_api. Thread-safety: none needed.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analysis/node_view.h"
#include "http/message.h"
#include "model/snapshot.h"
#include "rest/test_support.h"

namespace pnode::api::testing {

using rest::testing::body_json;
using rest::testing::body_text;
using rest::testing::header;
using rest::testing::make_request;

// An online node with real (non-offline) scores.
inline analysis::NodeView online(std::string address, int64_t last_seen, uint64_t uptime, double score,
                                 std::string version = "0.8.0") {
  analysis::NodeView v;
  v.address = std::move(address);
  v.pubkey = "pk-" + v.address;
  v.is_online = true;
  v.last_seen = last_seen;
  v.version = std::move(version);
  v.uptime = uptime;
  v.is_public = true;
  v.storage_committed = 1000;
  v.storage_used = 100;
  v.storage_usage_percent = 10.0;
  v.first_seen = last_seen - 1000;
  v.scores.stake.composite_score = score;
  v.scores.stake.rating = score >= 80 ? "low_risk" : score >= 60 ? "medium_risk" : "high_risk";
  return v;
}

inline analysis::NodeView offline(std::string address, int64_t last_seen) {
  analysis::NodeView v;
  v.address = std::move(address);
  v.pubkey = "pk-" + v.address;
  v.is_online = false;
  v.last_seen = last_seen;
  v.version = "0.7.0";
  v.storage_committed = 5000;
  v.storage_used = 500;
  v.storage_usage_percent = 10.0;
  v.first_seen = last_seen - 5000;
  v.scores.stake.rating = "offline";
  return v;
}

// Views over `nodes` (online ones first, as the collector builds them), indexed and
// sorted by the production index_node_views().
inline std::shared_ptr<analysis::NodeViews> make_views(std::vector<analysis::NodeView> nodes) {
  auto views = std::make_shared<analysis::NodeViews>();
  std::stable_partition(nodes.begin(), nodes.end(), [](const analysis::NodeView& v) { return v.is_online; });
  views->nodes = std::move(nodes);
  views->online_count = static_cast<size_t>(
      std::count_if(views->nodes.begin(), views->nodes.end(), [](const auto& v) { return v.is_online; }));
  analysis::index_node_views(*views);  // the production sort orders and index
  return views;
}

// A snapshot published at `last_updated` with the given seeds and views. Each online
// view also appears in `nodes` (the merged gossip view) so /health and / can count it.
inline std::shared_ptr<const model::Snapshot> make_snapshot(int64_t last_updated, std::vector<std::string> seeds,
                                                            std::shared_ptr<analysis::NodeViews> views) {
  auto s = std::make_shared<model::Snapshot>();
  s->last_updated = last_updated;
  s->summary.last_updated = last_updated;
  s->summary.total_nodes = static_cast<int64_t>(seeds.size());
  for (std::string& seed : seeds) {
    model::SeedPoll poll;
    poll.seed = std::move(seed);
    s->seeds.push_back(std::move(poll));
  }
  auto registry = std::make_shared<model::Registry>();
  if (views) {
    for (auto& v : views->nodes) v.last_checked = last_updated;
    for (const auto& v : views->nodes) {
      if (v.is_online) {
        model::MergedNode m;
        m.pod.address = v.address;
        m.peer_sources = v.peer_sources;
        s->nodes.push_back(std::move(m));
      }
      model::RegistryEntry e;
      e.address = v.address;
      e.last_seen = v.last_seen;
      registry->entries.push_back(std::move(e));
    }
    registry->reindex();
  }
  s->summary.total_pnodes = static_cast<int64_t>(s->nodes.size());
  s->registry = std::move(registry);
  s->views = std::move(views);
  return s;
}

}  // namespace pnode::api::testing
