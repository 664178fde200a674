// WebSocketHub: the set of open server-side WebSocket sessions on one path (registered
// with Server::set_websocket), and a broadcast of text messages to all of them. Each
// session has its own bounded write queue on its own I/O thread, so broadcast() never
// waits for a client; a client whose queue would grow beyond max_queued_messages is
// disconnected. The server refuses upgrades beyond max_sessions and from Origins that
// allow_origin refuses. Nothing here includes Boost.Beast.
// Thread-safety: every public member may be called from any thread; on_open is called on
// the I/O thread of the session that just opened (it must be cheap and thread-safe).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace pnode::http {

// What the hub needs from a session (implemented in websocket_session.cc with Beast).
class WebSocketPeer {
 public:
  virtual ~WebSocketPeer() = default;
  // Queues a text message; returns at once (the write happens on the session's thread).
  virtual void send(std::shared_ptr<const std::string> text) = 0;
  // Starts a normal close (close frame, then the socket closes); returns at once.
  virtual void close() = 0;
};

struct WebSocketOptions {
  // A session whose unsent messages would exceed this many is disconnected.
  size_t max_queued_messages = 16;
  // Beast's keepalive: a ping after half of this without traffic, and the session ends
  // when nothing at all comes back within it.
  std::chrono::seconds idle_timeout{30};
  // Largest message accepted from a client (the dashboard sends none).
  size_t max_incoming_message = 64 * 1024;
  // Open sessions at most; an upgrade beyond it is answered 503.
  size_t max_sessions = 1000;
  // Whether a browser page from `origin` may connect (null: any). An upgrade whose Origin
  // header is refused gets 403; one without Origin (not a browser) or from a page of the
  // server itself (Origin naming the request's Host) is always let in.
  std::function<bool(std::string_view origin)> allow_origin;
};

class WebSocketHub {
 public:
  // Returns the first message for a session that just opened (null: send nothing).
  using OnOpen = std::function<std::shared_ptr<const std::string>()>;

  explicit WebSocketHub(WebSocketOptions options = {}, OnOpen on_open = nullptr);
  WebSocketHub(const WebSocketHub&) = delete;
  WebSocketHub& operator=(const WebSocketHub&) = delete;

  // Sends `text` to every open session (a null text is ignored).
  void broadcast(std::shared_ptr<const std::string> text);
  // Starts a normal close of every open session.
  void close_all();
  size_t session_count() const;

  const WebSocketOptions& options() const { return options_; }
  // For the server: the first message of a new session, and session bookkeeping.
  std::shared_ptr<const std::string> first_message() const;
  void add(const std::shared_ptr<WebSocketPeer>& peer);
  void remove(const WebSocketPeer* peer);

 private:
  std::vector<std::shared_ptr<WebSocketPeer>> live_peers() const;

  const WebSocketOptions options_;
  const OnOpen on_open_;
  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<WebSocketPeer>> peers_;  // guarded by mutex_
  std::vector<const WebSocketPeer*> peer_ids_;        // parallel to peers_, for remove()
};

}  // namespace pnode::http
