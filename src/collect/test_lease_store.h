// Test-only stores for the leadership tests: EmptyStore (nothing stored; the lease calls
// keep their not-implemented defaults) and LeaseStore (one lease row on a clock the test
// moves, fencing writes by it, as a shared database would).
// Thread-safety: none; one test thread.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
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
  Result<std::vector<store::NodeHistoryRow>> node_history(const std::string&, int64_t, int64_t) override {
    return std::vector<store::NodeHistoryRow>{};
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
    ++writes;
    if (write.snapshot) snapshot_ = write.snapshot;
    for (const auto& e : write.registry_upserts) registry_[e.address] = e;
    for (const auto& a : write.registry_deletes) registry_.erase(a);
    return ok_status();
  }
  Result<store::LoadedState> load() override {
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
  std::shared_ptr<const model::Snapshot> snapshot_;
  std::map<std::string, model::RegistryEntry> registry_;
  std::optional<store::LeaseToken> holder_;
  TimePoint expires_{};
  int64_t epoch_ = 0;
};

}  // namespace pnode::collect::testing
