#include "app/event_relay.h"

#include <spdlog/spdlog.h>

namespace pnode::app {

Result<size_t> EventRelay::relay_once() {
  auto cursor = store_.event_cursor(cursor_name_);
  if (!cursor.ok()) return cursor.error();
  size_t relayed = 0;
  store::EventQuery query;
  query.after = *cursor;
  query.limit = batch_;
  for (;;) {
    auto events = store_.read_events(query);
    if (!events.ok()) return events.error();
    for (const auto& e : *events) {
      if (auto published = publish_(e); !published.ok()) return published.error();
      // Saved per event: a crash right after an acknowledgement repeats at most that one
      // (which the broker recognises by its id).
      if (auto saved = store_.save_event_cursor(cursor_name_, e.seq); !saved.ok()) return saved.error();
      query.after = e.seq;
      ++relayed;
    }
    if (events->size() < batch_) return relayed;
  }
}

void EventRelay::run(std::chrono::milliseconds period) {
  for (;;) {
    if (auto relayed = relay_once(); !relayed.ok())
      spdlog::warn("event relay: {} (retrying)", relayed.error().message);
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, period, [this] { return poked_ || stopped_; });
    if (stopped_) return;
    poked_ = false;
  }
}

void EventRelay::poke() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_all();
}

void EventRelay::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  wake_.notify_all();
}

}  // namespace pnode::app
