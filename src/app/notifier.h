// Notifier: delivers the outbox's events to the configured subscriptions
// ([[notify.subscription]], docs/notifications.md), each on its own thread so a slow or
// failing receiver delays only its own subscription, never the collector, the HTTP
// threads or another subscription. Each thread runs its SubscriptionWorker: a pass at
// once when the collector committed events (poke()), when a group is due, else every
// `poll`. Only the instance that holds the collector lease delivers (a process without a
// shared store always does): a thread of an instance that is not leader, or stops being
// one, drops what it held and waits; the next leader starts from the stored cursors.
// Thread-safety: start(), stop() from the owner; poke() and status() from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
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
    std::chrono::milliseconds poll{5000};  // a pass at least this often
    size_t batch = 500;                    // events read at once
  };

  // Builds every subscription's channel. `store` must outlive the Notifier; `is_leader`
  // is called from the worker threads.
  Notifier(store::Store& store, std::vector<Subscription> subscriptions, std::function<bool()> is_leader,
           Options options);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Starts the threads; an error (and no thread) when a channel could not be built.
  Status start();
  // Events were committed: every subscription takes a pass now.
  void poke();
  // Ends the threads (a delivery in progress ends without being counted).
  void stop();
  std::vector<api::SubscriptionStatus> status() const;

 private:
  void run(SubscriptionWorker& worker);
  // Waits until `deadline`, a poke newer than `seen`, or stop(); returns the poke count.
  uint64_t wait(std::chrono::steady_clock::time_point deadline, uint64_t seen);
  bool stopping() const;

  store::Store& store_;
  std::function<bool()> is_leader_;
  Options options_;
  std::vector<std::unique_ptr<SubscriptionWorker>> workers_;  // fixed after construction
  std::optional<Error> build_error_;  // a channel that could not be built
  std::vector<std::thread> threads_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  uint64_t pokes_ = 0;    // guarded by mutex_
  bool stopped_ = false;  // guarded by mutex_
};

}  // namespace pnode::app
