// RateLimiter: token buckets by key (a client IP, an API key's hash, ...): each bucket
// holds up to `burst` tokens and refills at `per_second`; a request takes one token or is
// refused with the time until the next one. At most `max_keys` buckets are tracked; a new
// key beyond that evicts the one used least recently (an evicted client starts again with
// a full bucket, so eviction can only make the limiter more lenient, never wrong-footed).
// The clock is a parameter, so tests run without sleeping.
// Thread-safety: every member may be called from any thread (one mutex; each call is
// O(1) and allocation-free except when a new key is tracked).
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pnode::rest {

struct RateLimit {
  double per_second = 0;  // refill rate; 0 or less: unlimited
  double burst = 1;       // bucket size (at least one request)
  bool unlimited() const { return per_second <= 0; }
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Decision {
    bool allowed = true;
    std::chrono::seconds retry_after{0};  // when refused: whole seconds until a token is back (>= 1)
  };

  explicit RateLimiter(size_t max_keys = 10000) : max_keys_(max_keys == 0 ? 1 : max_keys) {}

  // Takes one token from `key`'s bucket (full when new) if it has one.
  Decision take(std::string_view key, const RateLimit& limit, Clock::time_point now) {
    return check(key, limit, now, /*consume=*/true);
  }
  // Whether `key` has a token, without taking it.
  Decision peek(std::string_view key, const RateLimit& limit, Clock::time_point now) {
    return check(key, limit, now, /*consume=*/false);
  }
  size_t tracked() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
    std::list<std::string>::iterator age;  // position in by_use_ (front: most recent)
  };

  Decision check(std::string_view key, const RateLimit& limit, Clock::time_point now, bool consume);
  Bucket& bucket(std::string_view key, const RateLimit& limit, Clock::time_point now);

  const size_t max_keys_;
  mutable std::mutex mutex_;
  std::list<std::string> by_use_;                   // keys, most recently used first
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mutex_
};

}  // namespace pnode::rest
