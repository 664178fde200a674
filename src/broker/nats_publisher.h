// NatsPublisher: publishes the service's events to NATS JetStream (libnats), one subject
// per event type under a prefix ("pnode.events.node_offline"), into one stream that is
// created when missing. Every message carries the event's id as its JetStream message id
// (the Nats-Msg-Id header), so the server drops a message it already stored within the
// stream's duplicate window and says so in its acknowledgement: publishing an event again
// after a restart or a lost acknowledgement never stores it twice.
// Inputs are bounded before anything is sent: the event type must be one subject token
// (1..64 bytes of [A-Za-z0-9_-]), the id 1..128 printable bytes without spaces, the payload at most the
// server's max_payload.
// Thread-safety: one publisher per thread; publish() calls on one object must not overlap
// (libnats itself is thread-safe, but a publisher owns its JetStream context).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.h"

namespace pnode::broker {

struct NatsOptions {
  std::string url;                           // nats://host:port
  std::string stream = "PNODE_EVENTS";       // created with the settings below when missing
  std::string subject_prefix = "pnode.events";
  std::chrono::milliseconds timeout{5000};   // connect and each acknowledgement
  std::chrono::seconds duplicate_window{std::chrono::hours(24)};
  std::chrono::seconds max_age{std::chrono::hours(24 * 30)};  // events kept this long (0: forever)
};

struct PublishAck {
  uint64_t sequence = 0;   // the message's sequence in the stream
  bool duplicate = false;  // the server already held this id: nothing was stored
};

class NatsPublisher {
 public:
  // Connects and makes sure the stream exists. Errors: "refused"/"timeout" (no server),
  // "config" (a bad URL or stream settings the server refuses).
  static Result<std::unique_ptr<NatsPublisher>> connect(const NatsOptions& options);
  ~NatsPublisher();
  NatsPublisher(const NatsPublisher&) = delete;
  NatsPublisher& operator=(const NatsPublisher&) = delete;

  // Publishes one event and waits for JetStream's acknowledgement. Errors: "invalid_data"
  // (a type, id or payload out of bounds), "timeout", "io_error" (connection lost; libnats
  // reconnects by itself, so a later call may succeed).
  Result<PublishAck> publish(std::string_view event_type, std::string_view event_id, std::string_view payload);

  // The subject an event type is published on.
  std::string subject_for(std::string_view event_type) const;

 private:
  struct Handles;
  NatsPublisher(NatsOptions options, std::unique_ptr<Handles> handles);
  Status ensure_stream();

  NatsOptions options_;
  std::unique_ptr<Handles> handles_;
};

// The bounds publish() checks, exposed for the tests and for callers that validate early.
bool is_valid_event_type(std::string_view type);
bool is_valid_event_id(std::string_view id);

}  // namespace pnode::broker
