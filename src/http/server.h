// HttpServer: an asynchronous HTTP/1.1 server (Boost.Beast) with keep-alive, serving
// one Handler on one or more loopback-or-configured listen endpoints. Each I/O thread
// runs its own event loop; handlers are called on those threads, concurrently.
// Hostile clients are bounded (ServerOptions): open connections (beyond the cap a new
// connection is closed at once, so the rest of the process keeps its file descriptors),
// the request head's size (431) and its target's length (414), the body (413), the wait
// for a request and the time to receive one once it started (a header that trickles in,
// slowloris, is cut off), and, on WebSocket paths, the sessions and their Origins.
// Thread-safety: start() and stop() from one owner thread; the handler must be
// thread-safe. The destructor stops the server.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/websocket_hub.h"
#include "util/result.h"

namespace pnode::http {

struct Listen {
  std::string address = "127.0.0.1";  // an IP literal, or "localhost" (127.0.0.1)
  uint16_t port = 0;  // 0 = pick a free port
};

struct ServerOptions {
  std::vector<Listen> listen{Listen{}};
  int threads = 1;
  size_t max_request_body = 1 << 20;      // larger bodies: 413
  size_t max_header_bytes = 16 * 1024;    // request line and headers together; larger: 431
  size_t max_target_length = 8 * 1024;    // the request target; longer: 414
  // How long a connection may wait for its next request (keep-alive idle) ...
  std::chrono::seconds idle_timeout{30};
  // ... and how long a request may take to arrive once its first byte did (head and body).
  std::chrono::seconds request_timeout{10};
  // Open client connections (WebSocket sessions included) across all threads; beyond it
  // a new connection is closed at once. 0: default_max_connections() at start().
  size_t max_connections = 0;
};

// The process's soft RLIMIT_NOFILE less `reserve` descriptors kept for everything else
// (the outgoing client, the store, logs), within [16, 20000].
size_t default_max_connections(size_t reserve = 128);
// Raises the soft RLIMIT_NOFILE to the hard limit; returns the soft limit now in force.
size_t raise_open_file_limit();

// Called for each completed request with its status and duration (for access logs and
// metrics); runs on the I/O thread, must be cheap and thread-safe. Also called for the
// 400/413/431 answers to requests the server refused (method and target empty when the
// request line could not be read), and with status 0 when a Response asked to
// drop_connection.
using RequestObserver = std::function<void(const Request&, int status, std::chrono::microseconds)>;

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every endpoint and starts the I/O threads. Returns the bound ports, in the
  // order of options.listen, or an error (e.g. "address in use").
  // Error kinds: "address_in_use", "bind", "invalid_address", "already_running".
  Result<std::vector<uint16_t>> start();
  // Stops accepting, closes every connection (delayed answers are never sent), joins the
  // threads and frees the ports. Idempotent; never call it from a handler.
  void stop();
  // Serves WebSocket connections on `path` (the target without its query string) through
  // `hub`: an upgrade request there opens a session; any other request there gets 426.
  // Call before start() (ignored once running). stop() closes the sessions.
  void set_websocket(std::string path, std::shared_ptr<WebSocketHub> hub);
  // May be called before or after start().
  void set_observer(RequestObserver observer);
  // Client connections open now, and those closed at once because the cap was reached.
  size_t open_connections() const;
  size_t refused_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pnode::http
