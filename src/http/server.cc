// Server: one io_context and one thread per worker; every worker has its own acceptor on
// each listen endpoint (SO_REUSEPORT when there are several workers), so a connection lives
// and dies on one thread and the request path takes no lock.
#include "http/server.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <optional>
#include <thread>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "http/asio_types.h"
#include "http/event_stream_session.h"
#include "http/websocket_hub.h"
#include "http/websocket_session.h"
#include "util/loopback.h"

namespace pnode::http {
namespace {

using namespace detail;  // asio, beast, bhttp, tcp, Clock, Executor, Socket, Timer, Stream
namespace websocket = boost::beast::websocket;
using Acceptor = asio::basic_socket_acceptor<tcp, Executor>;
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

constexpr size_t kFirstReadBytes = 16 * 1024;
// After an error answer the client may still be sending a body we refused; reading (and
// discarding) it for a moment before closing keeps the kernel from resetting the
// connection before the client has read our answer.
constexpr auto kLingerTimeout = std::chrono::seconds(1);
constexpr size_t kLingerMaxBytes = 4u << 20;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);
constexpr auto kWebSocketCloseWait = std::chrono::milliseconds(500);

// A Beast body that sends a shared, immutable string without copying it: the message
// holds a reference and the serializer points straight into the string.
struct SharedStringBody {
  using value_type = std::shared_ptr<const std::string>;

  static std::uint64_t size(const value_type& body) { return body ? body->size() : 0; }

  class writer {
   public:
    using const_buffers_type = asio::const_buffer;

    template <bool isRequest, class Fields>
    writer(const bhttp::header<isRequest, Fields>&, const value_type& body) : body_(body) {}

    void init(beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(beast::error_code& ec) {
      ec = {};
      if (!body_ || body_->empty()) return boost::none;
      return std::make_pair(const_buffers_type(body_->data(), body_->size()), false);
    }

   private:
    const value_type& body_;
  };
};

using WebSocketRoutes = std::vector<std::pair<std::string, std::shared_ptr<WebSocketHub>>>;

// A page served by this server itself: its Origin ("http://host:port") names the Host
// the request was sent to.
bool is_same_origin(std::string_view origin, std::string_view host) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.size() > scheme.size() && beast::iequals(origin.substr(0, scheme.size()), scheme))
      return !host.empty() && beast::iequals(origin.substr(scheme.size()), host);
  }
  return false;
}

// The path of a request target, without its query string.
std::string_view target_path(std::string_view target) { return target.substr(0, target.find('?')); }

struct Endpoint {
  std::string address;  // as configured, e.g. "127.0.0.1"
  uint16_t port = 0;    // as bound
};

// The open client connections of one server, shared by its workers: a connection holds
// a slot for its whole life (its WebSocket session too, after an upgrade).
class ConnectionCounter {
 public:
  explicit ConnectionCounter(size_t max) : max_(max) {}

  // A slot, released when the last copy goes; null when `max` connections are open.
  std::shared_ptr<void> acquire() {
    size_t open = open_.load();
    do {
      if (open >= max_) {
        refused_.fetch_add(1);
        return nullptr;
      }
    } while (!open_.compare_exchange_weak(open, open + 1));
    return std::shared_ptr<void>(this, [](ConnectionCounter* counter) { counter->open_.fetch_sub(1); });
  }
  size_t open() const { return open_.load(); }
  size_t refused() const { return refused_.load(); }

 private:
  const size_t max_;
  std::atomic<size_t> open_{0};
  std::atomic<size_t> refused_{0};
};

class Listener;

// One event loop with its thread, its acceptors and its copy of the observer.
struct Worker {
  Worker(const ServerOptions& options, const Handler& handler, const WebSocketRoutes& websockets,
         RequestObserver observer, ConnectionCounter& connections)
      : options(options), handler(handler), websockets(websockets), observer(std::move(observer)),
        connections(connections) {}

  std::shared_ptr<WebSocketHub> websocket_hub(std::string_view target) const {
    if (websockets.empty()) return nullptr;
    const std::string_view path = target_path(target);
    for (const auto& [route, hub] : websockets) {
      if (route == path) return hub;
    }
    return nullptr;
  }

