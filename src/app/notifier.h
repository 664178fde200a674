// Notifier: delivers the outbox's events to the subscriptions (docs/notifications.md):
// the config file's ([[notify.subscription]]) and those added through the API (kept in
// the store, read again every `poll` and at once on reload(), so one added or removed
// takes effect without a restart). Each subscription runs on its own thread so a slow or
// failing receiver delays only its own subscription, never the collector, the HTTP
// threads or another subscription. Each thread runs its SubscriptionWorker: a pass at
// once when the collector committed events (poke()), when a group is due, else every
// `poll`. Only the instance that holds the collector lease delivers (a process without a
// shared store always does): a thread of an instance that is not leader, or stops being
// one, drops what it held and waits; the next leader starts from the stored cursors. A
// subscription removed from the store ends its thread (a delivery in progress ends
// without being counted).
// Thread-safety: start(), stop() from the owner; poke(), reload() and status() from any
// thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "api/notification_status.h"
#include "app/notify_config.h"
#include "store/store.h"

namespace pnode::app {

class SubscriptionWorker;

class Notifier {
 public:
  struct Options {
    std::chrono::milliseconds poll{5000};  // a pass at least this often; the store's subscriptions read as often
    size_t batch = 500;                    // events read at once
    // The store's subscriptions are delivered beyond loopback only when this is set
    // (ALLOW_REAL_NETWORK, as validate_subscriptions() checks the config file's).
    bool allow_real_network = false;
  };

  // Builds every config file subscription's channel. `store` must outlive the Notifier;
  // `is_leader` is called from the worker threads.
  Notifier(store::Store& store, std::vector<Subscription> subscriptions, std::function<bool()> is_leader,
           Options options);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Starts the threads; an error (and no thread) when a channel could not be built.
  Status start();
  // Events were committed: every subscription takes a pass now.
  void poke();
  // The store's subscriptions changed: they are read again now.
  void reload();
  // Ends the threads (a delivery in progress ends without being counted).
  void stop();
  // The config file's subscriptions in file order, then the store's in id order.
  std::vector<api::SubscriptionStatus> status() const;

 private:
  struct Slot;  // a worker, its thread, and whether it was retired

  std::unique_ptr<Slot> make_slot(Subscription subscription, std::unique_ptr<notify::Channel> channel,
                                  std::string api_id);
  void start_thread(Slot& slot);
  void run(Slot& slot);
  // Every `poll`, and at once on reload(): sync_api_subscriptions().
  void watch_store();
  // Starts a worker for each store subscription without one; retires those gone.
  void sync_api_subscriptions();
  // The store's subscriptions that can be delivered, by id (problems logged once each).
  std::optional<std::vector<std::pair<std::string, Subscription>>> read_api_subscriptions();
  // Waits until `deadline`, a poke newer than `seen`, the slot's retirement (when given)
  // or stop(); returns the poke count.
  uint64_t wait(std::chrono::steady_clock::time_point deadline, uint64_t seen, const Slot* slot);
  bool stopping() const;
  bool ended(const Slot& slot) const;

  store::Store& store_;
  std::function<bool()> is_leader_;
  Options options_;
  std::set<std::string> config_names_;
  std::optional<Error> build_error_;  // a channel that could not be built

  mutable std::mutex slots_mutex_;
  std::vector<std::unique_ptr<Slot>> slots_;  // guarded by slots_mutex_: config ones first
  // The watch thread's: store subscriptions whose problem was logged, and whether the
  // store's failure to list them was.
  std::set<std::string> reported_;
  bool store_error_logged_ = false;
  std::thread watch_thread_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  uint64_t pokes_ = 0;    // guarded by mutex_
  uint64_t reloads_ = 0;  // guarded by mutex_
  bool stopped_ = false;  // guarded by mutex_
};

}  // namespace pnode::app
