// Internal to http/: the Boost.Asio/Beast names and executor-bound I/O types shared by
// server.cc and client.cc (each I/O object is bound to one io_context's executor, so no
// polymorphic executor is paid for on the hot path). Include only from http/*.cc.
// Thread-safety: type aliases and a pure function.
#pragma once

#include <chrono>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace pnode::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Timer = asio::basic_waitable_timer<Clock, asio::wait_traits<Clock>, Executor>;

// True when Beast's HTTP parser rejected the bytes (every parse error shares one category).
inline bool is_http_parse_error(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

}  // namespace pnode::http::detail
