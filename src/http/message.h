// Plain HTTP request/response values shared by the server, the client and their users.
// Nothing here includes Boost.Beast, so api/ and sim/ compile fast.
// Thread-safety: plain values. A response body is a shared_ptr to an immutable string so
// cached, pre-serialised bodies can be sent by many connections without copying.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pnode::http {

class EventStreamMailbox;  // http/event_stream.h

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; empty when absent.
std::string_view find_header(const Headers& headers, std::string_view name);

struct Request {
  std::string method;   // "GET", "POST", ...
  std::string target;   // path plus query string, as received (still percent-encoded)
  Headers headers;
  std::string body;
  std::string local_address;  // the listening address and port that accepted the connection
  unsigned short local_port = 0;
  std::string remote_address;
  unsigned short remote_port = 0;  // with remote_address, identifies the client's connection

  std::string_view header(std::string_view name) const { return find_header(headers, name); }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::shared_ptr<const std::string> body;  // null means an empty body
  Headers headers;                          // extra headers (CORS, Allow, ETag, ...)

  // Fault injection for the simulator: wait this long before answering (the server keeps
  // serving other connections meanwhile), or close the connection without answering.
  std::chrono::milliseconds delay{0};
  bool drop_connection = false;

  // A Server-Sent Events answer (http/event_stream.h): the head and `body` are written
  // without a length, then the connection stays open for the mailbox's frames. Only on a
  // 200 answer to GET; the connection is not reused afterwards.
  std::shared_ptr<EventStreamMailbox> event_stream;

  static Response json(int status, std::string body);
  static Response text(int status, std::string body);
};

// `body` wrapped so that on_release runs when the server lets go of it: after the
// answer was written, or with its connection (a delayed answer included). Lets a handler
// count the requests whose answers are still pending. on_release must be thread-safe.
std::shared_ptr<const std::string> body_with_release(std::shared_ptr<const std::string> body,
                                                     std::function<void()> on_release);

// A handler runs on a server I/O thread; it must not block for long.
using Handler = std::function<Response(const Request&)>;

}  // namespace pnode::http