  asio::io_context ioc{1};
  asio::executor_work_guard<Executor> keep_running{ioc.get_executor()};
  const ServerOptions& options;
  const Handler& handler;
  const WebSocketRoutes& websockets;  // fixed before start()
  RequestObserver observer;  // read and written only on this worker's thread once running
  ConnectionCounter& connections;
  std::vector<std::unique_ptr<Listener>> listeners;
  std::thread thread;
};

// One connection: read a request, call the handler, write the answer, repeat while the
// client keeps the connection alive. Owned by the handlers of its pending operations.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket&& socket, Worker& worker, const Endpoint& endpoint, std::shared_ptr<void> connection_slot)
      : stream_(std::move(socket)), worker_(worker), connection_slot_(std::move(connection_slot)) {
    request_.local_address = endpoint.address;
    request_.local_port = endpoint.port;
  }

  void start() {
    beast::error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      request_.remote_address = remote.address().to_string();
      request_.remote_port = remote.port();
    }
    stream_.socket().set_option(tcp::no_delay(true), ec);
    read_request();
  }

 private:
  // Waits up to idle_timeout for the first byte of the next request (unless a pipelined
  // one is already buffered), then gives the whole head request_timeout to arrive, so a
  // client trickling a header a byte at a time is cut off.
  void read_request() {
    parser_.emplace();
    parser_->body_limit(worker_.options.max_request_body);
    parser_->header_limit(static_cast<uint32_t>(std::min<size_t>(worker_.options.max_header_bytes, UINT32_MAX)));
    if (buffer_.size() > 0) return read_header();
    stream_.expires_after(worker_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes), [self = shared_from_this()](beast::error_code ec, size_t n) {
      if (ec) return;  // idle timeout, or the client left: nothing to answer
      self->buffer_.commit(n);
      self->read_header();
    });
  }

  void read_header() {
    stream_.expires_after(worker_.options.request_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    started_ = Clock::now();
    if (parser_->get().target().size() > worker_.options.max_target_length) return answer_error(414, "URI Too Long");
    if (parser_->is_done()) return on_request();
    stream_.expires_after(worker_.options.request_timeout);
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](beast::error_code ec, size_t) {
                          if (!ec) self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->on_read_error(ec);
      self->on_request();
    });
  }

  void on_read_error(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return answer_error(413, "Payload Too Large");
    if (ec == bhttp::error::header_limit) return answer_error(431, "Request Header Fields Too Large");
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return;  // client left
    if (is_http_parse_error(ec)) return answer_error(400, "Bad Request");
    // Idle timeout, reset, shutdown: nothing to answer; the session ends with its socket.
  }

  void on_request() {
    auto& message = parser_->get();
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    head_ = message.method() == bhttp::verb::head;
    request_.method.assign(message.method_string());
    request_.target.assign(message.target());
    request_.headers.clear();
    for (const auto& field : message) request_.headers.emplace_back(field.name_string(), field.value());
    request_.body = std::move(message.body());
    if (auto hub = worker_.websocket_hub(request_.target)) return on_websocket_request(std::move(hub));
    pending_ = call_handler();
    request_.body.clear();
    if (pending_.delay.count() > 0) {
      if (!delay_timer_) delay_timer_.emplace(stream_.get_executor());
      delay_timer_->expires_after(pending_.delay);
      delay_timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec) self->answer();
      });
      return;
    }
    answer();
  }

  // A WebSocket path: an upgrade hands the connection over to a WebSocketSession; any
  // other request there is told to upgrade (426).
  void on_websocket_request(std::shared_ptr<WebSocketHub> hub) {
    if (websocket::is_upgrade(parser_->get())) {
      if (auto refusal = websocket_refusal(*hub)) {
        pending_ = *std::move(refusal);
        keep_alive_ = false;
        return answer();
      }
      notify_observer(101);
      start_websocket_session(std::move(stream_), std::move(hub), parser_->release(), std::move(connection_slot_));
      return;  // this HTTP session ends here
    }
    pending_ = Response::text(426, "Upgrade Required: this path serves WebSocket connections only");
    pending_.headers.emplace_back("Upgrade", "websocket");
    pending_.headers.emplace_back("Connection", "Upgrade");
    answer();
  }

  // 403 for a browser page from an Origin the hub refuses (a request without Origin is
  // not from a browser page); 503 when the hub has all the sessions it may.
  std::optional<Response> websocket_refusal(const WebSocketHub& hub) const {
    const WebSocketOptions& options = hub.options();
    const auto field = parser_->get()[bhttp::field::origin];
    const std::string_view origin(field.data(), field.size());
    const auto host = parser_->get()[bhttp::field::host];
    if (!origin.empty() && options.allow_origin && !is_same_origin(origin, std::string_view(host.data(), host.size())) &&
        !options.allow_origin(origin))
      return Response::text(403, "Forbidden: this Origin may not open a WebSocket here");
    if (hub.session_count() >= options.max_sessions) {
      Response busy = Response::text(503, "Too many WebSocket clients");
      busy.headers.emplace_back("Retry-After", "10");
      return busy;
    }
    return std::nullopt;
  }

  Response call_handler() {
    try {
      return worker_.handler(request_);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "http: handler failed on %s %s: %s\n", request_.method.c_str(), request_.target.c_str(),
                   e.what());
    } catch (...) {
      std::fprintf(stderr, "http: handler failed on %s %s: unknown exception\n", request_.method.c_str(),
                   request_.target.c_str());
    }
    return Response::text(500, "Internal Server Error");
  }

  // Answers a request we could not parse or accept, then closes the connection.
  void answer_error(int status, std::string text) {
    if (!started_) started_ = Clock::now();
    if (parser_->is_header_done()) {
      request_.method.assign(parser_->get().method_string());
      request_.target.assign(parser_->get().target());
    } else {
      request_.method.clear();
      request_.target.clear();
    }
    request_.headers.clear();
    request_.body.clear();
    keep_alive_ = false;
    linger_ = true;
    head_ = false;
    version_ = 11;
    pending_ = Response::text(status, std::move(text));
    answer();
  }

  void answer() {
    if (pending_.drop_connection) {
      notify_observer(0);
      beast::error_code ignored;
      stream_.socket().close(ignored);
      return;
    }
    write_response();
  }

  void write_response() {
    int status = pending_.status;
    if (status < 100 || status > 999) status = 500;
    response_ = {};
    response_.version(version_);
    response_.result(static_cast<unsigned>(status));
    if (!pending_.content_type.empty()) response_.set(bhttp::field::content_type, pending_.content_type);
    for (const auto& [name, value] : pending_.headers) response_.insert(name, value);
    const bool has_no_body = status / 100 == 1 || status == 204 || status == 304;
    streaming_ = pending_.event_stream && status == 200 && !head_;
    if (streaming_) {
      keep_alive_ = false;  // the body ends when the connection does
      response_.body() = pending_.body;
    } else if (!has_no_body) {
      response_.content_length(SharedStringBody::size(pending_.body));
      if (!head_) response_.body() = pending_.body;
    }
    response_.keep_alive(keep_alive_);
    if (!keep_alive_) response_.set(bhttp::field::connection, "close");
    written_status_ = status;
    stream_.expires_after(worker_.options.idle_timeout);
    bhttp::async_write(stream_, response_,
                       [self = shared_from_this()](beast::error_code ec, size_t) { self->on_written(ec); });
  }

  void on_written(beast::error_code ec) {
    response_.body() = nullptr;
    auto event_stream = std::move(pending_.event_stream);
    pending_ = Response{};
    if (ec) return;
    notify_observer(written_status_);
    if (streaming_) return start_event_stream_session(std::move(stream_), std::move(event_stream), std::move(connection_slot_));
    if (event_stream) event_stream->detach();  // HEAD or an error: no stream, the publisher may forget it
    if (keep_alive_) return read_request();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (linger_) {
      stream_.expires_after(kLingerTimeout);
      discard_input();
    }
  }

  void discard_input() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this()](beast::error_code ec, size_t n) {
      self->lingered_bytes_ += n;
      if (!ec && self->lingered_bytes_ < kLingerMaxBytes) self->discard_input();
    });
  }

  void notify_observer(int status) {
    if (!worker_.observer) return;
    const auto duration = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - *started_);
    try {
      worker_.observer(request_, status, duration);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "http: request observer failed: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "http: request observer failed\n");
    }
  }

  Stream stream_;
  Worker& worker_;
  std::shared_ptr<void> connection_slot_;  // handed to a WebSocket or event-stream session
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request request_;  // addresses set once; the rest refilled per request
  Response pending_;
  bhttp::response<SharedStringBody> response_;
  std::optional<Timer> delay_timer_;
  std::optional<Clock::time_point> started_;
  unsigned version_ = 11;
  int written_status_ = 0;
  size_t lingered_bytes_ = 0;
  bool keep_alive_ = false;
  bool head_ = false;
  bool linger_ = false;
  bool streaming_ = false;  // the answer written opened an event stream
};

