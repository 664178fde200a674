// EventHub: the open GET /events/stream connections (Server-Sent Events, docs/events.md)
// and the filter of each. After the collector commits events (or a follower loads a cycle
// another instance committed), publish_committed() reads the outbox after the last event
// it published and pushes each event's frame (`id:` = its sequence number) to every
// stream whose filter matches.
// A stream is registered BEFORE its handler reads the backlog (what the client missed
// since its Last-Event-ID): until the handler calls start() with the sequence number the
// backlog ended at, live events are held, then those past the backlog are sent, so a
// client neither misses nor repeats an event. Open streams are bounded (max_streams);
// what is held before start() is bounded like the mailbox (EventStreamOptions::max_queued)
// and closes the stream past it (the client reconnects with Last-Event-ID).
// A batch listener (set_batch_listener) also gets every batch published, in order: the
// server hands them to the dashboard's WebSocket (live_updates.h, live_events_messages).
// Thread-safety: every member may be called from any thread; publish_committed() calls
// are serialised (and so are the batch listener's calls).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http/event_stream.h"
#include "store/store.h"
#include "util/json_writer.h"

namespace pnode::api {

// Which events a stream wants: those matching every filter given.
struct EventFilter {
  std::optional<std::string> address, pubkey, type;
  bool matches(const store::EventRecord& event) const;
  // The outbox query with these filters (no cursor, the default limit).
  store::EventQuery query() const;
};

// The stored event's JSON with its sequence number as the first field (GET /events'
// items, the WebSocket's "events" messages).
void write_stored_event(JsonWriter& w, const store::StoredEvent& e);

// The SSE frame of a stored event: id = seq, event = type, data = the event's JSON.
std::string event_frame(const store::StoredEvent& event);

struct EventHubOptions {
  size_t max_streams = 64;      // open streams at most; more are refused (503)
  size_t max_backlog = 1000;    // events a (re)connecting client is sent at most at once
  size_t read_batch = 1000;     // events read from the outbox per query when publishing
  http::EventStreamOptions stream;
};

class EventSubscription {
 public:
  EventSubscription(EventFilter filter, http::EventStreamOptions options);
  const std::shared_ptr<http::EventStreamMailbox>& mailbox() const { return mailbox_; }
  const EventFilter& filter() const { return filter_; }
  // The backlog ends at `last_seq`: events held meanwhile past it are queued now, later
  // ones as they come.
  void start(int64_t last_seq);
  // A committed event the filter matches (the hub calls it in sequence order).
  void offer(int64_t seq, const std::shared_ptr<const std::string>& frame);

 private:
  const EventFilter filter_;
  const std::shared_ptr<http::EventStreamMailbox> mailbox_;
  std::mutex mutex_;
  bool started_ = false;  // guarded by mutex_
  int64_t floor_ = 0;     // guarded by mutex_: events up to it were in the backlog
  std::vector<std::pair<int64_t, std::shared_ptr<const std::string>>> held_;  // guarded by mutex_
};

class EventHub {
 public:
  explicit EventHub(EventHubOptions options = {}) : options_(std::move(options)) {}

  const EventHubOptions& options() const { return options_; }
  // Registers a stream; null when max_streams are open.
  std::shared_ptr<EventSubscription> subscribe(EventFilter filter);
  // Where publishing starts (the outbox's last event when the server starts): events up
  // to it are only ever sent as backlog.
  void start_after(int64_t seq);
  int64_t last_published() const;
  // Called with each non-empty batch publish_committed() reads, in sequence order. Set
  // before the first publication.
  using BatchListener = std::function<void(const std::vector<store::StoredEvent>&)>;
  void set_batch_listener(BatchListener listener) { batch_listener_ = std::move(listener); }
  // Pushes every event committed since the last call to the matching streams. Store
  // errors are returned (and retried at the next call: the cursor stays).
  Status publish_committed(store::Store& store);
  size_t open_streams() const;
  // Ends every stream (shutdown).
  void close_all();

 private:
  void drop_closed_locked();

  const EventHubOptions options_;
  BatchListener batch_listener_;
  std::mutex publish_mutex_;  // one publication at a time, in sequence order
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<EventSubscription>> subscriptions_;  // guarded by mutex_
  int64_t published_ = 0;                                          // guarded by mutex_
};

}  // namespace pnode::api
