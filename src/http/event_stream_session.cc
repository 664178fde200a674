// EventStreamSession: one Server-Sent Events connection (see event_stream_session.h).
#include "http/event_stream_session.h"

#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "http/asio_types.h"

namespace pnode::http {
namespace {

using namespace detail;  // asio, beast, Clock, Stream, Timer

// Owned by its pending operations; the mailbox holds only a weak reference (through the
// wake callback), so a client that leaves frees the session even while events flow.
class EventStreamSession : public std::enable_shared_from_this<EventStreamSession> {
 public:
  EventStreamSession(Stream&& stream, std::shared_ptr<EventStreamMailbox> mailbox, std::shared_ptr<void> slot)
      : stream_(std::move(stream)), mailbox_(std::move(mailbox)), connection_slot_(std::move(slot)),
        heartbeat_(stream_.get_executor()) {}

  void run() {
    stream_.expires_never();  // the heartbeat and the stalled-write check take over
    const auto retry = std::chrono::duration_cast<std::chrono::milliseconds>(mailbox_->options().client_retry);
    outbox_.push_back(std::make_shared<const std::string>("retry: " + std::to_string(retry.count()) + "\n\n"));
    write_next();
    read();
    arm_heartbeat();
    std::weak_ptr<EventStreamSession> weak = shared_from_this();
    mailbox_->attach([weak, executor = stream_.get_executor()] {
      asio::post(executor, [weak] {
        if (auto self = weak.lock()) self->pump();
      });
    });
  }

 private:
  // The client sends nothing on an event stream; a read ends only when it leaves.
  void read() {
    stream_.async_read_some(asio::buffer(discard_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->end();
      self->read();
    });
  }

  // Frames stay in the mailbox while a write is in flight, so its bound is what limits a
  // slow reader; they are taken only when the socket is ready for more.
  void pump() {
    if (ended_) return;
    if (mailbox_->overflowed()) return end();  // too slow a reader: it resumes by Last-Event-ID
    if (!writing_) write_next();
  }

  void write_next() {
    for (auto& frame : mailbox_->take()) outbox_.push_back(std::move(frame));
    if (outbox_.empty()) {
      if (mailbox_->closed()) finish();
      return;
    }
    writing_ = true;
    write_started_ = Clock::now();
    in_flight_.clear();
    while (!outbox_.empty()) {  // one write for everything waiting
      in_flight_ += *outbox_.front();
      outbox_.pop_front();
    }
    asio::async_write(stream_, asio::buffer(in_flight_), [self = shared_from_this()](beast::error_code ec, size_t) {
      self->writing_ = false;
      self->last_write_ = Clock::now();
      if (ec) return self->end();
      self->write_next();
    });
  }

  // A heartbeat when nothing was written for a heartbeat's time; a write stalled for two
  // (the client stopped reading while no event came to overflow the mailbox) ends it.
  void arm_heartbeat() {
    heartbeat_.expires_after(mailbox_->options().heartbeat);
    heartbeat_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->ended_) return;
      const auto now = Clock::now();
      const auto period = self->mailbox_->options().heartbeat;
      if (self->writing_ && now - self->write_started_ >= 2 * period) return self->end();
      if (!self->writing_ && now - self->last_write_ >= period) {
        self->outbox_.push_back(std::make_shared<const std::string>(format_event_comment("heartbeat")));
        self->write_next();
      }
      self->arm_heartbeat();
    });
  }

  // The publisher closed the stream: everything queued is written, then the connection
  // ends as an HTTP/1.1 body without length does, by closing.
  void finish() {
    if (ended_) return;
    beast::error_code ignored;
    stream_.socket().shutdown(asio::socket_base::shutdown_send, ignored);
    end();
  }

  void end() {
    if (ended_) return;
    ended_ = true;
    mailbox_->detach();
    heartbeat_.cancel();
    beast::error_code ignored;
    stream_.socket().close(ignored);
  }

  Stream stream_;
  std::shared_ptr<EventStreamMailbox> mailbox_;
  std::shared_ptr<void> connection_slot_;  // released when the session ends
  Timer heartbeat_;
  std::deque<std::shared_ptr<const std::string>> outbox_;  // taken from the mailbox, not yet written
  std::string in_flight_;
  std::array<char, 512> discard_{};
  Clock::time_point write_started_{};
  Clock::time_point last_write_ = Clock::now();
  bool writing_ = false;
  bool ended_ = false;
};

}  // namespace

void detail::start_event_stream_session(Stream&& stream, std::shared_ptr<EventStreamMailbox> mailbox,
                                        std::shared_ptr<void> connection_slot) {
  std::make_shared<EventStreamSession>(std::move(stream), std::move(mailbox), std::move(connection_slot))->run();
}

}  // namespace pnode::http
