#include "rest/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace pnode::rest {

size_t RateLimiter::tracked() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

RateLimiter::Bucket& RateLimiter::bucket(std::string_view key, const RateLimit& limit, Clock::time_point now) {
  auto found = buckets_.find(std::string(key));
  if (found != buckets_.end()) {
    by_use_.splice(by_use_.begin(), by_use_, found->second.age);
    return found->second;
  }
  if (buckets_.size() >= max_keys_) {
    buckets_.erase(by_use_.back());
    by_use_.pop_back();
  }
  by_use_.emplace_front(key);
  Bucket& fresh = buckets_[by_use_.front()];
  fresh.tokens = std::max(1.0, limit.burst);
  fresh.updated = now;
  fresh.age = by_use_.begin();
  return fresh;
}

RateLimiter::Decision RateLimiter::check(std::string_view key, const RateLimit& limit, Clock::time_point now,
                                         bool consume) {
  if (limit.unlimited()) return {};
  std::lock_guard lock(mutex_);
  Bucket& b = bucket(key, limit, now);
  const double burst = std::max(1.0, limit.burst);
  if (now > b.updated) {
    const double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(burst, b.tokens + elapsed * limit.per_second);
    b.updated = now;
  }
  if (b.tokens >= 1.0) {
    if (consume) b.tokens -= 1.0;
    return {};
  }
  // Less a hair of rounding, so 40.0000001 s of wait reads 40, not 41.
  const double wait = (1.0 - b.tokens) / limit.per_second - 1e-6;
  return Decision{false, std::chrono::seconds(std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait))))};
}

}  // namespace pnode::rest
