#include "collect/leadership.h"

#include <spdlog/spdlog.h>

namespace pnode::collect {

Leadership::Leadership(store::Store& store, LeadershipOptions options, Clock clock)
    : store_(store), options_(std::move(options)), clock_(std::move(clock)) {}

std::chrono::steady_clock::time_point Leadership::now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

std::chrono::steady_clock::time_point Leadership::tick() {
  const auto asked = now();
  Role role;
  {
    std::lock_guard lock(mutex_);
    role = role_;
  }
  if (role == Role::kSoleInstance) return asked + options_.lease;
  if (role == Role::kLeader) {
    renew(asked);
  } else {
    acquire(asked);
  }
  return asked + options_.lease / 3;
}

void Leadership::acquire(std::chrono::steady_clock::time_point asked) {
  auto acquired = store_.try_acquire_lease(options_.holder, options_.lease);
  std::lock_guard lock(mutex_);
  if (!acquired.ok()) {
    if (acquired.error().is(ErrorCode::kNotImplemented)) {
      role_ = Role::kSoleInstance;
      return;
    }
    spdlog::warn("cannot reach the collector lease: {}", acquired.error().message);
    return;
  }
  if (!*acquired) return;  // another instance holds it
  token_ = **acquired;
  role_ = Role::kLeader;
  deadline_ = asked + options_.lease;
  spdlog::info("collector lease acquired by {} (epoch {}): this instance collects", token_->holder, token_->epoch);
}

void Leadership::renew(std::chrono::steady_clock::time_point asked) {
  store::LeaseToken token;
  {
    std::lock_guard lock(mutex_);
    if (asked >= deadline_) return lose("the lease ran out before it could be renewed");
    token = *token_;
  }
  auto renewed = store_.renew_lease(token, options_.lease);
  std::lock_guard lock(mutex_);
  if (!renewed.ok()) {
    // Unreachable store: keep counting on the deadline, which the next tick checks; a
    // follower must not collect, and neither may a leader that cannot prove its lease.
    spdlog::warn("cannot renew the collector lease (epoch {}): {}", token.epoch, renewed.error().message);
    if (now() >= deadline_) lose("the lease ran out while the store could not be reached");
    return;
  }
  if (!*renewed) return lose("another instance holds the lease now");
  deadline_ = asked + options_.lease;
}

// Called with mutex_ held.
void Leadership::lose(const char* why) {
  if (token_) spdlog::warn("collector lease lost (epoch {}): {}; this instance stops collecting", token_->epoch, why);
  role_ = Role::kFollower;
  token_.reset();
}

bool Leadership::is_leader() const {
  std::lock_guard lock(mutex_);
  if (role_ == Role::kSoleInstance) return true;
  return role_ == Role::kLeader && now() < deadline_;
}

std::optional<store::LeaseToken> Leadership::token() const {
  std::lock_guard lock(mutex_);
  if (role_ != Role::kLeader || now() >= deadline_) return std::nullopt;
  return token_;
}

Result<std::optional<store::LeaseToken>> Leadership::write_fence() const {
  std::lock_guard lock(mutex_);
  if (role_ == Role::kSoleInstance) return std::optional<store::LeaseToken>();
  if (role_ != Role::kLeader || now() >= deadline_ || !token_)
    return make_error(ErrorCode::kNotLeader, "this instance does not hold the collector lease");
  return std::optional<store::LeaseToken>(token_);
}

Role Leadership::role() const {
  std::lock_guard lock(mutex_);
  if (role_ == Role::kLeader && now() >= deadline_) return Role::kFollower;
  return role_;
}

void Leadership::resign() {
  std::optional<store::LeaseToken> token;
  {
    std::lock_guard lock(mutex_);
    if (role_ != Role::kLeader) return;
    token = token_;
    role_ = Role::kFollower;
    token_.reset();
  }
  if (auto st = store_.resign_lease(*token); !st.ok())
    spdlog::warn("cannot resign the collector lease (epoch {}): {}", token->epoch, st.error().message);
  else
    spdlog::info("collector lease (epoch {}) resigned", token->epoch);
}

}  // namespace pnode::collect
