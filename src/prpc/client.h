// PrpcClient: the four pRPC calls against one node (POST http://host:port/rpc), with the
// fallback from get-pods-with-stats to get-pods when a node older than v0.7 answers
// -32601. Transport failures, HTTP errors and parse errors all come back as Error values
// (codes: the http::Client codes, kHttpStatus with Error::http_status set, plus those of
// parse.h), with Error::where set to "host:port method".
// The request is sent when a call is made; the returned future is deferred: get() or
// wait() parses on the calling thread (never on an I/O thread), and wait_for() reports
// std::future_status::deferred. Error messages start with "host:port method: ".
// Thread-safety: safe to use from many threads; it shares the given http::Client.
#pragma once

#include <chrono>
#include <future>
#include <string>

#include "http/client.h"
#include "prpc/types.h"
#include "util/loopback.h"
#include "util/result.h"

namespace pnode::prpc {

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds total_timeout{8000};
  size_t max_response_bytes = 64u << 20;
};

// The pods of one node with how they were obtained.
struct PodsAnswer {
  PodList list;
  bool used_fallback = false;  // true when get-pods answered because get-pods-with-stats was unknown
};

// A point after which no call may still be running: each call's timeouts are cut to
// what is left of it (a call started after it fails at once with a timeout).
using Deadline = std::chrono::steady_clock::time_point;
inline constexpr Deadline kNoDeadline = Deadline::max();

class Client {
 public:
  Client(http::Client& http, ClientOptions options) : http_(http), options_(options) {}

  std::future<Result<VersionInfo>> get_version(const HostPort& node, Deadline deadline = kNoDeadline);
  std::future<Result<NodeStats>> get_stats(const HostPort& node, Deadline deadline = kNoDeadline);
  std::future<Result<PodList>> get_pods(const HostPort& node, Deadline deadline = kNoDeadline);
  std::future<Result<PodList>> get_pods_with_stats(const HostPort& node, Deadline deadline = kNoDeadline);
  // get-pods-with-stats, falling back to get-pods on -32601. Blocks the calling thread
  // for at most two total timeouts (and never past `deadline`); call it from a worker,
  // not an I/O thread.
  Result<PodsAnswer> get_pods_best(const HostPort& node, Deadline deadline = kNoDeadline);
  // Cancels every call in flight (kCancelled at once) and refuses later ones: for a
  // prompt shutdown while a node hangs. Callable from any thread.
  void shutdown() { http_.shutdown(); }

 private:
  std::future<Result<http::ClientResponse>> call(const HostPort& node, std::string_view method, Deadline deadline);

  http::Client& http_;
  ClientOptions options_;
};

}  // namespace pnode::prpc
