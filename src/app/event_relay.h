// EventRelay: hands the store's event outbox on to a broker (NATS JetStream when NATS_URL
// is set; docs/events.md). Each pass reads the events after the relay's cursor, which is
// kept in the store (Store::event_cursor, name "nats"), publishes them in order and saves
// the cursor after every event the broker acknowledged, so a restart resends nothing
// already acknowledged (and the broker de-duplicates by event id should the cursor's save
// itself be lost). A failed publish stops the pass; the next pass retries from there.
// Thread-safety: one thread calls relay_once() / run().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

#include "store/store.h"
#include "util/result.h"

namespace pnode::app {

class EventRelay {
 public:
  // Publishes one event; ok once the broker acknowledged it.
  using Publish = std::function<Status(const store::StoredEvent&)>;

  EventRelay(store::Store& store, Publish publish, std::string cursor_name = "nats", size_t batch = 500)
      : store_(store), publish_(std::move(publish)), cursor_name_(std::move(cursor_name)), batch_(batch) {}

  // Publishes every event after the cursor; returns how many.
  Result<size_t> relay_once();
  // Passes until stop(): at once when poke()d (events were committed), else every `period`.
  void run(std::chrono::milliseconds period);
  void poke();
  void stop();

 private:
  store::Store& store_;
  Publish publish_;
  const std::string cursor_name_;
  const size_t batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool poked_ = false;    // guarded by mutex_
  bool stopped_ = false;  // guarded by mutex_
};

}  // namespace pnode::app
