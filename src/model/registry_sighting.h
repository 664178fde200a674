// What one cycle's sighting of a listed pod does to its registry entry, and the rule that
// lets the store skip rewriting a row the sighting alone changed.
//
// Every cycle, every listed pod moves its entry's last_seen, last_checked and usually
// uptime, so "changed" would mean every row of the registry, every cycle. But the stored
// snapshot holds each listed pod as merged (its gossip fields and the seeds that listed
// it), so a loaded registry can have those sighting fields re-applied from it: a row whose
// other fields did not change need not be written. The rule (row_rebuilt_by_sighting):
//  - the pod told every optional sighting field (a null keeps the entry's last known
//    value, which a stale stored row would not have);
//  - nothing else of the entry changed (gossip tracking, first seen, sources, moves);
//  - last_seen did not cross the row's hourly mark, so a stored last_seen is at most about
//    an hour old even for a pod listed for months (pruning by last_seen stays right).
// Stores apply restore_sightings() in load(), so every reader of a loaded registry sees
// exactly the registry the collector held.
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/snapshot.h"

namespace pnode::model {

namespace sighting_detail {

template <class T>
void keep_known(std::optional<T>& known, const std::optional<T>& learnt) {
  if (learnt) known = learnt;
}

inline void add_source(std::vector<std::string>& sources, const std::string& seed) {
  auto it = std::lower_bound(sources.begin(), sources.end(), seed);
  if (it == sources.end() || *it != seed) sources.insert(it, seed);
}

}  // namespace sighting_detail

// The pod `m` listed at `now` by `seeds[m.peer_sources]`: the gossip fields it told, when
// it was seen and checked, and the seeds that listed it. Applying it twice changes nothing.
inline void apply_sighting(RegistryEntry& e, const MergedNode& m, const std::vector<SeedPoll>& seeds, int64_t now) {
  using sighting_detail::keep_known;
  const Pod& p = m.pod;
  e.pubkey = p.pubkey.value_or(e.pubkey.empty() ? p.address : e.pubkey);
  e.last_seen = p.last_seen_timestamp.value_or(now);
  e.first_seen = e.first_seen <= 0 ? e.last_seen : std::min(e.first_seen, e.last_seen);
  e.last_checked = now;
  e.last_ip = seeds[m.peer_sources.front()].seed;
  if (p.rpc_port) e.rpc_port = *p.rpc_port;
  if (p.is_public) e.is_public = *p.is_public;
  keep_known(e.storage_committed, p.storage_committed);
  keep_known(e.storage_used, p.storage_used);
  keep_known(e.storage_usage_percent, p.storage_usage_percent);
  keep_known(e.uptime, p.uptime);
  if (p.version && (*p.version != "unknown" || !e.version)) e.version = p.version;
  for (uint16_t s : m.peer_sources) sighting_detail::add_source(e.source_ips, seeds[s].seed);
}

// True when the sighting sets every field it touches whatever the entry held before.
inline bool sighting_is_complete(const Pod& p) {
  return p.pubkey && p.rpc_port && p.is_public && p.storage_committed && p.storage_used && p.storage_usage_percent &&
         p.uptime && p.version && *p.version != "unknown";
}

// Equal in every field apply_sighting() does not set from a complete sighting. first_seen
// and source_ips are compared: the sighting only narrows or extends them, so equal before
// means equal after.
inline bool same_apart_from_sighting(const RegistryEntry& a, const RegistryEntry& b) {
  return a.address == b.address && a.first_seen == b.first_seen && a.created_at == b.created_at &&
         a.source_ips == b.source_ips && a.gossip_appearances == b.gossip_appearances &&
         a.gossip_disappearances == b.gossip_disappearances && a.last_gossip_appearance == b.last_gossip_appearance &&
         a.last_gossip_drop == b.last_gossip_drop && a.consistency_score == b.consistency_score &&
         a.in_gossip == b.in_gossip && a.previous_addresses == b.previous_addresses;
}

inline constexpr int64_t kStoredLastSeenPeriod = 3600;

// Where an address's hours start: an offset per address, so the rewrites spread over the cycles.
inline int64_t last_seen_offset(const std::string& address) {
  return static_cast<int64_t>(std::hash<std::string>{}(address) % kStoredLastSeenPeriod);
}

// The hour of `address` that `last_seen` is in.
inline int64_t last_seen_mark(const std::string& address, int64_t last_seen) {
  return (last_seen + last_seen_offset(address)) / kStoredLastSeenPeriod;
}

// Whether `after` (entry `before` sighted this cycle by `m`) may keep its stored row: see
// the file comment. Equal addresses (compared first) share one offset, hashed once.
inline bool row_rebuilt_by_sighting(const RegistryEntry& before, const RegistryEntry& after, const MergedNode& m) {
  if (!sighting_is_complete(m.pod) || !same_apart_from_sighting(before, after)) return false;
  const int64_t offset = last_seen_offset(after.address);
  return (before.last_seen + offset) / kStoredLastSeenPeriod == (after.last_seen + offset) / kStoredLastSeenPeriod;
}

// Re-applies the sightings of `snapshot` (the one stored with the registry) to the loaded
// registry's entries; addresses keep their positions, so the index stays valid.
inline void restore_sightings(Registry& registry, const Snapshot& snapshot) {
  for (const MergedNode& m : snapshot.nodes) {
    auto it = registry.index.find(m.pod.address);
    if (it == registry.index.end() || m.peer_sources.empty()) continue;
    if (m.peer_sources.back() >= snapshot.seeds.size()) continue;  // a damaged snapshot: keep the row
    apply_sighting(registry.entries[it->second], m, snapshot.seeds, snapshot.last_updated);
  }
}

}  // namespace pnode::model
