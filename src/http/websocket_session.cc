// WebSocketSession: one upgraded server-side connection of a WebSocketHub (see
// websocket_session.h); server.cc hands it the connection after the upgrade request.
#include "http/websocket_session.h"

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "http/asio_types.h"
#include "http/websocket_hub.h"

namespace pnode::http {
namespace {

using namespace detail;  // asio, beast, bhttp, Stream
namespace websocket = boost::beast::websocket;

// One upgraded connection: writes the hub's messages in order from its own queue and keeps
// reading (Beast answers pings and closes; client messages are discarded). Owned by its
// pending operations; the hub holds only a weak reference.
class WebSocketSession : public WebSocketPeer, public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(Stream&& stream, std::shared_ptr<WebSocketHub> hub, std::shared_ptr<void> connection_slot)
      : ws_(std::move(stream)), hub_(std::move(hub)), connection_slot_(std::move(connection_slot)) {}
  ~WebSocketSession() override { hub_->remove(this); }

  void run(bhttp::request<bhttp::string_body> upgrade) {
    upgrade_ = std::move(upgrade);
    // Beast's websocket timeouts replace the TCP stream's own.
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(10);
    timeouts.idle_timeout = hub_->options().idle_timeout;
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.read_message_max(hub_->options().max_incoming_message);
    ws_.async_accept(upgrade_, [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
  }

  void send(std::shared_ptr<const std::string> text) override {
    asio::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
      self->enqueue(std::move(text));
    });
  }

  void close() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] { self->start_close(); });
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return;
    open_ = true;
    // Added before the first message is built, so no broadcast falls between the two;
    // broadcasts are posted to this thread and so are written after the first message.
    hub_->add(shared_from_this());
    if (auto first = hub_->first_message()) enqueue(std::move(first));
    read();
  }

  void read() {
    ws_.async_read(incoming_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->end();
      self->incoming_.consume(self->incoming_.size());
      self->read();
    });
  }

  void enqueue(std::shared_ptr<const std::string> text) {
    if (!open_ || closing_) return;
    if (queue_.size() >= hub_->options().max_queued_messages) return disconnect();  // too slow a reader
    queue_.push_back(std::move(text));
    if (!writing_) write_next();
  }

  void write_next() {
    writing_ = true;
    in_flight_ = std::move(queue_.front());  // kept alive here: end() may clear the queue
    queue_.pop_front();
    ws_.text(true);
    ws_.async_write(asio::buffer(*in_flight_), [self = shared_from_this()](beast::error_code ec, size_t) {
      self->writing_ = false;
      self->in_flight_ = nullptr;
      if (ec || !self->open_) return self->end();
      if (self->closing_) return self->send_close_frame();
      if (!self->queue_.empty()) self->write_next();
    });
  }

  void start_close() {
    if (!open_ || closing_) return;
    closing_ = true;
    queue_.clear();
    if (!writing_) send_close_frame();  // else after the write in flight (one writer at a time)
  }

  // The client answers with its own close frame, which ends the read loop.
  void send_close_frame() {
    ws_.async_close(websocket::close_code::going_away, [self = shared_from_this()](beast::error_code ec) {
      if (ec) self->disconnect();
    });
  }

  void disconnect() {
    end();
    beast::get_lowest_layer(ws_).close();
  }

  void end() {
    open_ = false;
    queue_.clear();
    hub_->remove(this);
  }

  websocket::stream<Stream> ws_;
  std::shared_ptr<WebSocketHub> hub_;
  std::shared_ptr<void> connection_slot_;  // released when the session ends
  bhttp::request<bhttp::string_body> upgrade_;
  beast::flat_buffer incoming_;
  std::deque<std::shared_ptr<const std::string>> queue_;  // not yet written
  std::shared_ptr<const std::string> in_flight_;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
};

}  // namespace

void detail::start_websocket_session(Stream&& stream, std::shared_ptr<WebSocketHub> hub,
                                     bhttp::request<bhttp::string_body> upgrade, std::shared_ptr<void> connection_slot) {
  std::make_shared<WebSocketSession>(std::move(stream), std::move(hub), std::move(connection_slot))
      ->run(std::move(upgrade));
}

}  // namespace pnode::http
