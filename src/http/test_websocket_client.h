// Test-only: a Beast WebSocket client on 127.0.0.1 whose every operation gives up after a
// few seconds, for the http tests and the end-to-end tests of the dashboard's live feed.
// Thread-safety: one object per thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdint>
#include <string>

namespace pnode::http::testing {

class WebSocketClient {
 public:
  boost::beast::error_code connect(uint16_t port, const std::string& path = "/ws") {
    boost::beast::error_code result = boost::asio::error::timed_out;
    boost::beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(3));
    boost::beast::get_lowest_layer(ws_).async_connect(
        boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), [&](boost::beast::error_code ec) {
          if (ec) {
            result = ec;
            return;
          }
          ws_.async_handshake("127.0.0.1", path, [&](boost::beast::error_code ec) { result = ec; });
        });
    run();
    return result;
  }

  // The next text message, or the error that ended the connection.
  // A timeout ends the connection (Beast closes the stream when its timer fires).
  std::string read(boost::beast::error_code* error = nullptr,
                   std::chrono::milliseconds limit = std::chrono::seconds(3)) {
    boost::beast::flat_buffer buffer;
    boost::beast::error_code result = boost::asio::error::timed_out;
    boost::beast::get_lowest_layer(ws_).expires_after(limit);
    ws_.async_read(buffer, [&](boost::beast::error_code ec, size_t) { result = ec; });
    run();
    if (error) *error = result;
    return result ? std::string() : boost::beast::buffers_to_string(buffer.data());
  }

  boost::beast::error_code close() {
    boost::beast::error_code result = boost::asio::error::timed_out;
    boost::beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(3));
    ws_.async_close(boost::beast::websocket::close_code::normal, [&](boost::beast::error_code ec) { result = ec; });
    run();
    return result;
  }

 private:
  void run() {
    ioc_.restart();
    ioc_.run();
  }

  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_{ioc_};
};

}  // namespace pnode::http::testing
