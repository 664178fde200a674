// Leadership: exactly one collector among instances that share a store (issue 11). It
// drives the store's lease: acquire when free, renew every third of the lease, and stop
// counting itself leader the moment a renewal fails, the store cannot be reached, or the
// local deadline passes (the last successful acquire or renewal, measured before the
// call was made, plus the lease), whichever comes first. Measuring from before the call
// means the local deadline never outlives the store's expiry, which runs on the store's
// clock from the moment the call arrived there; so a process paused past its lease
// (SIGSTOP, a frozen VM) knows on waking that it is no longer leader before it polls or
// writes, and its late write is refused by the store's fence check (CycleWrite::fence)
// if it tries. resign() gives the lease up at once for a clean shutdown.
// A store without a lease (SQLite, one process) makes this instance leader for good.
// Thread-safety: tick() and resign() from one thread (the collector's); is_leader(),
// token() and state() from any.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "store/store.h"
#include "util/result.h"

namespace pnode::collect {

struct LeadershipOptions {
  std::string holder;                        // this instance's name (host:pid, say)
  std::chrono::milliseconds lease{15000};    // the lease's length on the store's clock
};

enum class Role { kFollower, kLeader, kSoleInstance };

// What a write of the collecting instance carries (Leadership::write_fence): no fence for
// the only instance, the lease token for the leader, an error (not_leader) otherwise.
using WriteFence = std::function<Result<std::optional<store::LeaseToken>>()>;

class Leadership {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  Leadership(store::Store& store, LeadershipOptions options, Clock clock = nullptr);

  // Acquires or renews as due; returns when the next tick is due.
  std::chrono::steady_clock::time_point tick();
  // Leader now (the local deadline has not passed) or the only instance.
  bool is_leader() const;
  // The token to fence writes with; nullopt when not leader or the only instance.
  std::optional<store::LeaseToken> token() const;
  // The fence for a write now: nullopt for the only instance, the token for the leader;
  // an error (kind "not_leader") for a follower or a lease lost, and nothing is written.
  Result<std::optional<store::LeaseToken>> write_fence() const;
  Role role() const;
  // Gives the lease up (a clean shutdown); a follower or sole instance does nothing.
  void resign();

 private:
  std::chrono::steady_clock::time_point now() const;
  void acquire(std::chrono::steady_clock::time_point asked);
  void renew(std::chrono::steady_clock::time_point asked);
  void lose(const char* why);

  store::Store& store_;
  LeadershipOptions options_;
  Clock clock_;
  mutable std::mutex mutex_;
  Role role_ = Role::kFollower;                // guarded by mutex_
  std::optional<store::LeaseToken> token_;     // guarded by mutex_
  std::chrono::steady_clock::time_point deadline_{};  // guarded by mutex_: leader until then
};

}  // namespace pnode::collect
