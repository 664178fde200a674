// The snapshot the collector publishes once per cycle: what each seed answered, the
// merged and deduplicated gossip view, the registry of every node ever seen, the
// network summary and the derived, scored node list. A Snapshot is immutable once
// published; readers keep the shared_ptr they started with.
// Thread-safety: immutable after publication, so safe to read from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/pod.h"
#include "model/availability.h"
#include "model/probe.h"
#include "util/flat_map.h"
#include "util/result.h"

namespace pnode::analysis {
struct NodeViews;  // analysis/node_view.h: the scored, unified node list
struct Insights;   // analysis/insights.h: alerts, health, analytics, operators, topology
struct CreditsView;  // analysis/credits.h: pod credits and reward eligibility by pubkey
}

namespace pnode::model {

// How one configured seed answered in one cycle.
struct SeedPoll {
  std::string seed;  // as configured: "host:port"
  std::optional<VersionInfo> version;
  std::optional<NodeStats> stats;
  std::optional<Error> version_error, stats_error, pods_error;
  size_t pod_count = 0;                     // pods it listed (after dropping unusable rows)
  std::optional<uint64_t> pods_total_count;  // its own total_count
  bool used_fallback = false;               // answered get-pods after -32601
  // Values it sent that were dropped as implausible (its pods' and stats' rejected_fields,
  // plus gossip times too far ahead of our clock); a rejected get-version answer is a
  // version_error instead.
  uint64_t rejected_fields = 0;
  double duration_ms = 0;

  bool ok() const { return !pods_error.has_value(); }
  // "ok", "ok(get-pods)", or the kind of the pods error.
  std::string outcome() const {
    if (pods_error) return std::string(pods_error->kind());
    return used_fallback ? "ok(get-pods)" : "ok";
  }
};

// One unique pod of the merged view (keyed by address).
struct MergedNode {
  Pod pod;                       // the copy with the newest last_seen_timestamp
  std::vector<uint16_t> peer_sources;  // indices into Snapshot::seeds, ascending
  uint16_t source = 0;                 // the seed whose copy won
};

// What we remember of one address (the reference's registry + status documents).
struct RegistryEntry {
  std::string address;
  std::string pubkey;                 // or the address when the node never told
  int64_t first_seen = 0;             // smallest gossip last_seen ever observed
  int64_t last_seen = 0;              // gossip last_seen_timestamp of the latest sighting
  int64_t last_checked = 0;           // when a cycle last listed it (our clock)
  int64_t created_at = 0;             // when it entered the registry (our clock)
  std::optional<std::string> last_ip;  // first seed (in configured order) that listed it
  int64_t rpc_port = 6000;
  bool is_public = false;
  // Last known values; a cycle that only learnt nulls (get-pods fallback) keeps these.
  std::optional<uint64_t> storage_committed, storage_used, uptime;
  std::optional<double> storage_usage_percent;
  std::optional<std::string> version;
  std::vector<std::string> source_ips;  // every seed that ever listed it, sorted
  // Gossip consistency: initialised to one appearance when first seen.
  int64_t gossip_appearances = 1;
  int64_t gossip_disappearances = 0;
  std::optional<int64_t> last_gossip_appearance;
  std::optional<int64_t> last_gossip_drop;
  double consistency_score = 1.0;
  bool in_gossip = false;  // counted as present by gossip tracking (see registry_update.h)
  // Addresses this node was known under before (NAT port changes), oldest first, at most
  // kMaxPreviousAddresses; never contains `address`.
  std::vector<std::string> previous_addresses;
  static constexpr size_t kMaxPreviousAddresses = 16;

  std::string status() const { return is_public ? "public" : "private"; }
  bool operator==(const RegistryEntry&) const = default;
};

// Every address ever seen, sorted by address, with an index for lookups.
struct Registry {
  std::vector<RegistryEntry> entries;
  FlatStringMap<size_t> index;  // address -> position in entries
  // A previous address of a node (see RegistryEntry::previous_addresses) -> its position,
  // for addresses no entry holds now.
  FlatStringMap<size_t> moved;

