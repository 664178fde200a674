// Delivering one message through one channel until it is delivered, refused for good or
// out of attempts, waiting between attempts as the retry policy says. The waiting, the
// clock and the jitter's randomness are passed in, so tests run it without sleeping.
// Thread-safety: a free function; safe to call from several threads with distinct
// arguments.
#pragma once

#include <functional>
#include <vector>

#include "notify/channels.h"
#include "notify/retry.h"

namespace pnode::notify {

struct DeliveryReport {
  Attempt last;              // the final attempt's outcome
  int attempts = 0;
  std::vector<Millis> waits;  // the wait before each retry, in order
};

struct DeliveryHooks {
  std::function<TimePoint()> now = [] { return std::chrono::system_clock::now(); };
  std::function<void(Millis)> sleep;   // required
  std::function<double()> random01;    // required: uniform in [0, 1)
};

DeliveryReport deliver_with_retries(const Channel& channel, const Message& message, const RetryPolicy& policy,
                                    const DeliveryHooks& hooks);

}  // namespace pnode::notify
