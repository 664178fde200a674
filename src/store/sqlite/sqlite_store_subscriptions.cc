// Notification subscriptions added through the API in the SQLite backend
// (docs/notifications.md): written by the API, read by the notifier.
#include <string>
#include <vector>

#include "store/silence_ids.h"
#include "store/sqlite/db.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace pnode::store::sqlite {

Result<SubscriptionRecord> SqliteStore::add_subscription(const SubscriptionRecord& subscription, int64_t now,
                                                         size_t max_count) {
  const std::string context = "adding subscription " + subscription.name + " to " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st.error();
  std::lock_guard lock(write_mutex_);
  Database& db = writer_.db;
  auto tx = Transaction::begin(db, Transaction::Kind::kImmediate);
  if (!tx) return with_context(context, tx.error());
  auto count = db.query_int("SELECT count(*) FROM notify_subscriptions");
  if (!count) return with_context(context, count.error());
  if (*count >= static_cast<int64_t>(max_count))
    return make_error(ErrorCode::kTooLarge, "at most " + std::to_string(max_count) + " subscriptions may be added");
  auto taken = db.prepare("SELECT count(*) FROM notify_subscriptions WHERE name = ?1");
  if (!taken) return with_context(context, taken.error());
  taken->bind(1, subscription.name);
  auto same_name = optional_int(*taken);
  if (!same_name) return with_context(context, same_name.error());
  if (same_name->value_or(0) > 0)
    return make_error(ErrorCode::kConstraint, "a subscription named " + subscription.name + " exists");
  auto last = db.query_int("SELECT coalesce(max(seq), 0) FROM events");
  if (!last) return with_context(context, last.error());
  auto insert = db.prepare(
      "INSERT INTO notify_subscriptions (name, spec, created_at, starts_after) VALUES (?1, ?2, ?3, ?4)");
  if (!insert) return with_context(context, insert.error());
  if (auto st = insert->bind(1, subscription.name).bind(2, subscription.spec).bind(3, now).bind(4, *last).run(); !st)
    return with_context(context, st.error());
  SubscriptionRecord stored = subscription;
  stored.id = subscription_id(db.last_insert_rowid());
  stored.created_at = now;
  stored.starts_after = *last;
  if (auto committed = tx->commit(); !committed) return with_context(context, committed.error());
  return stored;
}

Result<std::vector<SubscriptionRecord>> SqliteStore::subscriptions() {
  const std::string context = "reading subscriptions from " + path_;
  auto reader = take_reader();
  if (!reader) return reader.error();
  auto select = (*reader)->db.prepare(
      "SELECT seq, name, spec, created_at, starts_after FROM notify_subscriptions ORDER BY seq");
  if (!select) return with_context(context, select.error());
  std::vector<SubscriptionRecord> out;
  for (;;) {
    auto row = select->step();
    if (!row) return with_context(context, row.error());
    if (!*row) break;
    out.push_back(SubscriptionRecord{subscription_id(select->column_int64(0)), select->column_string(1),
                                     select->column_string(2), select->column_int64(3), select->column_int64(4)});
  }
  return out;
}

Result<bool> SqliteStore::remove_subscription(const std::string& id) {
  const std::string context = "removing subscription " + id + " from " + path_;
  if (auto st = refuse_if_read_only(context); !st) return st.error();
  auto seq = subscription_seq(id);
  if (!seq) return false;
  std::lock_guard lock(write_mutex_);
  auto remove = writer_.db.prepare("DELETE FROM notify_subscriptions WHERE seq = ?1");
  if (!remove) return with_context(context, remove.error());
  if (auto st = remove->bind(1, *seq).run(); !st) return with_context(context, st.error());
  return writer_.db.changes() > 0;
}

}  // namespace pnode::store::sqlite
