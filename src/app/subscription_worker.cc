#include "app/subscription_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "app/notification_events.h"

namespace pnode::app {
namespace {

int64_t unix_seconds(notify::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// The channel, as long as the worker may deliver: once it may not, every attempt ends at
// once (refused for good, so deliver_with_retries stops) without dialling.
class StoppableChannel final : public notify::Channel {
 public:
  StoppableChannel(const notify::Channel& inner, const std::function<bool()>& keep_going)
      : inner_(inner), keep_going_(keep_going) {}
  std::string_view type() const override { return inner_.type(); }
  notify::Attempt deliver(const notify::Message& message, notify::TimePoint now) const override {
    if (!keep_going_())
      return {notify::Outcome::kPermanent, 0, std::nullopt, make_error(ErrorCode::kConfig, "delivery stopped")};
    return inner_.deliver(message, now);
  }

 private:
  const notify::Channel& inner_;
  const std::function<bool()>& keep_going_;
};

}  // namespace

SubscriptionWorker::SubscriptionWorker(store::Store& store, Subscription subscription,
                                       std::unique_ptr<notify::Channel> channel, Hooks hooks, size_t batch)
    : store_(store),
      subscription_(std::move(subscription)),
      channel_(std::move(channel)),
      hooks_(std::move(hooks)),
      batch_(batch),
      cursor_name_("notify:" + subscription_.name),
      grouper_(subscription_.grouping) {
  status_.name = subscription_.name;
  status_.channel = channel_type(subscription_.channel);
}

void SubscriptionWorker::forget() {
  grouper_ = notify::Grouper(subscription_.grouping);
  restored_ = false;
  unsent_.clear();
  std::lock_guard lock(status_mutex_);
  status_.delivering = false;
  status_.pending = 0;
}

// The alerts told before the cursor: the latest state of each alert among the outbox's
// alert events up to it; those still firing were told (or given up on) and are not new.
// A subscription added through the API starts after the events of its creation, and
// knows nothing of the alerts before them (it tells neither their firing nor their end).
Status SubscriptionWorker::restore() {
  auto stored = store_.event_cursor(cursor_name_);
  if (!stored.ok()) return stored.error();
  const int64_t starts_after = subscription_.starts_after;
  const int64_t cursor = std::max(*stored, starts_after);
  std::vector<store::StoredEvent> alert_events;
  for (const char* type : {"alert_firing", "alert_resolved"}) {
    store::EventQuery query;
    query.type = type;
    query.after = starts_after;
    query.limit = batch_;
    for (bool more = true; more;) {
      auto events = store_.read_events(query);
      if (!events.ok()) return events.error();
      more = events->size() == batch_;
      for (auto& e : *events) {
        if (e.seq > cursor) {
          more = false;
          break;
        }
        query.after = e.seq;
        alert_events.push_back(std::move(e));
      }
    }
  }
  std::sort(alert_events.begin(), alert_events.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  std::map<std::string, notify::Notification> latest;  // by fingerprint
  for (const auto& e : alert_events) {
    if (auto n = notification_for(e, subscription_.match)) latest.insert_or_assign(notify::fingerprint(*n), *n);
  }
  for (auto& [alert, n] : latest) {
    const notify::TimePoint told = n.time;
    if (n.kind == notify::Kind::kFiring) grouper_.restore_sent(std::move(n), told);
  }
  read_upto_ = cursor;
  restored_ = true;
  std::lock_guard lock(status_mutex_);
  status_.cursor = cursor;
  return ok_status();
}

Status SubscriptionWorker::read_new_events(notify::TimePoint now) {
  store::EventQuery query;
  query.limit = batch_;
  for (;;) {
    query.after = read_upto_;
    auto events = store_.read_events(query);
    if (!events.ok()) return events.error();
    for (const auto& e : *events) {
      read_upto_ = e.seq;
      if (auto n = notification_for(e, subscription_.match)) {
        unsent_[n->id] = e.seq;
        grouper_.add(std::move(*n), now);
      }
    }
    if (events->size() < batch_) return ok_status();
  }
}

void SubscriptionWorker::settle_unsent(const std::vector<notify::Message>& undelivered) {
  std::set<std::string> keep = grouper_.waiting_ids();
  for (const auto& m : undelivered)
    for (const auto& n : m.notifications) keep.insert(n.id);
  std::erase_if(unsent_, [&](const auto& entry) { return !keep.contains(entry.first); });
}

Status SubscriptionWorker::save_cursor() {
  int64_t cursor = read_upto_;
  for (const auto& [id, seq] : unsent_) cursor = std::min(cursor, seq - 1);
  {
    std::lock_guard lock(status_mutex_);
    status_.pending = unsent_.size();
    if (cursor <= status_.cursor) return ok_status();
  }
  if (auto saved = store_.save_event_cursor(cursor_name_, cursor); !saved.ok()) return saved;
  std::lock_guard lock(status_mutex_);
  status_.cursor = cursor;
  return ok_status();
}

void SubscriptionWorker::record(const notify::DeliveryReport& report, notify::TimePoint now) {
  std::lock_guard lock(status_mutex_);
  status_.retries += static_cast<uint64_t>(std::max(report.attempts - 1, 0));
  if (report.last.outcome == notify::Outcome::kDelivered) {
    ++status_.delivered;
    status_.last_success = unix_seconds(now);
    return;
  }
  ++status_.failed;
  status_.last_error = report.last.error ? report.last.error->message
                                         : std::string(notify::outcome_name(report.last.outcome));
}

Result<std::optional<notify::TimePoint>> SubscriptionWorker::pass() {
  if (!restored_) {
    if (auto st = restore(); !st.ok()) return st.error();
  }
  {
    std::lock_guard lock(status_mutex_);
    status_.delivering = true;
  }
  if (auto st = read_new_events(hooks_.now()); !st.ok()) return st.error();
  std::vector<notify::Message> messages = grouper_.due(hooks_.now());
  settle_unsent(messages);
  if (auto st = save_cursor(); !st.ok()) return st.error();
  const StoppableChannel channel(*channel_, hooks_.keep_going);
  const notify::DeliveryHooks delivery{hooks_.now, hooks_.sleep, hooks_.random01};
  for (size_t i = 0; i < messages.size(); ++i) {
    const notify::Message& message = messages[i];
    const notify::DeliveryReport report = notify::deliver_with_retries(channel, message, subscription_.retry, delivery);
    if (!hooks_.keep_going()) {
      // Neither delivered nor given up: the next leader (or start) tells it from the cursor.
      forget();
      return std::optional<notify::TimePoint>();
    }
    record(report, hooks_.now());
    if (report.last.outcome == notify::Outcome::kDelivered)
      spdlog::info("notify {}: delivered message {} ({} notifications, {})", subscription_.name, message.id,
                   message.notifications.size(), message.status());
    else
      spdlog::warn("notify {}: gave message {} up after {} attempts: {}", subscription_.name, message.id,
                   report.attempts, status().last_error);
    for (const auto& n : message.notifications) unsent_.erase(n.id);
    settle_unsent({messages.begin() + static_cast<std::ptrdiff_t>(i) + 1, messages.end()});
    if (auto st = save_cursor(); !st.ok()) return st.error();
  }
  return grouper_.next_due();
}

api::SubscriptionStatus SubscriptionWorker::status() const {
  std::lock_guard lock(status_mutex_);
  return status_;
}

}  // namespace pnode::app
