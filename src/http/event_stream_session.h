// Internal to http/: hands a connection whose answer opened a Server-Sent Events stream
// (Response::event_stream) over to an EventStreamSession (event_stream_session.cc), which
// writes the mailbox's frames in order, a heartbeat comment when idle, and ends when the
// mailbox closes, the client leaves, or a write stalls. Include only from http/*.cc.
// Thread-safety: call start_event_stream_session() on the I/O thread that owns `stream`;
// the session then lives on that stream's executor, and the mailbox reaches it from any
// thread by posting to that executor.
#pragma once

#include <memory>

#include "http/event_stream.h"
#include "http/websocket_session.h"

namespace pnode::http::detail {

// Starts streaming on `stream`, whose response head and first body bytes are already
// written. The session owns itself through its pending operations and keeps
// `connection_slot` (the server's count of open connections) until it ends.
void start_event_stream_session(Stream&& stream, std::shared_ptr<EventStreamMailbox> mailbox,
                                std::shared_ptr<void> connection_slot);

}  // namespace pnode::http::detail