class Listener {
 public:
  Listener(Worker& worker, Acceptor acceptor, Endpoint endpoint)
      : worker_(worker), acceptor_(std::move(acceptor)), endpoint_(std::move(endpoint)),
        retry_timer_(worker.ioc.get_executor()) {}

  void accept() {
    acceptor_.async_accept([this](beast::error_code ec, Socket socket) { on_accept(ec, std::move(socket)); });
  }

 private:
  void on_accept(beast::error_code ec, Socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space || ec == asio::error::no_memory) {
      // Out of resources: retrying at once would spin; give connections time to close.
      retry_timer_.expires_after(kAcceptRetryDelay);
      retry_timer_.async_wait([this](beast::error_code ec) {
        if (!ec) accept();
      });
      return;
    }
    if (!ec) {
      if (auto slot = worker_.connections.acquire()) {
        std::make_shared<Session>(std::move(socket), worker_, endpoint_, std::move(slot))->start();
      } else {
        beast::error_code ignored;  // over the cap: closed at once, its descriptor freed
        socket.close(ignored);
      }
    }
    accept();
  }

  Worker& worker_;
  Acceptor acceptor_;
  Endpoint endpoint_;
  Timer retry_timer_;
};

std::string describe(const asio::ip::address& address, uint16_t port) {
  return HostPort{address.to_string(), port}.to_string();
}

