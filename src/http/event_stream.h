// Server-Sent Events (text/event-stream) for the HTTP server. A handler that wants to
// stream answers with a Response whose `event_stream` is a mailbox: the server writes the
// head and the body (the backlog the handler rendered, e.g. what a client missed since its
// Last-Event-ID), then keeps the connection open and writes every frame pushed into the
// mailbox, in order, with a comment line as heartbeat when nothing was sent for a while.
// A mailbox is registered with its publisher BEFORE the handler reads the backlog, so no
// event falls between the two; the publisher may push into it from the start, and frames
// wait there until the connection takes them (the client skips duplicates by id, and the
// publisher can too, by sequence number).
// A client that reads too slowly is not waited for: past max_queued frames the mailbox
// closes and the connection ends; the client reconnects with Last-Event-ID and catches up
// from the backlog. Nothing here includes Boost.Beast.
// Thread-safety: EventStreamMailbox's members may be called from any thread;
// format_event_frame() is a pure function.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "http/message.h"

namespace pnode::http {

// One event in the wire format: "id: <id>\nevent: <type>\ndata: <line>\n...\n\n". Every line
// of `data` becomes its own data line (a client joins them with "\n"); CR and LF inside
// `id` and `type`, which would end their field early, are dropped. An empty id or type
// leaves its field out.
std::string format_event_frame(std::string_view id, std::string_view type, std::string_view data);

// A comment frame (": <text>\n\n"); clients ignore it. Used as the heartbeat.
std::string format_event_comment(std::string_view text);

class EventStreamMailbox;

// The answer that opens a stream on `mailbox`: 200, text/event-stream, never cached nor
// buffered by a proxy, with `backlog` (frames already formatted) as the first bytes.
Response open_event_stream(std::shared_ptr<EventStreamMailbox> mailbox, std::string backlog = {});

struct EventStreamOptions {
  // Frames waiting to be written at most; one more closes the stream (a slow reader).
  size_t max_queued = 256;
  // A heartbeat comment is written after this long without a frame, so proxies keep the
  // connection and a client that left is noticed by the failed write.
  std::chrono::milliseconds heartbeat{15000};
  // Sent first as "retry: <ms>": how long a browser waits before reconnecting.
  std::chrono::milliseconds client_retry{3000};
};

class EventStreamMailbox {
 public:
  explicit EventStreamMailbox(EventStreamOptions options = {});
  EventStreamMailbox(const EventStreamMailbox&) = delete;
  EventStreamMailbox& operator=(const EventStreamMailbox&) = delete;

  // Queues a frame (a null frame is ignored). Returns false when the stream is closed, now
  // or because this frame overflowed it.
  bool push(std::shared_ptr<const std::string> frame);
  // Ends the stream: the connection closes after the frames already queued.
  void close();
  bool closed() const;
  // Whether the stream ended because its reader was too slow.
  bool overflowed() const;

  const EventStreamOptions& options() const { return options_; }

  // For the server's session: `wake` is called (from the pushing thread, so it must only
  // post) whenever frames arrive or the stream closes; called once at once if any wait.
  void attach(std::function<void()> wake);
  // Takes every queued frame, oldest first.
  std::deque<std::shared_ptr<const std::string>> take();
  // Called by the session when the connection ended: later pushes return false.
  void detach();

 private:
  void wake_locked(std::unique_lock<std::mutex>& lock);

  const EventStreamOptions options_;
  mutable std::mutex mutex_;
  std::deque<std::shared_ptr<const std::string>> queue_;  // guarded by mutex_
  std::function<void()> wake_;                             // guarded by mutex_
  bool closed_ = false;                                    // guarded by mutex_
  bool overflowed_ = false;                                // guarded by mutex_
};

}  // namespace pnode::http
