// Router: maps (method, path) to a route handler the way Starlette's router does (the
// reference's; docs/reference-compat.md §1.0, §1.1), so clients observe the same statuses:
//   - the path is percent-decoded before matching ("1.2.3.4%3A9001" == "1.2.3.4:9001");
//   - patterns are literal text with parameters "{name}" (one non-empty segment) or
//     "{name:path}" (anything, including '/' and the empty string);
//   - routes are tried in registration order and the first full match wins; each pattern
//     is matched in time linear in the path length (rest/path_pattern.h), so a long
//     hostile path costs one pass per route, never a backtracking search;
//   - a path that matches only with another method answers 405 with an Allow header;
//   - a path that matches nothing is retried with its trailing slash toggled, and if that
//     would match, answers 307 to the toggled URL (query string kept); otherwise 404;
//   - a route's query parameters are validated by its QuerySchema before the handler
//     runs: invalid parameters answer 422 and the handler never sees them.
// The bodies of the router's own 404, 405 and 422 answers come from a RouterErrors given
// at construction (plain text by default), so a service can answer in its own shapes.
// Deliberate improvement over the reference: GET routes also answer HEAD (the handler
// runs as for GET; the server drops the body), where FastAPI answers 405.
// Thread-safety: register every route before serving; dispatch() is const and may then
// run concurrently on any number of threads.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"
#include "rest/path_pattern.h"
#include "rest/query.h"

namespace pnode::rest {

// What a handler receives: the raw request, the decoded path and its parameters, and the
// validated query.
struct RouteRequest {
  const http::Request& http;
  std::string_view path;       // percent-decoded
  std::string_view raw_query;  // after '?', still encoded ("" when none)
  const std::vector<std::pair<std::string, std::string>>& path_params;
  const Params& query;

  // The decoded value of a path parameter declared in the route pattern.
  const std::string& path_param(std::string_view name) const;
};

using RouteHandler = std::function<http::Response(const RouteRequest&)>;

// The answers the router gives without running a handler. The router sets no status or
// header itself beyond what these return (the 405 responder adds the Allow header).
struct RouterErrors {
  std::function<http::Response()> not_found;                                         // 404
  std::function<http::Response(std::string_view allow)> method_not_allowed;          // 405; allow: "GET, HEAD"
  std::function<http::Response(const std::vector<ValidationIssue>&)> invalid_query;  // 422
};

// Plain-text 404 "Not Found", 405 "Method Not Allowed" (with Allow) and 422 with one
// "<param>: <msg>" line per issue.
RouterErrors plain_router_errors();

class Router {
 public:
  explicit Router(RouterErrors errors = plain_router_errors()) : errors_(std::move(errors)) {}

  // Registers a route. GET routes also answer HEAD. Throws std::invalid_argument on a
  // malformed pattern (a programming error, caught at start-up).
  void add(std::string method, std::string pattern, QuerySchema query, RouteHandler handler);
  void get(std::string pattern, QuerySchema query, RouteHandler handler) {
    add("GET", std::move(pattern), std::move(query), std::move(handler));
  }
  void get(std::string pattern, RouteHandler handler) { get(std::move(pattern), {}, std::move(handler)); }

  // `matched_pattern`, when given, receives the pattern of the route whose path matched
  // (the one that answered, or for a 405 the first one whose path fits) and stays
  // unchanged when none did (404, 307): a bounded label for metrics.
  http::Response dispatch(const http::Request& request, std::string_view* matched_pattern = nullptr) const;

  // The pattern of the first route whose path matches the target's, whatever its method;
  // "" when none does. For requests answered without dispatch() (CORS preflights).
  std::string_view route_pattern(std::string_view target) const;

  // A registered route, for documentation (the OpenAPI document is built from these, so
  // it lists exactly what is served). Valid while the Router lives.
  struct RouteInfo {
    std::string_view method;
    std::string_view pattern;  // as registered: "/node/{address:path}/history"
    const QuerySchema* query;
  };
  std::vector<RouteInfo> routes() const;

  // Splits a request target into (path, query) without decoding. Accepts origin form
  // ("/a?b") and absolute form ("http://host/a?b").
  static std::pair<std::string_view, std::string_view> split_target(std::string_view target);

 private:
  struct Route {
    std::string method;
    std::string pattern;
    PathPattern path;
    QuerySchema query;
    RouteHandler handler;
  };
  using Captures = PathPattern::Captures;

  static std::string decoded_path(std::string_view target);  // percent-decoded, "/" when empty
  static bool method_allows(const Route& route, std::string_view method);
  bool any_route_matches(std::string_view path) const;

  RouterErrors errors_;
  std::vector<Route> routes_;
};

}  // namespace pnode::rest
