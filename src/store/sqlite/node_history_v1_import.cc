// The v1 -> v2 schema migration's second half. Schema version 2 (schema.cc) replaced the
// v1 node_history table (a row per sample) with raw segments and compressed chunks; its
// SQL only renames the old table to legacy_node_history, because the chunk encoding is
// ours, not SQL's. Opening the store then calls import_legacy_rows(), which re-encodes
// those rows into chunks a batch of nodes per transaction (rebuilding
// node_history_counts as it goes) and drops the table once it is empty. A crash keeps
// what is converted and the rest: the next open carries on. See docs/storage.md.
#include "store/sqlite/node_history_tables.h"

#include <bit>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/history_codec.h"
#include "store/sqlite/node_history_internal.h"

namespace pnode::store::sqlite {
namespace {

constexpr std::string_view kLegacyTableExists =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'legacy_node_history'";
constexpr std::string_view kLegacyFirstNode = "SELECT coalesce(min(node_id), -1) FROM legacy_node_history";
constexpr std::string_view kLegacyRows =
    "SELECT node_id, ts, is_online, is_public, version, uptime, storage_committed, storage_used, "
    "storage_usage_percent, peer_count, score_x100, trust_score_x100, capacity_score_x100 FROM legacy_node_history "
    "WHERE node_id >= ?1 AND node_id < ?2 ORDER BY node_id, ts";
constexpr std::string_view kLegacyDelete = "DELETE FROM legacy_node_history WHERE node_id >= ?1 AND node_id < ?2";
constexpr int64_t kLegacyNodesPerBatch = 512;

}  // namespace

Status HistoryWriter::import_legacy_rows(Database& db) {
  const std::string context = "converting the node history of " + db.path() + " to schema version 2";
  auto exists = db.query_int(kLegacyTableExists);
  if (!exists) return with_context(context, exists.error());
  if (*exists == 0) return ok_status();
  auto first_node = db.prepare(kLegacyFirstNode);
  auto rows = db.prepare(kLegacyRows);
  auto remove = db.prepare(kLegacyDelete);
  if (!first_node) return with_context(context, first_node.error());
  if (!rows) return with_context(context, rows.error());
  if (!remove) return with_context(context, remove.error());
  // A batch of nodes a transaction: a crash keeps what is converted and the rest.
  for (;;) {
    auto tx = Transaction::begin(db, Transaction::Kind::kImmediate);
    if (!tx) return with_context(context, tx.error());
    auto lo = optional_int(*first_node);
    if (!lo) return with_context(context, lo.error());
    if (!*lo || **lo < 0) {
      if (auto st = db.exec("DROP TABLE legacy_node_history"); !st) return with_context(context, st.error());
      if (auto st = tx->commit(); !st) return with_context(context, st.error());
      return ok_status();
    }
    const int64_t hi = **lo + kLegacyNodesPerBatch;
    std::vector<NodeSample> batch;
    {
      ScopedReset reset(*rows);
      rows->bind(1, **lo).bind(2, hi);
      for (;;) {
        auto row = rows->step();
        if (!row) return with_context(context, row.error());
        if (!*row) break;
        auto version = version_id(db, rows->column_string(4));
        if (!version) {
          rolled_back();
          return with_context(context, version.error());
        }
        auto x100 = [&](int col) { return rows->is_null(col) ? kNoScore : rows->column_int64(col); };
        NodeSample n;
        n.node_id = rows->column_int64(0);
        StoredSample& s = n.sample;
        s.ts = rows->column_int64(1);
        s.is_online = rows->column_bool(2);
        s.is_public = rows->column_bool(3);
        s.version_id = *version;
        s.uptime = rows->column_uint64(5);
        s.storage_committed = rows->column_uint64(6);
        s.storage_used = rows->column_uint64(7);
        double percent = rows->is_null(8) ? std::numeric_limits<double>::quiet_NaN() : rows->column_double(8);
        s.usage_percent_bits = std::bit_cast<uint64_t>(percent);
        s.peer_count = rows->column_int64(9);
        s.score_x100 = x100(10);
        s.trust_score_x100 = x100(11);
        s.capacity_score_x100 = x100(12);
        batch.push_back(n);
      }
    }
    Status st = write_bulk(db, std::move(batch));
    if (st) st = remove->bind(1, **lo).bind(2, hi).run();
    if (st) st = tx->commit();
    if (!st) {
      rolled_back();
      return with_context(context, st.error());
    }
    committed();
  }
}

}  // namespace pnode::store::sqlite
