// Builders of model data shared by the unit tests: pods, seed polls, snapshots, registry
// entries, history rows and analysis node views, each with known field values, named
// make_<thing>. Builders of a folder's own fixtures (temp dirs, stores, the api route test
// network, SeedAnswer lists) stay in that folder's test support header.
// Test-only; thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analysis/node_view.h"
#include "model/history.h"
#include "model/snapshot.h"
#include "util/error.h"

namespace pnode::testing {

// --- pods, seed polls, snapshots, registry entries, history rows ---

// A pod with every optional field set.
inline model::Pod make_pod(const std::string& address) {
  model::Pod p;
  p.address = address;
  p.pubkey = "Pk" + address;
  p.is_public = true;
  p.last_seen_timestamp = 1765000000;
  p.last_seen = "2025-12-06 05:46:40 UTC";
  p.rpc_port = 6000;
  p.storage_committed = 107374182400ull;
  p.storage_used = 4700;
  p.storage_usage_percent = 4.6764705882352943e-7;
  p.uptime = 86400 * 12 + 7;
  p.version = "0.8.0";
  return p;
}

inline model::Pod make_bare_pod(const std::string& address) {
  model::Pod p;
  p.address = address;  // every optional field left empty
  return p;
}

inline model::SeedPoll make_seed_poll() {
  model::SeedPoll s;
  s.seed = "127.0.0.1:6000";
  s.version = model::VersionInfo{"0.8.0-trynet.20251201"};
  model::NodeStats st;
  st.active_streams = 3;
  st.cpu_percent = 12.345678;
  st.current_index = 17;
  st.file_size = 1ull << 40;
  st.last_updated = 1765000001;
  st.packets_received = 123456789;
  st.packets_sent = 987654321;
  st.ram_total = 16ull << 30;
  st.ram_used = 5ull << 30;
  st.total_bytes = std::numeric_limits<uint64_t>::max();  // the extreme must survive
  st.total_pages = 42;
  st.uptime = 3600;
  s.stats = st;
  s.pod_count = 2;
  s.pods_total_count = 2;
  s.used_fallback = false;
  s.duration_ms = 12.5;
  return s;
}

inline model::SeedPoll make_failed_seed_poll() {
  model::SeedPoll s;
  s.seed = "127.0.0.2:6000";
  s.version_error = make_error(ErrorCode::kHttpStatus, "127.0.0.2:6000 get-version: HTTP 503")
                        .with_http_status(503)
                        .with_where("127.0.0.2:6000 get-version");
  s.stats_error =
      make_error(ErrorCode::kRpcError, "method \"get-stats\" failed: \"quoted\"\n newline").with_rpc_code(-32000);
  s.pods_error = make_error(ErrorCode::kRefused, "connect 127.0.0.2:6000: Connection refused");
  s.used_fallback = true;
  s.duration_ms = 0.25;
  return s;
}

// A snapshot with seeds (one answering fully, one failing), a full and a bare node,
// summary and changes all set.
inline model::Snapshot make_sample_snapshot(uint64_t cycle, int64_t at) {
  model::Snapshot s;
  s.cycle = cycle;
  s.started_at = at - 2;
  s.last_updated = at;
  s.duration_ms = 1834.75;
  s.seeds = {make_seed_poll(), make_failed_seed_poll()};
  model::MergedNode a{make_pod("10.0.0.1:9001"), {0, 1}, 1};
  model::MergedNode b{make_bare_pod("10.0.0.2:9001"), {1}, 1};
  s.nodes = {a, b};
  s.summary.total_nodes = 2;
  s.summary.total_pnodes = 2;
  s.summary.total_pnodes_raw = 3;
  s.summary.total_bytes_processed = 5ull << 41;
  s.summary.avg_cpu_percent = 6.17;
  s.summary.avg_ram_used_percent = 15.63;
  s.summary.total_active_streams = 3;
  s.summary.last_updated = at;
  s.summary.seeds_responding = 1;
  s.changes.appeared = {"10.0.0.2:9001"};
  s.changes.dropped = {"10.0.0.9:9001", "10.0.0.8:9001"};
  s.changes.first_cycle = cycle == 1;
  return s;
}

inline model::RegistryEntry make_registry_entry(const std::string& address, int64_t at) {
  model::RegistryEntry e;
  e.address = address;
  e.pubkey = "Pk" + address;
  e.first_seen = at - 86400;
  e.last_seen = at;
  e.last_checked = at + 1;
  e.created_at = at - 3600;
  e.last_ip = "127.0.0.1:6000";
  e.rpc_port = 6001;
  e.is_public = true;
  e.storage_committed = std::numeric_limits<uint64_t>::max();
  e.storage_used = 123;
  e.uptime = 7200;
  e.storage_usage_percent = 0.1 + 0.2;  // not a 2-decimal value: stored exactly
  e.version = "0.8.0";
  e.source_ips = {"127.0.0.1:6000", "127.0.0.2:6000"};
  e.gossip_appearances = 3;
  e.gossip_disappearances = 1;
  e.last_gossip_appearance = at - 60;
  e.last_gossip_drop = at - 120;
  e.consistency_score = 0.75;
  e.in_gossip = true;  // a non-default value, so a lost column fails the round trip
  return e;
}

inline model::RegistryEntry make_bare_registry_entry(const std::string& address, int64_t at) {
  model::RegistryEntry e;
  e.address = address;
  e.pubkey = address;
  e.first_seen = at;
  e.last_seen = at;
  e.last_checked = at;
  e.created_at = at;
  return e;
}

inline model::NetworkHistoryRow make_network_row(int64_t ts, int64_t pnodes) {
  model::NetworkHistoryRow r;
  r.timestamp = ts;
  r.total_pnodes = pnodes;
  r.online_pnodes = pnodes;
  r.total_ip_nodes = 9;
  r.public_pnodes = pnodes / 2;
  r.private_pnodes = pnodes - pnodes / 2;
  r.avg_cpu_percent = 7.25;
  r.avg_ram_used_percent = 33.33;
  r.total_active_streams = 4;
  r.total_bytes_processed = 1ull << 50;
  r.total_storage_committed = 1ull << 45;
  r.total_storage_used = 1ull << 30;
  r.avg_storage_usage_percent = 1.0 / 3.0;
  r.storage_utilization_ratio = 0.01;
  r.avg_peer_count = 2.67;
  r.version_distribution = {{"0.8.0", pnodes - 1}, {"unknown", 1}};
  return r;
}

inline model::NodeHistoryRow make_node_row(const std::string& address, int64_t ts) {
  model::NodeHistoryRow r;
  r.address = address;
  r.timestamp = ts;
  r.is_online = (ts % 2) == 0;
  r.is_public = true;
  r.version = "0.8.0";
  r.uptime = static_cast<uint64_t>(ts) % 100000;
  r.storage_committed = 1ull << 37;
  r.storage_used = 999;
  r.storage_usage_percent = 0.000727;
  r.peer_count = 3;
  r.score = 72.35;
  r.trust_score = 83.33;
  r.capacity_score = 55.0;
  return r;
}

// A pod as gossip lists it: `last_seen` and `version` given, the rest fixed.
inline model::Pod make_gossip_pod(std::string address, int64_t last_seen, std::string version = "0.8.0") {
  model::Pod p;
  p.address = std::move(address);
  p.pubkey = "pk-" + p.address;
  p.last_seen_timestamp = last_seen;
  p.version = std::move(version);
  p.is_public = false;
  p.rpc_port = 6000;
  p.storage_committed = 100;
  p.storage_used = 1;
  p.storage_usage_percent = 1.0;
  p.uptime = 1000;
  return p;
}

// A pod with the given fields; storage_used is derived from `committed` and `usage`.
inline model::Pod make_pod(std::string address, std::string pubkey, uint64_t uptime, uint64_t committed, double usage,
                          std::string version, bool is_public, int64_t last_seen) {
  model::Pod p;
  p.address = std::move(address);
  p.pubkey = std::move(pubkey);
  p.is_public = is_public;
  p.last_seen_timestamp = last_seen;
  p.rpc_port = 6000;
  p.storage_committed = committed;
  p.storage_used = static_cast<uint64_t>(static_cast<double>(committed) * usage / 100.0);
  p.storage_usage_percent = usage;
  p.uptime = uptime;
  p.version = std::move(version);
  return p;
}

// --- analysis views ---


// An online node with real (non-offline) scores.
inline analysis::NodeView make_online_view(std::string address, int64_t last_seen, uint64_t uptime, double score,
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

inline analysis::NodeView make_offline_view(std::string address, int64_t last_seen) {
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

}  // namespace pnode::testing
