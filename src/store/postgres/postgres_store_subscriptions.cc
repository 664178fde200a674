// Notification subscriptions added through the API in the PostgreSQL store
// (docs/notifications.md): written by the API of any instance, read by the leader's
// notifier.
#include <string>
#include <vector>

#include "store/postgres/postgres_store_impl.h"
#include "store/silence_ids.h"

namespace pnode::store::postgres::impl {

Result<SubscriptionRecord> PostgresStore::add_subscription(const SubscriptionRecord& subscription, int64_t now,
                                                           size_t max_count) {
  std::lock_guard lock(mutex_);
  const std::string context = "adding subscription " + subscription.name + " to " + conn_.description();
  auto tx = Transaction::begin(conn_);
  if (!tx) return with_context(context, tx.error());
  // Serialises adds across instances, so two cannot both pass the count or the name check.
  if (auto st = conn_.run("LOCK TABLE notify_subscriptions IN SHARE ROW EXCLUSIVE MODE"); !st)
    return with_context(context, st.error());
  auto count = conn_.exec("SELECT count(*) FROM notify_subscriptions");
  if (!count) return with_context(context, count.error());
  if (count->int64(0, 0) >= static_cast<int64_t>(max_count))
    return make_error(ErrorCode::kTooLarge, "at most " + std::to_string(max_count) + " subscriptions may be added");
  auto taken = conn_.exec("SELECT count(*) FROM notify_subscriptions WHERE name = $1::text", {subscription.name});
  if (!taken) return with_context(context, taken.error());
  if (taken->int64(0, 0) > 0)
    return make_error(ErrorCode::kConstraint, "a subscription named " + subscription.name + " exists");
  auto inserted = conn_.exec(
      "INSERT INTO notify_subscriptions (name, spec, created_at, starts_after) "
      "VALUES ($1::text, $2::text, $3::bigint, (SELECT coalesce(max(seq), 0) FROM events)) "
      "RETURNING seq, starts_after",
      {subscription.name, subscription.spec, int_param(now)});
  if (!inserted) return with_context(context, inserted.error());
  SubscriptionRecord stored = subscription;
  stored.id = subscription_id(inserted->int64(0, 0));
  stored.created_at = now;
  stored.starts_after = inserted->int64(0, 1);
  if (auto st = tx->commit(); !st) return with_context(context, st.error());
  return stored;
}

Result<std::vector<SubscriptionRecord>> PostgresStore::subscriptions() {
  std::lock_guard lock(read_mutex_);
  auto r = read_conn_.exec("SELECT seq, name, spec, created_at, starts_after FROM notify_subscriptions ORDER BY seq");
  if (!r) return with_context("reading subscriptions from " + read_conn_.description(), r.error());
  std::vector<SubscriptionRecord> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back(SubscriptionRecord{subscription_id(r->int64(i, 0)), r->string(i, 1), r->string(i, 2),
                                     r->int64(i, 3), r->int64(i, 4)});
  return out;
}

Result<bool> PostgresStore::remove_subscription(const std::string& id) {
  auto seq = subscription_seq(id);
  if (!seq) return false;
  std::lock_guard lock(mutex_);
  auto r = conn_.exec("DELETE FROM notify_subscriptions WHERE seq = $1::bigint", {int_param(*seq)});
  if (!r) return with_context("removing subscription " + id + " from " + conn_.description(), r.error());
  return r->affected() > 0;
}

}  // namespace pnode::store::postgres::impl
