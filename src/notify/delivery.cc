#include "notify/delivery.h"

namespace pnode::notify {

DeliveryReport deliver_with_retries(const Channel& channel, const Message& message, const RetryPolicy& policy,
                                    const DeliveryHooks& hooks) {
  DeliveryReport report;
  for (;;) {
    report.last = channel.deliver(message, hooks.now());
    ++report.attempts;
    const auto wait = next_retry_delay(policy, report.last, report.attempts, hooks.random01());
    if (!wait) return report;
    report.waits.push_back(*wait);
    hooks.sleep(*wait);
  }
}

}  // namespace pnode::notify
