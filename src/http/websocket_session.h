// Internal to http/: hands a connection whose request asked to upgrade to WebSocket over
// to a WebSocketSession (websocket_session.cc), which writes its hub's messages in order
// and keeps reading until the connection closes. server.cc parses the upgrade request and
// calls start_websocket_session(); the session type itself stays in its own file. Include
// only from http/*.cc.
// Thread-safety: call start_websocket_session() on the I/O thread that owns `stream`; the
// session then lives on that stream's executor, and the hub reaches it from any thread
// through WebSocketPeer::send() and close(), which post to that executor.
#pragma once

#include <memory>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/asio_types.h"
#include "http/websocket_hub.h"

namespace pnode::http::detail {

// The TCP stream of a connection (with Beast's timeouts), bound to its worker's executor.
using Stream = beast::basic_stream<tcp, Executor>;

// Performs the WebSocket handshake for `upgrade` on `stream` and, once it succeeds,
// registers the session with `hub`. The session owns itself through its pending
// operations, and keeps `connection_slot` (the server's count of open connections) alive
// until it ends.
void start_websocket_session(Stream&& stream, std::shared_ptr<WebSocketHub> hub,
                             bhttp::request<bhttp::string_body> upgrade, std::shared_ptr<void> connection_slot);

}  // namespace pnode::http::detail
