// HttpClient: asynchronous HTTP/1.1 POST/GET with a connect timeout, a total timeout
// and a response-size cap. Every failure comes back as an Error value (codes: kRefused,
// kConnectTimeout, kTimeout, kTooLarge, kProtocol, kResolve; and kCancelled for requests
// still in flight when the Client is destroyed), never as an exception or a stalled
// caller; its where is "host:port", which also starts its message. Non-2xx statuses are
// not errors here. One new connection per request (Connection: close).
// Thread-safety: one Client may be used from many threads at once; it owns its I/O
// threads. Futures complete on those threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <string>

#include "http/message.h"
#include "util/result.h"

namespace pnode::http {

struct ClientRequest {
  std::string host;
  uint16_t port = 80;
  std::string method = "POST";
  std::string target = "/";
  std::string body;
  std::string content_type = "application/json";
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds total_timeout{8000};
  size_t max_response_bytes = 64u << 20;
};

struct ClientResponse {
  int status = 0;
  std::string content_type;
  std::string body;  // with room for kBodyTailRoom more (http/padded_body.h) when its length was announced
  std::chrono::microseconds elapsed{0};
  std::chrono::microseconds connect_elapsed{0};  // until the TCP connection was up
};

class Client {
 public:
  explicit Client(int threads = 1);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  std::future<Result<ClientResponse>> send(ClientRequest request);
  // Cancels every request in flight (their futures complete with kCancelled within a
  // moment, without waiting for their timeouts) and refuses later ones the same way.
  // For a prompt process shutdown; callable from any thread, idempotent.
  void shutdown();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pnode::http
