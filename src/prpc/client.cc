// The pRPC client: one HTTP POST per call, then parse.h. See client.h.
#include "prpc/client.h"

#include <algorithm>
#include <utility>

#include "prpc/parse.h"

namespace pnode::prpc {
namespace {

// `e` from the HTTP client or the parser, told where it happened: `where` ("host:port
// method") in Error::where and at the start of the message.
Error located(Error e, const std::string& where) {
  e.message = where + ": " + e.message;
  e.where = where;
  return e;
}

// Runs `parse` on a successful HTTP answer once `pending` is ready, mapping every failure
// to an Error that names the node and the method.
template <class T, class Parse>
std::future<Result<T>> then_parse(std::future<Result<http::ClientResponse>> pending, std::string where,
                                  Parse parse) {
  // Deferred: the parse runs on the thread that calls get(), never on an I/O thread.
  return std::async(std::launch::deferred, [pending = std::move(pending), where = std::move(where),
                                            parse]() mutable -> Result<T> {
    Result<http::ClientResponse> answer = pending.get();
    if (!answer.ok()) return located(answer.error(), where);
    if (answer->status != 200) {
      return located(
          make_error(ErrorCode::kHttpStatus, "HTTP " + std::to_string(answer->status)).with_http_status(answer->status),
          where);
    }
    Result<T> parsed = parse(answer->body);
    if (!parsed.ok()) return located(parsed.error(), where);
    return parsed;
  });
}

std::string where(const HostPort& node, std::string_view method) {
  return node.to_string() + " " + std::string(method);
}

// `limit`, cut to what is left before `deadline` (at least 1 ms, so the HTTP client
// reports the expiry as a timeout of its own).
std::chrono::milliseconds within(std::chrono::milliseconds limit, Deadline deadline) {
  if (deadline == kNoDeadline) return limit;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return std::clamp(left, std::chrono::milliseconds(1), limit);
}

}  // namespace

std::future<Result<http::ClientResponse>> Client::call(const HostPort& node, std::string_view method,
                                                      Deadline deadline) {
  http::ClientRequest request;
  request.host = node.host;
  request.port = node.port;
  request.method = "POST";
  request.target = "/rpc";
  request.body = std::string(R"({"jsonrpc":"2.0","method":")") + std::string(method) + R"(","id":1})";
  request.connect_timeout = within(options_.connect_timeout, deadline);
  request.total_timeout = within(options_.total_timeout, deadline);
  request.max_response_bytes = options_.max_response_bytes;
  return http_.send(std::move(request));
}

std::future<Result<VersionInfo>> Client::get_version(const HostPort& node, Deadline deadline) {
  return then_parse<VersionInfo>(call(node, "get-version", deadline), where(node, "get-version"), parse_get_version);
}

std::future<Result<NodeStats>> Client::get_stats(const HostPort& node, Deadline deadline) {
  return then_parse<NodeStats>(call(node, "get-stats", deadline), where(node, "get-stats"), parse_get_stats);
}

std::future<Result<PodList>> Client::get_pods(const HostPort& node, Deadline deadline) {
  return then_parse<PodList>(call(node, "get-pods", deadline), where(node, "get-pods"), parse_pods_in_place);
}

std::future<Result<PodList>> Client::get_pods_with_stats(const HostPort& node, Deadline deadline) {
  return then_parse<PodList>(call(node, "get-pods-with-stats", deadline), where(node, "get-pods-with-stats"), parse_pods_in_place);
}

Result<PodsAnswer> Client::get_pods_best(const HostPort& node, Deadline deadline) {
  Result<PodList> with_stats = get_pods_with_stats(node, deadline).get();
  if (with_stats.ok()) return PodsAnswer{std::move(with_stats).value(), false};
  if (!is_method_not_found(with_stats.error())) return with_stats.error();
  Result<PodList> plain = get_pods(node, deadline).get();
  if (!plain.ok()) return plain.error();
  return PodsAnswer{std::move(plain).value(), true};
}

}  // namespace pnode::prpc
