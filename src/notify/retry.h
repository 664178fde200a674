// Delivery outcomes and the retry policy: what one attempt's answer means (delivered,
// worth retrying, or a permanent failure) and how long to wait before the next attempt
// (exponential backoff with full jitter, capped; a receiver's 429 Retry-After wins).
// Thread-safety: plain values and pure functions; the jitter's randomness is passed in.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "util/error.h"

namespace pnode::notify {

using Millis = std::chrono::milliseconds;

enum class Outcome {
  kDelivered,  // the receiver took the message
  kRetry,      // a transient failure: network, timeout, 408, 429, 5xx, SMTP 4xx
  kPermanent,  // the receiver refused the message for good: other 4xx, SMTP 5xx, bad config
};

// "delivered", "retry", "permanent" (for logs and metrics labels).
std::string_view outcome_name(Outcome outcome);

// What one delivery attempt came to.
struct Attempt {
  Outcome outcome = Outcome::kDelivered;
  int status = 0;                     // HTTP status or SMTP reply code, 0 when none arrived
  std::optional<Millis> retry_after;  // what the receiver asked us to wait (429)
  std::optional<Error> error;         // why it failed, when it did
};

// The outcome of an HTTP answer's status: 2xx delivered; 408, 429 and 5xx retry; any
// other status (3xx included: redirects are not followed) is permanent.
Outcome classify_http_status(int status);
// The outcome of an SMTP reply code: 2xx/3xx delivered, 4xx retry, 5xx permanent.
Outcome classify_smtp_reply(int code);

struct RetryPolicy {
  int max_attempts = 8;  // the first attempt included
  Millis initial_backoff{1000};
  Millis max_backoff{5 * 60 * 1000};
  // A receiver's retry_after is honoured up to this; beyond it the wait is this long.
  Millis max_retry_after{60 * 60 * 1000};
};

// When to try again after `attempt` (1 for the first) failed as `result`; nullopt when
// not at all (delivered, permanent, or attempts used up). Full jitter: a uniform wait in
// [0, min(max_backoff, initial_backoff * 2^(attempt-1))], `random01` in [0, 1) choosing
// it; a retry_after replaces the jittered wait.
std::optional<Millis> next_retry_delay(const RetryPolicy& policy, const Attempt& result, int attempt, double random01);

}  // namespace pnode::notify
