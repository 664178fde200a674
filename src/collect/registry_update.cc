#include "collect/registry_update.h"

#include <algorithm>
#include <unordered_set>

namespace pnode::collect {
namespace {

template <class T>
void keep_known(std::optional<T>& known, const std::optional<T>& learnt) {
  if (learnt) known = learnt;
}

void add_source(std::vector<std::string>& sources, const std::string& seed) {
  auto it = std::lower_bound(sources.begin(), sources.end(), seed);
  if (it == sources.end() || *it != seed) sources.insert(it, seed);
}

void refresh_consistency(RegistryEntry& e) {
  int64_t events = e.gossip_appearances + e.gossip_disappearances;
  e.consistency_score = events > 0 ? static_cast<double>(e.gossip_appearances) / static_cast<double>(events) : 1.0;
}

void apply_sighting(RegistryEntry& e, const MergedNode& m, const std::vector<SeedPoll>& seeds, int64_t now) {
  const model::Pod& p = m.pod;
  e.pubkey = p.pubkey.value_or(e.pubkey.empty() ? p.address : e.pubkey);
  e.last_seen = p.last_seen_timestamp.value_or(now);
  e.first_seen = e.first_seen == 0 ? e.last_seen : std::min(e.first_seen, e.last_seen);
  e.last_checked = now;
  e.last_ip = seeds[m.peer_sources.front()].seed;
  if (p.rpc_port) e.rpc_port = *p.rpc_port;
  if (p.is_public) e.is_public = *p.is_public;
  keep_known(e.storage_committed, p.storage_committed);
  keep_known(e.storage_used, p.storage_used);
  keep_known(e.storage_usage_percent, p.storage_usage_percent);
  keep_known(e.uptime, p.uptime);
  if (p.version && (*p.version != "unknown" || !e.version)) e.version = p.version;
  for (uint16_t s : m.peer_sources) add_source(e.source_ips, seeds[s].seed);
}

bool drop_was_observed(const RegistryEntry& e, const std::unordered_set<std::string>& answering) {
  for (const auto& s : e.source_ips)
    if (answering.count(s)) return true;
  return false;
}

}  // namespace

RegistryUpdate update_registry(const Registry& previous, const std::vector<MergedNode>& nodes,
                               const std::vector<SeedPoll>& seeds, int64_t now) {
  RegistryUpdate out;
  out.registry = std::make_shared<Registry>();
  Registry& reg = *out.registry;
  reg.entries = previous.entries;
  reg.index = previous.index;
  out.changes.first_cycle = previous.entries.empty();

  std::vector<bool> seen(reg.entries.size(), false);
  std::vector<RegistryEntry> fresh;
  for (const MergedNode& m : nodes) {
    auto it = reg.index.find(m.pod.address);
    RegistryEntry* e;
    if (it == reg.index.end()) {
      fresh.emplace_back();
      e = &fresh.back();
      e->address = m.pod.address;
      e->created_at = now;
    } else {
      e = &reg.entries[it->second];
      seen[it->second] = true;
    }
    if (!e->in_gossip) {
      if (it != reg.index.end()) e->gossip_appearances += 1;  // new entries start at A=1
      e->last_gossip_appearance = now;
      e->in_gossip = true;
      refresh_consistency(*e);
      out.changes.appeared.push_back(m.pod.address);
    }
    apply_sighting(*e, m, seeds, now);
  }

  std::unordered_set<std::string> answering;
  for (const auto& s : seeds)
    if (s.ok()) answering.insert(s.seed);
  std::vector<std::string> dropped_addresses;
  for (size_t i = 0; i < reg.entries.size(); ++i) {
    RegistryEntry& e = reg.entries[i];
    if (seen[i] || !e.in_gossip || !drop_was_observed(e, answering)) continue;
    e.in_gossip = false;
    e.gossip_disappearances += 1;
    e.last_gossip_drop = now;
    refresh_consistency(e);
    out.changes.dropped.push_back(e.address);
    seen[i] = true;  // written this cycle
  }

  bool grew = !fresh.empty();
  for (auto& e : fresh) reg.entries.push_back(std::move(e));
  seen.resize(reg.entries.size(), true);
  if (grew) {
    std::vector<size_t> order(reg.entries.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return reg.entries[a].address < reg.entries[b].address; });
    std::vector<RegistryEntry> sorted;
    std::vector<bool> sorted_seen;
    sorted.reserve(order.size());
    for (size_t i : order) {
      sorted.push_back(std::move(reg.entries[i]));
      sorted_seen.push_back(seen[i]);
    }
    reg.entries = std::move(sorted);
    seen = std::move(sorted_seen);
    reg.reindex();
  }
  for (size_t i = 0; i < seen.size(); ++i)
    if (seen[i]) out.changed.push_back(i);
  return out;
}

}  // namespace pnode::collect