  const RegistryEntry* find(const std::string& address) const {
    auto it = index.find(address);
    return it == index.end() ? nullptr : &entries[it->second];
  }
  // The node that was known under `address` and now lives at another one, if any.
  const RegistryEntry* find_moved(const std::string& address) const {
    auto it = moved.find(address);
    return it == moved.end() ? nullptr : &entries[it->second];
  }
  void reindex() {
    index.clear();
    index.reserve(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) index.emplace(entries[i].address, i);
    index_moves();
  }
  // Rebuilds `moved` from the entries' previous addresses (`index` must be current).
  void index_moves() {
    moved.clear();
    for (size_t i = 0; i < entries.size(); ++i)
      for (const auto& old : entries[i].previous_addresses)
        if (!index.count(old)) moved[old] = i;  // later entries win: ties go to the newest move
  }
};

// A node that changed address (same pubkey, same IP, new port: a NAT port change).
struct AddressMove {
  std::string from, to;
  bool operator==(const AddressMove&) const = default;
};

struct GossipChanges {
  std::vector<std::string> appeared;  // in the merged view now, not in the previous one
  std::vector<std::string> dropped;   // in the previous view, not now
  std::vector<AddressMove> moved;     // entries carried to a new address this cycle
  std::vector<std::string> evicted;   // long-offline entries removed to keep the registry cap
  size_t admission_deferred = 0;      // new nodes left out of the registry this cycle (budget/cap)
  bool first_cycle = false;
};

// The reference's snapshot summary (docs/reference-compat.md §3.1 step 5) plus our own counters.
struct NetworkSummary {
  int64_t total_nodes = 0;           // configured seeds
  int64_t total_pnodes = 0;          // unique pods
  int64_t total_pnodes_raw = 0;      // pods over all seed lists
  uint64_t total_bytes_processed = 0;
  double avg_cpu_percent = 0;        // over responding seeds
  double avg_ram_used_percent = 0;   // over responding seeds
  uint64_t total_active_streams = 0;
  int64_t last_updated = 0;
  int64_t seeds_responding = 0;
};

inline constexpr uint32_t kNoRegistryEntry = UINT32_MAX;

struct Snapshot {
  uint64_t cycle = 0;
  int64_t started_at = 0;     // unix s
  int64_t last_updated = 0;   // unix s, when it was published
  double duration_ms = 0;
  std::vector<SeedPoll> seeds;     // in configured order
  std::vector<MergedNode> nodes;   // the online set, in first-appearance order
  std::shared_ptr<const Registry> registry;
  // Per node of `nodes`, its entry's position in registry->entries (kNoRegistryEntry: not
  // admitted), as the cycle that made the registry knew it; empty for snapshots loaded
  // from a store, where registry->find() serves instead.
  std::vector<uint32_t> node_entries;
  NetworkSummary summary;
  GossipChanges changes;
  // Per address, the storage growth trend (0..1) that scored this snapshot's nodes, from
  // the collector's memory of earlier cycles; absent addresses count as flat. Stored with
  // the snapshot so a follower or a restart derives the same views (and serves the same
  // bodies and ETags) as the collector that made it. Null: none.
  std::shared_ptr<const FlatStringMap<double>> growth_trends;
  std::shared_ptr<const analysis::NodeViews> views;  // derived once per cycle
  std::shared_ptr<const analysis::Insights> insights;  // derived once per cycle
  // The latest probe round finished before this cycle was assembled (collect/prober.h):
  // what pods answered when asked directly, beside (never mixed into) gossip. Null when
  // probing is off or no round has finished yet.
  std::shared_ptr<const ProbeRound> probe;
  // The pod-credits view the collector held when it assembled this cycle
  // (collect/credits_poller.h), read by scoring v2. Null when credits are off or not read.
  std::shared_ptr<const analysis::CreditsView> credits;
  // Each probed pod's availability (up since / down since, uptime shares, latency) as the
  // collector's availability recorder had it when this cycle was assembled
  // (analysis/availability.h); null when probing is off or nothing was probed yet.
  std::shared_ptr<const AvailabilityTable> availability;
};

}  // namespace pnode::model
