// SubscriptionWorker: one subscription's delivery from the event outbox, a pass at a
// time. A pass reads the events after what it has read (the first pass after a start, or
// after leadership came back, starts at the stored cursor "notify:<name>", never before
// the subscription's starts_after: one added through the API), turns those
// the subscription takes into notifications (app/notification_events.h), feeds them to
// its Grouper, and delivers each message that is due with notify::deliver_with_retries.
// The cursor is saved after every message delivered or given up, at the last event
// before the oldest notification still waiting (or in a message not yet delivered), so
// a crash loses nothing: the events after it are read again and grouped into messages
// with the same ids (notify/grouping.h), which receivers de-duplicate. Alerts told before
// the cursor are restored as told (Grouper::restore_sent, from the outbox's alert events
// up to the cursor), so a restart does not tell them again and still tells their end.
// Thread-safety: pass() and forget() from one thread (the notifier's thread of this
// subscription); status() from any.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/notification_status.h"
#include "app/notify_config.h"
#include "notify/delivery.h"
#include "notify/grouping.h"
#include "store/store.h"
#include "util/result.h"

namespace pnode::app {

class SubscriptionWorker {
 public:
  struct Hooks {
    std::function<notify::TimePoint()> now = [] { return std::chrono::system_clock::now(); };
    // False once this worker must stop delivering (shutdown, or the lease was lost): a
    // delivery in progress ends without being counted, and the cursor stays.
    std::function<bool()> keep_going = [] { return true; };
    std::function<void(notify::Millis)> sleep;  // required: the wait between attempts
    std::function<double()> random01;           // required: uniform in [0, 1)
  };

  SubscriptionWorker(store::Store& store, Subscription subscription, std::unique_ptr<notify::Channel> channel,
                     Hooks hooks, size_t batch = 500);

  // One pass; returns when the grouper next has something due (nullopt: nothing open).
  Result<std::optional<notify::TimePoint>> pass();
  // Drops what is held in memory; the next pass starts again from the stored cursor.
  void forget();
  api::SubscriptionStatus status() const;
  const std::string& cursor_name() const { return cursor_name_; }

 private:
  Status restore();
  Status read_new_events(notify::TimePoint now);
  // Drops from unsent_ what the grouper no longer waits to tell and no message carries.
  void settle_unsent(const std::vector<notify::Message>& undelivered);
  Status save_cursor();
  void record(const notify::DeliveryReport& report, notify::TimePoint now);

  store::Store& store_;
  const Subscription subscription_;
  const std::unique_ptr<notify::Channel> channel_;
  const Hooks hooks_;
  const size_t batch_;
  const std::string cursor_name_;

  // The pass's state (one thread).
  notify::Grouper grouper_;
  bool restored_ = false;
  int64_t read_upto_ = 0;               // the last outbox seq read
  std::map<std::string, int64_t> unsent_;  // notification (event) id -> its seq

  mutable std::mutex status_mutex_;
  api::SubscriptionStatus status_;  // guarded by status_mutex_
};

}  // namespace pnode::app
