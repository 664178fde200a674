#include "rest/router.h"

#include <stdexcept>

namespace pnode::rest {
namespace {

void add_unique(std::vector<std::string_view>& list, std::string_view item) {
  for (std::string_view existing : list)
    if (existing == item) return;
  list.push_back(item);
}

std::string join(const std::vector<std::string_view>& items, std::string_view separator) {
  std::string out;
  for (std::string_view item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace

RouterErrors plain_router_errors() {
  RouterErrors e;
  e.not_found = [] { return http::Response::text(404, "Not Found"); };
  e.method_not_allowed = [](std::string_view allow) {
    http::Response r = http::Response::text(405, "Method Not Allowed");
    r.headers.emplace_back("allow", std::string(allow));
    return r;
  };
  e.invalid_query = [](const std::vector<ValidationIssue>& issues) {
    std::string body;
    for (const ValidationIssue& i : issues) body += i.param + ": " + i.msg + "\n";
    return http::Response::text(422, std::move(body));
  };
  return e;
}

const std::string& RouteRequest::path_param(std::string_view name) const {
  for (const auto& [n, v] : path_params)
    if (n == name) return v;
  throw std::invalid_argument("route has no path parameter " + std::string(name));
}

bool Router::method_allows(const Route& route, std::string_view method) {
  return method == route.method || (method == "HEAD" && route.method == "GET");
}

void Router::add(std::string method, std::string pattern, QuerySchema query, RouteHandler handler) {
  PathPattern path(pattern);
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(path), std::move(query), std::move(handler)});
}

std::vector<Router::RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const Route& route : routes_) out.push_back(RouteInfo{route.method, route.pattern, &route.query});
  return out;
}

std::pair<std::string_view, std::string_view> Router::split_target(std::string_view target) {
  if (!target.empty() && target.front() != '/') {
    // Absolute form: drop "scheme://authority".
    size_t scheme = target.find("://");
    if (scheme != std::string_view::npos) {
      size_t slash = target.find_first_of("/?", scheme + 3);
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
      if (!target.empty() && target.front() == '?') return {"/", target.substr(1)};
    }
  }
  if (size_t hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

bool Router::any_route_matches(std::string_view path) const {
  for (const Route& route : routes_)
    if (route.path.matches(path)) return true;
  return false;
}

std::string Router::decoded_path(std::string_view target) {
  std::string path = percent_decode(split_target(target).first);
  if (path.empty()) path = "/";
  return path;
}

std::string_view Router::route_pattern(std::string_view target) const {
  std::string path = decoded_path(target);
  for (const Route& route : routes_)
    if (route.path.matches(path)) return route.pattern;
  return {};
}

http::Response Router::dispatch(const http::Request& request, std::string_view* matched_pattern) const {
  auto raw_query = split_target(request.target).second;
  std::string path = decoded_path(request.target);

  Captures captures;
  std::vector<std::string_view> allowed;  // methods of the routes whose path matched (for a 405)
  for (const Route& route : routes_) {
    captures.clear();
    if (!route.path.match(path, captures)) continue;
    if (matched_pattern && (allowed.empty() || method_allows(route, request.method))) *matched_pattern = route.pattern;
    if (method_allows(route, request.method)) {
      Params params;
      std::vector<ValidationIssue> issues = route.query.parse(parse_query_string(raw_query), params);
      if (!issues.empty()) return errors_.invalid_query(issues);
      return route.handler(RouteRequest{request, path, raw_query, captures, params});
    }
    add_unique(allowed, route.method);
    if (route.method == "GET") add_unique(allowed, "HEAD");
  }
  if (!allowed.empty()) return errors_.method_not_allowed(join(allowed, ", "));

  if (path != "/") {
    std::string toggled = path.back() == '/' ? path.substr(0, path.size() - 1) : path + "/";
    if (any_route_matches(toggled)) {
      std::string location = encode_path_for_location(toggled);
      if (!raw_query.empty()) location += "?" + std::string(raw_query);
      http::Response r;  // like Starlette's RedirectResponse: no body, no content type
      r.status = 307;
      r.content_type.clear();
      r.headers.emplace_back("location", std::move(location));
      return r;
    }
  }
  return errors_.not_found();
}

}  // namespace pnode::rest
