#include "notify/retry.h"

#include <algorithm>
#include <cmath>

namespace pnode::notify {

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kDelivered: return "delivered";
    case Outcome::kRetry: return "retry";
    case Outcome::kPermanent: return "permanent";
  }
  return "permanent";
}

Outcome classify_http_status(int status) {
  if (status >= 200 && status < 300) return Outcome::kDelivered;
  if (status == 408 || status == 429 || status >= 500) return Outcome::kRetry;
  return Outcome::kPermanent;
}

Outcome classify_smtp_reply(int code) {
  if (code >= 200 && code < 400) return Outcome::kDelivered;
  if (code >= 400 && code < 500) return Outcome::kRetry;
  return Outcome::kPermanent;
}

std::optional<Millis> next_retry_delay(const RetryPolicy& policy, const Attempt& result, int attempt,
                                       double random01) {
  if (result.outcome != Outcome::kRetry || attempt >= policy.max_attempts) return std::nullopt;
  if (result.retry_after) return std::clamp(*result.retry_after, Millis{0}, policy.max_retry_after);
  // 2^(attempt-1) in doubles: no overflow however many attempts are allowed.
  const double ceiling = std::min(static_cast<double>(policy.max_backoff.count()),
                                  static_cast<double>(policy.initial_backoff.count()) * std::exp2(attempt - 1));
  const double fraction = std::clamp(random01, 0.0, 1.0);
  return Millis{static_cast<Millis::rep>(std::floor(ceiling * fraction))};
}

}  // namespace pnode::notify
