#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/db.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace pnode::store::sqlite {
namespace {

// The same columns as kSelectRegistry (so read_registry_entry() reads them), then the id.
constexpr std::string_view kSelectRegistryRows =
    "SELECT n.address, r.pubkey, r.first_seen, r.last_seen, r.last_checked, r.created_at, r.last_ip, r.rpc_port, "
    "r.is_public, r.storage_committed, r.storage_used, r.uptime, r.storage_usage_percent, r.version, "
    "r.source_ips, r.gossip_appearances, r.gossip_disappearances, r.last_gossip_appearance, r.last_gossip_drop, "
    "r.consistency_score, r.in_gossip, r.previous_addresses, r.node_id FROM registry r "
    "JOIN nodes n ON n.node_id = r.node_id ORDER BY n.address";
constexpr int kRegistryRowsIdColumn = 22;
// Deletes a planned row only while it is still what was planned.
constexpr std::string_view kDeleteMatchingRegistryRow =
    "DELETE FROM registry WHERE node_id = (SELECT node_id FROM nodes WHERE address = ?1) AND pubkey = ?2 "
    "AND last_seen = ?3 AND last_checked = ?4";

}  // namespace

// ---- registry maintenance --------------------------------------------------------------

Status SqliteStore::delete_orphan_nodes(std::vector<std::string>& removed) {
  auto with_raw_history = writer_.history.raw_node_bitmap(writer_.db);
  if (!with_raw_history) return with_raw_history.error();
  auto has_raw_history = [&](int64_t id) {
    auto byte = static_cast<size_t>(id / 8);
    return byte < with_raw_history->size() && (((*with_raw_history)[byte] >> (id % 8)) & 1) != 0;
  };
  std::vector<int64_t> orphan_ids;
  {
    ScopedReset reset(writer_.orphan_nodes);
    for (;;) {
      auto row = writer_.orphan_nodes.step();
      if (!row) return row.error();
      if (!*row) break;
      if (has_raw_history(writer_.orphan_nodes.column_int64(0))) continue;
      orphan_ids.push_back(writer_.orphan_nodes.column_int64(0));
      removed.push_back(writer_.orphan_nodes.column_string(1));
    }
  }
  for (int64_t id : orphan_ids) {
    if (auto st = writer_.delete_node.bind(1, id).run(); !st) return st;
    if (auto st = writer_.delete_node_count.bind(1, id).run(); !st) return st;
  }
  return ok_status();
}

Result<int64_t> SqliteStore::prune_registry(int64_t cutoff) {
  const std::string context = "pruning the registry of " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st.error();
  std::lock_guard lock(write_mutex_);
  std::vector<std::string> removed_addresses;
  int64_t pruned = 0;
  {
    auto tx = Transaction::begin(writer_.db, Transaction::Kind::kImmediate);
    if (!tx) return with_context(context, tx.error());
    if (auto st = writer_.prune_registry.bind(1, cutoff).run(); !st) return with_context(context, st.error());
    pruned = writer_.db.changes();
    if (auto st = delete_orphan_nodes(removed_addresses); !st) return with_context(context, st.error());
    if (auto st = tx->commit(); !st) return with_context(context, st.error());
  }
  for (const auto& address : removed_addresses) writer_.node_ids.erase(address);
  return pruned;
}

Result<int64_t> SqliteStore::delete_registry_rows(const std::vector<RegistryRowMatch>& rows) {
  const std::string context = "deleting registry rows of " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st.error();
  std::lock_guard lock(write_mutex_);
  std::vector<std::string> removed_addresses;
  int64_t deleted = 0;
  {
    // A maintenance statement, run rarely: prepared here rather than kept.
    auto statement = writer_.db.prepare(kDeleteMatchingRegistryRow);
    if (!statement) return with_context(context, statement.error());
    auto tx = Transaction::begin(writer_.db, Transaction::Kind::kImmediate);
    if (!tx) return with_context(context, tx.error());
    for (const auto& row : rows) {
      auto st = statement->bind(1, row.address).bind(2, row.pubkey).bind(3, row.last_seen).bind(4, row.last_checked).run();
      if (!st) return with_context(context + " (" + row.address + ")", st.error());
      deleted += writer_.db.changes();
    }
    if (auto st = delete_orphan_nodes(removed_addresses); !st) return with_context(context, st.error());
    if (auto st = tx->commit(); !st) return with_context(context, st.error());
  }
  for (const auto& address : removed_addresses) writer_.node_ids.erase(address);
  return deleted;
}

Result<std::vector<StoredRegistryRow>> SqliteStore::registry_rows() {
  const std::string context = "listing the registry of " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  auto statement = (*reader)->db.prepare(kSelectRegistryRows);
  if (!statement) return with_context(context, statement.error());
  std::vector<StoredRegistryRow> out;
  for (;;) {
    auto row = statement->step();
    if (!row) return with_context(context, row.error());
    if (!*row) break;
    out.push_back(StoredRegistryRow{statement->column_int64(kRegistryRowsIdColumn), read_registry_entry(*statement)});
  }
  return out;
}

}  // namespace pnode::store::sqlite
