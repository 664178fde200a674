// Client: one io_context and thread per worker, requests spread round-robin; each request
// is one Exchange on one new connection, so its handlers never run concurrently and need
// no strand. A deadline timer bounds the whole exchange; an Exchange destroyed before it
// finished (the client shut down) completes its future with "cancelled". Each loop keeps
// the set of its live exchanges (touched only on its own thread) so shutdown() can cancel
// them at once instead of waiting for their deadlines.
#include "http/client.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <optional>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/asio_types.h"
#include "http/padded_body.h"
#include "util/loopback.h"

namespace pnode::http {
namespace {

using namespace detail;  // asio, beast, bhttp, tcp, Clock, Executor, Socket, Timer
using Resolver = asio::ip::basic_resolver<tcp, Executor>;

constexpr uint32_t kResponseHeaderLimit = 64 * 1024;

std::string milliseconds_text(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

bool method_may_carry_body(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "DELETE" && method != "OPTIONS";
}

class Exchange;
using LiveExchanges = std::unordered_set<Exchange*>;

class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(asio::io_context& ioc, LiveExchanges& live, ClientRequest request, Clock::time_point started)
      : resolver_(ioc.get_executor()), socket_(ioc.get_executor()), timer_(ioc.get_executor()), live_(live),
        request_(std::move(request)), started_(started), where_(HostPort{request_.host, request_.port}.to_string()) {}

  ~Exchange() {
    live_.erase(this);
    if (!done_) {
      promise_.set_value(failure(ErrorCode::kCancelled, "the HTTP client shut down before the request completed"));
    }
  }

  std::future<Result<ClientResponse>> future() { return promise_.get_future(); }

  // On the loop's thread: ends the exchange now with kCancelled.
  void cancel() { finish(failure(ErrorCode::kCancelled, "cancelled: the client is shutting down")); }

  void start() {
    live_.insert(this);
    arm_deadline(started_ + connect_limit());
    beast::error_code ec;
    const auto address = asio::ip::make_address(request_.host, ec);
    if (!ec) return connect({tcp::endpoint(address, request_.port)});
    resolver_.async_resolve(request_.host, std::to_string(request_.port),
                            [self = shared_from_this()](beast::error_code ec, Resolver::results_type results) {
                              self->on_resolved(ec, results);
                            });
  }

 private:
  std::chrono::milliseconds connect_limit() const { return std::min(request_.connect_timeout, request_.total_timeout); }

  // The timer is re-armed when the connection is up; the generation tells a stale expiry
  // (already queued when re-armed) from the current one.
  void arm_deadline(Clock::time_point deadline) {
    ++deadline_generation_;
    timer_.expires_at(deadline);
    timer_.async_wait([self = shared_from_this(), generation = deadline_generation_](beast::error_code ec) {
      if (ec || generation != self->deadline_generation_) return;
      self->on_deadline();
    });
  }

  void on_deadline() {
    if (connected_) {
      finish(failure(ErrorCode::kTimeout, "timed out after " + milliseconds_text(request_.total_timeout)));
    } else {
      finish(failure(ErrorCode::kConnectTimeout, "connect timed out after " + milliseconds_text(connect_limit())));
    }
  }

  void on_resolved(beast::error_code ec, const Resolver::results_type& results) {
    if (done_) return;
    if (ec || results.empty()) {
      return finish(failure(ErrorCode::kResolve, "cannot resolve host: " + (ec ? ec.message() : "no address")));
    }
    std::vector<tcp::endpoint> endpoints;
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
    connect(std::move(endpoints));
  }

  void connect(std::vector<tcp::endpoint> endpoints) {
    asio::async_connect(socket_, endpoints,
                        [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) { self->on_connected(ec); });
  }

  void on_connected(beast::error_code ec) {
    if (done_) return;
    if (ec == asio::error::connection_refused) return finish(failure(ErrorCode::kRefused, "connection refused"));
    if (ec) return finish(failure(ErrorCode::kRefused, "cannot connect: " + ec.message()));
    connected_ = true;
    connect_elapsed_ = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_);
    arm_deadline(started_ + request_.total_timeout);
    socket_.set_option(tcp::no_delay(true), ec);
    build_request();
    parser_.emplace();
    parser_->body_limit(request_.max_response_bytes);
    parser_->header_limit(kResponseHeaderLimit);
    if (request_.method == "HEAD") parser_->skip(true);
    // Read while writing: a server may answer (413, say) and close before taking the
    // whole body, and that answer is what the caller wants to see.
    bhttp::async_write(socket_, message_, [self = shared_from_this()](beast::error_code, size_t) {
      // A failed write surfaces through the read, which fails too or brings the answer.
    });
    bhttp::async_read(socket_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void build_request() {
    const auto verb = bhttp::string_to_verb(request_.method);
    if (verb == bhttp::verb::unknown) {
      message_.method_string(request_.method);
    } else {
      message_.method(verb);
    }
    message_.target(request_.target);
    message_.version(11);
    message_.set(bhttp::field::host, where_);
    message_.set(bhttp::field::user_agent, "pnode-analytics");
    if (!request_.body.empty() || method_may_carry_body(request_.method)) {
      message_.set(bhttp::field::content_type, request_.content_type);
    }
    message_.set(bhttp::field::connection, "close");
    message_.body() = std::move(request_.body);
    message_.prepare_payload();
  }

  void on_read(beast::error_code ec) {
    if (done_) return;
    if (ec) return finish(read_error(ec));
    auto& message = parser_->get();
    ClientResponse response;
    response.status = static_cast<int>(message.result_int());
    response.content_type.assign(message[bhttp::field::content_type]);
    response.body = std::move(message.body());
    finish(std::move(response));
  }

  // An error of this exchange: the message starts with "host:port: ", which is also its where.
  Error failure(ErrorCode code, std::string what) const {
    return make_error(code, where_ + ": " + what).with_where(where_);
  }

  Error read_error(const beast::error_code& ec) const {
    if (ec == bhttp::error::body_limit) {
      return failure(ErrorCode::kTooLarge,
                     "response body larger than " + std::to_string(request_.max_response_bytes) + " bytes");
    }
    if (ec == bhttp::error::header_limit) return failure(ErrorCode::kTooLarge, "response headers too large");
    if (ec == bhttp::error::end_of_stream) {
      return failure(ErrorCode::kProtocol, "connection closed before a response was received");
    }
    if (ec == bhttp::error::partial_message) {
      return failure(ErrorCode::kProtocol, "connection closed in the middle of the response");
    }
    if (is_http_parse_error(ec)) return failure(ErrorCode::kProtocol, "malformed HTTP response (" + ec.message() + ")");
    return failure(ErrorCode::kProtocol, ec.message());
  }

  void finish(Result<ClientResponse> result) {
    if (done_) return;
    done_ = true;
    live_.erase(this);
    if (result.ok()) {
      result->elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_);
      result->connect_elapsed = connect_elapsed_;
    }
    beast::error_code ignored;
    timer_.cancel();
    resolver_.cancel();
    socket_.close(ignored);
    promise_.set_value(std::move(result));
  }

  Resolver resolver_;
  Socket socket_;
  Timer timer_;
  LiveExchanges& live_;  // its loop's set; only touched on the loop's thread
  ClientRequest request_;
  const Clock::time_point started_;
  const std::string where_;  // "host:port": every error's where and the prefix of its message
  bhttp::request<bhttp::string_body> message_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::response_parser<PaddedStringBody>> parser_;  // room for a JSON parser's padding
  std::promise<Result<ClientResponse>> promise_;
  unsigned deadline_generation_ = 0;
  bool connected_ = false;
  std::chrono::microseconds connect_elapsed_{0};
  bool done_ = false;
};

struct Loop {
  LiveExchanges live;  // declared before ioc: outlives the exchanges the ioc destroys
  asio::io_context ioc{1};
  asio::executor_work_guard<Executor> keep_running{ioc.get_executor()};
  std::thread thread;
};

}  // namespace

struct Client::Impl {
  std::vector<std::unique_ptr<Loop>> loops;
  std::atomic<size_t> next{0};
  std::atomic<bool> shut_down{false};
};

Client::Client(int threads) : impl_(std::make_unique<Impl>()) {
  const int count = std::max(1, threads);
  for (int i = 0; i < count; ++i) {
    auto loop = std::make_unique<Loop>();
    loop->thread = std::thread([l = loop.get()] {
      for (;;) {
        try {
          l->ioc.run();
          return;
        } catch (const std::exception& e) {
          std::fprintf(stderr, "http: client I/O thread caught: %s\n", e.what());
        }
      }
    });
    impl_->loops.push_back(std::move(loop));
  }
}

Client::~Client() {
  for (auto& loop : impl_->loops) loop->ioc.stop();
  for (auto& loop : impl_->loops) loop->thread.join();
  // Destroying each io_context destroys the handlers still pending, which own the
  // unfinished exchanges; those complete their futures with "cancelled".
  impl_->loops.clear();
}

void Client::shutdown() {
  impl_->shut_down = true;
  for (auto& loop : impl_->loops) {
    asio::post(loop->ioc, [l = loop.get()] {
      LiveExchanges live = l->live;  // cancel() erases from the set
      for (Exchange* e : live) e->cancel();
    });
  }
}

std::future<Result<ClientResponse>> Client::send(ClientRequest request) {
  const auto started = Clock::now();
  if (impl_->shut_down) {
    std::promise<Result<ClientResponse>> refused;
    const std::string where = HostPort{request.host, request.port}.to_string();
    refused.set_value(make_error(ErrorCode::kCancelled, where + ": cancelled: the client is shutting down").with_where(where));
    return refused.get_future();
  }
  auto& loop = *impl_->loops[impl_->next.fetch_add(1, std::memory_order_relaxed) % impl_->loops.size()];
  auto exchange = std::make_shared<Exchange>(loop.ioc, loop.live, std::move(request), started);
  auto future = exchange->future();
  asio::post(loop.ioc, [exchange = std::move(exchange)] { exchange->start(); });
  return future;
}

}  // namespace pnode::http