Error bind_error(const asio::ip::address& address, uint16_t port, const beast::error_code& ec) {
  const ErrorCode code = ec == asio::error::address_in_use ? ErrorCode::kAddressInUse : ErrorCode::kBind;
  std::string endpoint = describe(address, port);
  return make_error(code, "cannot listen on " + endpoint + ": " + ec.message()).with_where(std::move(endpoint));
}

// Opens, binds and listens; the error names the endpoint.
std::optional<Error> open_acceptor(Acceptor& acceptor, const tcp::endpoint& endpoint, bool reuse_port) {
  beast::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec && reuse_port) acceptor.set_option(ReusePort(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return bind_error(endpoint.address(), endpoint.port(), ec);
  return std::nullopt;
}

// SO_REUSEPORT would let us silently share a port with another server of the same user;
// binding once without it first turns that into the "address in use" error it should be.
std::optional<Error> check_port_is_free(asio::io_context& ioc, const tcp::endpoint& endpoint) {
  Acceptor probe(ioc.get_executor());
  return open_acceptor(probe, endpoint, /*reuse_port=*/false);
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  RequestObserver observer;
  WebSocketRoutes websockets;
  // Outlives the workers (their sessions hold slots); replaced at each start().
  std::unique_ptr<ConnectionCounter> connections;
  std::vector<std::unique_ptr<Worker>> workers;

  Result<std::vector<uint16_t>> start();
  std::optional<Error> bind_endpoint(const Listen& listen, std::vector<uint16_t>& ports);
  void stop();
  void close_websockets();
};

// Sends every WebSocket client a close frame and waits a moment for the close handshakes,
// so clients see a normal close rather than a reset; the sockets close with the threads.
void Server::Impl::close_websockets() {
  if (workers.empty()) return;
  for (const auto& [path, hub] : websockets) hub->close_all();
  const auto deadline = Clock::now() + kWebSocketCloseWait;
  for (const auto& [path, hub] : websockets) {
    while (hub->session_count() > 0 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::optional<Error> Server::Impl::bind_endpoint(const Listen& listen, std::vector<uint16_t>& ports) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(listen.address == "localhost" ? "127.0.0.1" : listen.address, ec);
  if (ec)
    return make_error(ErrorCode::kInvalidAddress, "cannot listen on \"" + listen.address + "\": not an IP address");
  const bool reuse_port = workers.size() > 1;
  uint16_t port = listen.port;
  if (reuse_port && port != 0) {
    if (auto error = check_port_is_free(workers.front()->ioc, tcp::endpoint(address, port))) return error;
  }
  for (auto& worker : workers) {
    Acceptor acceptor(worker->ioc.get_executor());
    if (auto error = open_acceptor(acceptor, tcp::endpoint(address, port), reuse_port)) return error;
    // The first bind of port 0 picks the port; the other workers join it.
    if (port == 0) port = acceptor.local_endpoint().port();
    worker->listeners.push_back(std::make_unique<Listener>(*worker, std::move(acceptor), Endpoint{listen.address, port}));
  }
  ports.push_back(port);
  return std::nullopt;
}

Result<std::vector<uint16_t>> Server::Impl::start() {
  if (!workers.empty()) return make_error(ErrorCode::kAlreadyRunning, "the HTTP server is already running");
  if (options.listen.empty()) return make_error(ErrorCode::kBind, "no listen endpoint configured");
  const int thread_count = std::max(1, options.threads);
  connections = std::make_unique<ConnectionCounter>(options.max_connections > 0 ? options.max_connections
                                                                                 : default_max_connections());
  for (int i = 0; i < thread_count; ++i)
    workers.push_back(std::make_unique<Worker>(options, handler, websockets, observer, *connections));
  std::vector<uint16_t> ports;
  for (const auto& listen : options.listen) {
    if (auto error = bind_endpoint(listen, ports)) {
      workers.clear();
      return *error;
    }
  }
  for (auto& worker : workers) {
    for (auto& listener : worker->listeners) listener->accept();
    worker->thread = std::thread([w = worker.get()] {
      for (;;) {
        try {
          w->ioc.run();
          return;
        } catch (const std::exception& e) {
          std::fprintf(stderr, "http: server I/O thread caught: %s\n", e.what());
        }
      }
    });
  }
  return ports;
}

void Server::Impl::stop() {
  close_websockets();
  for (auto& worker : workers) worker->ioc.stop();
  for (auto& worker : workers) {
    if (worker->thread.joinable()) worker->thread.join();
  }
  // Closes the acceptors (freeing the ports), then each io_context destroys the pending
  // handlers, which own the sessions and so close their sockets.
  workers.clear();
}

Server::Server(ServerOptions options, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handler = std::move(handler);
}

Server::~Server() { stop(); }

Result<std::vector<uint16_t>> Server::start() { return impl_->start(); }

void Server::stop() { impl_->stop(); }

void Server::set_websocket(std::string path, std::shared_ptr<WebSocketHub> hub) {
  if (!impl_->workers.empty() || !hub) return;
  impl_->websockets.emplace_back(std::move(path), std::move(hub));
}

size_t Server::open_connections() const { return impl_->connections ? impl_->connections->open() : 0; }

size_t Server::refused_connections() const { return impl_->connections ? impl_->connections->refused() : 0; }

void Server::set_observer(RequestObserver observer) {
  impl_->observer = observer;
  // Running workers each get their own copy on their own thread, so requests never lock.
  for (auto& worker : impl_->workers) {
    asio::post(worker->ioc, [w = worker.get(), observer] { w->observer = observer; });
  }
}

}  // namespace pnode::http
