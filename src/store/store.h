// Store: persistence of what the collector learns (the reference's five collections:
// current snapshot, registry, status, network history, per-node history), reached only
// through this interface. open_store() picks the backend from DATABASE_URL
// ("sqlite:///absolute/path.db"; PostgreSQL later).
// Thread-safety: implementations serialise writes internally (one writer) and allow
// concurrent readers; every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collect/snapshot.h"
#include "util/result.h"

namespace pnode::store {

// One network-wide sample per cycle (reference §3.5, plus online_pnodes).
struct NetworkHistoryRow {
  int64_t timestamp = 0;
  int64_t total_pnodes = 0;
  int64_t online_pnodes = 0;
  int64_t total_ip_nodes = 0;
  int64_t public_pnodes = 0;
  int64_t private_pnodes = 0;
  double avg_cpu_percent = 0;
  double avg_ram_used_percent = 0;
  uint64_t total_active_streams = 0;
  uint64_t total_bytes_processed = 0;
  uint64_t total_storage_committed = 0;
  uint64_t total_storage_used = 0;
  double avg_storage_usage_percent = 0;
  double storage_utilization_ratio = 0;
  double avg_peer_count = 0;
  std::map<std::string, int64_t> version_distribution;

  bool operator==(const NetworkHistoryRow&) const = default;
};

// One node's sample per cycle (reference §3.6 with real scores and online flag).
struct NodeHistoryRow {
  std::string address;
  int64_t timestamp = 0;
  bool is_online = true;
  bool is_public = false;
  std::string version;
  uint64_t uptime = 0;
  uint64_t storage_committed = 0;
  uint64_t storage_used = 0;
  double storage_usage_percent = 0;
  int64_t peer_count = 0;
  double score = 0;
  double trust_score = 0;
  double capacity_score = 0;

  bool operator==(const NodeHistoryRow&) const = default;
};

// Everything one cycle writes, committed in one transaction.
struct CycleWrite {
  std::shared_ptr<const collect::Snapshot> snapshot;  // becomes the current snapshot
  // Registry entries that changed this cycle (seen, dropped, or counters moved).
  std::vector<collect::RegistryEntry> registry_upserts;
  NetworkHistoryRow network;
  std::vector<NodeHistoryRow> nodes;
  int64_t retention_cutoff = 0;  // history older than this (unix s) is deleted; 0 = keep
};

// What a restarted server needs to answer at once.
struct LoadedState {
  std::shared_ptr<const collect::Snapshot> snapshot;  // registry filled in, may be null
  collect::Registry registry;
};

struct HistoryStatusRow {
  std::string address;
  int64_t snapshots = 0;
  int64_t first_seen = 0;
  int64_t last_seen = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Status write_cycle(const CycleWrite& write) = 0;
  virtual Result<LoadedState> load() = 0;

  virtual Result<std::vector<NetworkHistoryRow>> network_history(int64_t since, int64_t until) = 0;
  // The newest network sample with timestamp <= at, if any.
  virtual Result<std::optional<NetworkHistoryRow>> network_sample_at_or_before(int64_t at) = 0;
  virtual Result<std::vector<NodeHistoryRow>> node_history(const std::string& address, int64_t since,
                                                           int64_t until) = 0;
  virtual Result<std::vector<HistoryStatusRow>> history_status(size_t limit) = 0;

  // Deletes registry (and status) entries whose last_seen < cutoff; returns how many.
  virtual Result<int64_t> prune_registry(int64_t cutoff) = 0;
};

Result<std::unique_ptr<Store>> open_store(const std::string& database_url);

}  // namespace pnode::store
