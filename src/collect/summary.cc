#include "collect/summary.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "util/py_format.h"
#include "util/saturating.h"

namespace pnode::collect {
namespace {

void keep_most_common_versions(std::map<std::string, int64_t>& distribution) {
  if (distribution.size() <= kMaxHistoryVersions) return;
  std::vector<std::pair<std::string, int64_t>> by_count(distribution.begin(), distribution.end());
  std::stable_sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::map<std::string, int64_t> kept;
  int64_t others = 0;
  for (size_t i = 0; i < by_count.size(); ++i) {
    if (i < kMaxHistoryVersions) kept.insert(std::move(by_count[i]));
    else others += by_count[i].second;
  }
  kept[kOtherVersions] += others;
  distribution = std::move(kept);
}

}  // namespace

NetworkSummary summarize(const std::vector<SeedPoll>& seeds, size_t unique_pods, size_t raw_pods, int64_t now) {
  NetworkSummary s;
  s.total_nodes = static_cast<int64_t>(seeds.size());
  s.total_pnodes = static_cast<int64_t>(unique_pods);
  s.total_pnodes_raw = static_cast<int64_t>(raw_pods);
  s.last_updated = now;
  double cpu = 0, ram = 0;
  int64_t with_stats = 0;
  for (const auto& seed : seeds) {
    if (seed.ok()) ++s.seeds_responding;
    if (!seed.stats) continue;
    const model::NodeStats& st = *seed.stats;
    ++with_stats;
    saturating_accumulate(s.total_bytes_processed, st.total_bytes.value_or(0));
    saturating_accumulate(s.total_active_streams, st.active_streams.value_or(0));
    cpu += st.cpu_percent.value_or(0);
    // Without a RAM total there is no percentage (dividing by 1 would give absurd ones).
    if (st.ram_total.value_or(0) > 0)
      ram += static_cast<double>(st.ram_used.value_or(0)) / static_cast<double>(*st.ram_total) * 100.0;
  }
  if (with_stats > 0) {
    s.avg_cpu_percent = py_round(cpu / static_cast<double>(with_stats), 2);
    s.avg_ram_used_percent = py_round(ram / static_cast<double>(with_stats), 2);
  }
  return s;
}

store::NetworkHistoryRow network_sample(const Snapshot& snapshot) {
  store::NetworkHistoryRow row;
  const auto& sum = snapshot.summary;
  row.timestamp = snapshot.last_updated;
  row.total_pnodes = sum.total_pnodes;
  row.online_pnodes = sum.total_pnodes;
  row.total_ip_nodes = sum.total_nodes;
  row.avg_cpu_percent = sum.avg_cpu_percent;
  row.avg_ram_used_percent = sum.avg_ram_used_percent;
  row.total_active_streams = sum.total_active_streams;
  row.total_bytes_processed = sum.total_bytes_processed;
  if (!snapshot.views) return row;
  const auto& views = *snapshot.views;
  double usage_sum = 0, peers = 0;
  int64_t usage_count = 0;
  for (size_t i = 0; i < views.online_count; ++i) {
    const auto& v = views.nodes[i];
    (v.is_public ? row.public_pnodes : row.private_pnodes) += 1;
    saturating_accumulate(row.total_storage_committed, v.storage_committed);
    saturating_accumulate(row.total_storage_used, v.storage_used);
    if (v.storage_usage_percent > 0) {
      usage_sum += v.storage_usage_percent;
      ++usage_count;
    }
    peers += static_cast<double>(v.peer_count());
    row.version_distribution[v.version] += 1;
  }
  keep_most_common_versions(row.version_distribution);
  if (usage_count > 0) row.avg_storage_usage_percent = py_round(usage_sum / static_cast<double>(usage_count), 2);
  if (row.total_storage_committed > 0)
    row.storage_utilization_ratio = py_round(static_cast<double>(row.total_storage_used) /
                                                 static_cast<double>(row.total_storage_committed) * 100.0, 2);
  if (views.online_count > 0) row.avg_peer_count = py_round(peers / static_cast<double>(views.online_count), 2);
  return row;
}

std::vector<store::NodeHistoryRow> node_samples(const Snapshot& snapshot, int64_t recent_offline_seconds) {
  std::vector<store::NodeHistoryRow> rows;
  if (!snapshot.views) return rows;
  const auto& views = *snapshot.views;
  rows.reserve(views.online_count);
  for (size_t i = 0; i < views.nodes.size(); ++i) {
    const auto& v = views.nodes[i];
    if (!v.is_online) {
      const RegistryEntry* e = snapshot.registry ? snapshot.registry->find(v.address) : nullptr;
      if (!e || !e->last_gossip_drop || snapshot.last_updated - *e->last_gossip_drop > recent_offline_seconds)
        continue;
    }
    store::NodeHistoryRow r;
    r.address = v.address;
    r.timestamp = snapshot.last_updated;
    r.is_online = v.is_online;
    r.is_public = v.is_public;
    r.version = v.version;
    r.uptime = v.uptime;
    r.storage_committed = v.storage_committed;
    r.storage_used = v.storage_used;
    r.storage_usage_percent = v.storage_usage_percent;
    r.peer_count = static_cast<int64_t>(v.peer_count());
    r.score = v.score();
    r.trust_score = v.scores.trust.score;
    r.capacity_score = v.scores.capacity.score;
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace pnode::collect
