// Test-only stores for the leadership tests: EmptyStore (nothing stored; the lease calls
// keep their not-implemented defaults) and LeaseStore (one lease row on a clock the test
// moves, fencing writes by it, as a shared database would), and ScriptedWatch (a
// CycleWatch the test feeds).
// Thread-safety: one test thread, except that LeaseStore's write_cycle() and load() may
// run on two threads (a follower running on its own) and ScriptedWatch is thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"

namespace pnode::collect::testing {

using TimePoint = std::chrono::steady_clock::time_point;

// A store with nothing in it; the lease calls keep their defaults (not implemented).
class EmptyStore : public store::Store {
 public:
  Status write_cycle(const store::CycleWrite&) override { return ok_status(); }
  Result<store::LoadedState> load() override { return store::LoadedState{}; }
  Result<std::vector<store::NetworkHistoryRow>> network_history(int64_t, int64_t) override {
    return std::vector<store::NetworkHistoryRow>{};
  }
  Result<std::optional<store::NetworkHistoryRow>> network_sample_at_or_before(int64_t) override {
    return std::optional<store::NetworkHistoryRow>();
  }
  Result<store::NodeHistory> node_history(const std::string& address, int64_t, int64_t) override {
    return store::NodeHistory{address, {}};
  }
  Result<std::vector<store::HistoryStatusRow>> history_status(size_t) override {
    return std::vector<store::HistoryStatusRow>{};
  }
  Result<int64_t> prune_registry(int64_t) override { return 0; }
};

// A store holding one lease row on a clock the test moves (the store's own clock, as
// PostgreSQL's now()), fencing writes by it; `reachable` false fails every lease call.
class LeaseStore final : public EmptyStore {
 public:
  explicit LeaseStore(TimePoint& clock) : clock_(clock) {}
  bool reachable = true;
  int writes = 0;
  std::unique_ptr<store::CycleWatch> watch;  // what watch_cycles() hands out (once)

  std::unique_ptr<store::CycleWatch> watch_cycles() override { return std::move(watch); }

  Result<std::optional<store::LeaseToken>> try_acquire_lease(const std::string& holder,
                                                             std::chrono::milliseconds ttl) override {
    if (!reachable) return unreachable();
    if (holder_ && expires_ > clock_) return std::optional<store::LeaseToken>();
    holder_ = store::LeaseToken{holder, ++epoch_};
    expires_ = clock_ + ttl;
    return std::optional<store::LeaseToken>(*holder_);
  }
  Result<bool> renew_lease(const store::LeaseToken& token, std::chrono::milliseconds ttl) override {
    if (!reachable) return unreachable();
    if (!holds(token)) return false;
    expires_ = clock_ + ttl;
    return true;
  }
  Status resign_lease(const store::LeaseToken& token) override {
    if (!reachable) return unreachable();
    if (holds(token)) holder_.reset();
    return ok_status();
  }
  // Keeps the last snapshot and the registry rows, so a follower can load them.
  Status write_cycle(const store::CycleWrite& write) override {
    if (write.fence && !holds(*write.fence)) return make_error(ErrorCode::kNotLeader, "fenced");
    std::lock_guard lock(data_mutex_);
    ++writes;
    if (write.snapshot) snapshot_ = write.snapshot;
    for (const auto& e : write.registry_upserts) registry_[e.address] = e;
    for (const auto& a : write.registry_deletes) registry_.erase(a);
    return ok_status();
  }
  Result<store::LoadedState> load() override {
    std::lock_guard lock(data_mutex_);
    store::LoadedState state;
    for (const auto& [address, e] : registry_) state.registry.entries.push_back(e);
    state.registry.reindex();
    if (snapshot_) {
      auto copy = std::make_shared<model::Snapshot>(*snapshot_);
      copy->views.reset();
      copy->insights.reset();
      copy->registry = std::make_shared<model::Registry>(state.registry);
      state.snapshot = std::move(copy);
    }
    return state;
  }

 private:
  bool holds(const store::LeaseToken& token) const { return holder_ && *holder_ == token && expires_ > clock_; }
  static Error unreachable() { return make_error(ErrorCode::kRefused, "connection refused"); }

  TimePoint& clock_;
  std::mutex data_mutex_;  // guards snapshot_ and registry_
  std::shared_ptr<const model::Snapshot> snapshot_;
  std::map<std::string, model::RegistryEntry> registry_;
  std::optional<store::LeaseToken> holder_;
  TimePoint expires_{};
  int64_t epoch_ = 0;
};

// A CycleWatch whose wait() returns, in order, the events the test push()es.
class ScriptedWatch final : public store::CycleWatch {
 public:
  void push(Event event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
    changed_.notify_all();
  }
  Event wait(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [this] { return interrupted_ || !events_.empty(); })) return {};
    if (std::exchange(interrupted_, false)) return Event{Wake::kInterrupted};
    Event next = std::move(events_.front());
    events_.pop_front();
    return next;
  }
  void interrupt() override {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Event> events_;
  bool interrupted_ = false;
};

}  // namespace pnode::collect::testing
