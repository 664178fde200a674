#include "rest/cors.h"

#include <algorithm>
#include <array>

namespace pnode::rest {
namespace {

// Starlette's allow_methods=["*"] expands to these, and a preflight for anything else
// is refused.
constexpr std::array<std::string_view, 7> kAllMethods = {"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"};
constexpr std::string_view kAllMethodsHeader = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT";
// What an origin allowed only by a wildcard (or "*") may preflight: reads.
constexpr std::array<std::string_view, 3> kSafeMethods = {"GET", "HEAD", "OPTIONS"};
constexpr std::string_view kSafeMethodsHeader = "GET, HEAD, OPTIONS";

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// What may stand for the '*' of a wildcard origin: one or more DNS labels, nothing that
// could smuggle a path, a port or user info into the match.
bool is_host_labels(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

}  // namespace

std::vector<std::string> default_cors_origins() {
  return {"http://localhost:3000", "http://localhost:3001", "http://localhost:8000", "http://localhost:8080"};
}

Cors::Cors(std::vector<std::string> allowed_origins, bool allow_credentials) : allow_credentials_(allow_credentials) {
  for (std::string& origin : allowed_origins) {
    if (origin == "*") {
      allow_all_ = true;
      continue;
    }
    size_t star = origin.find("://*.");
    if (star != std::string::npos) {
      wildcards_.push_back(Wildcard{origin.substr(0, star + 3), origin.substr(star + 4)});
    } else {
      exact_.push_back(std::move(origin));
    }
  }
}

bool Cors::is_exact_origin(std::string_view origin) const {
  return std::find(exact_.begin(), exact_.end(), origin) != exact_.end();
}

bool Cors::is_allowed_origin(std::string_view origin) const {
  if (allow_all_ || is_exact_origin(origin)) return true;
  for (const Wildcard& w : wildcards_) {
    if (origin.size() <= w.prefix.size() + w.suffix.size()) continue;
    if (!origin.starts_with(w.prefix) || !origin.ends_with(w.suffix)) continue;
    std::string_view labels = origin.substr(w.prefix.size(), origin.size() - w.prefix.size() - w.suffix.size());
    if (is_host_labels(labels)) return true;
  }
  return false;
}

bool Cors::is_preflight(const http::Request& request) {
  return request.method == "OPTIONS" && !request.header("origin").empty() &&
         !request.header("access-control-request-method").empty();
}

http::Response Cors::preflight(const http::Request& request) const {
  std::string_view origin = request.header("origin");
  std::string_view method = request.header("access-control-request-method");
  std::string_view requested_headers = request.header("access-control-request-headers");

  const bool exact = is_exact_origin(origin);
  http::Headers headers;
  headers.emplace_back("vary", "Origin");
  headers.emplace_back("access-control-allow-methods", std::string(exact ? kAllMethodsHeader : kSafeMethodsHeader));
  headers.emplace_back("access-control-max-age", "600");
  if (allow_credentials_ && exact) headers.emplace_back("access-control-allow-credentials", "true");

  std::string failures;
  if (is_allowed_origin(origin)) {
    headers.emplace_back("access-control-allow-origin", std::string(origin));
  } else {
    failures = "origin";
  }
  if (!(exact ? contains(kAllMethods, method) : contains(kSafeMethods, method)))
    failures += failures.empty() ? "method" : ", method";
  // Every header is allowed, so the requested ones are mirrored back.
  if (!requested_headers.empty()) headers.emplace_back("access-control-allow-headers", std::string(requested_headers));

  http::Response r = failures.empty() ? http::Response::text(200, "OK")
                                      : http::Response::text(400, "Disallowed CORS " + failures);
  r.headers = std::move(headers);
  return r;
}

void Cors::decorate(const http::Request& request, http::Response& response) const {
  std::string_view origin = request.header("origin");
  if (origin.empty()) return;
  if (allow_credentials_ && is_exact_origin(origin))
    response.headers.emplace_back("access-control-allow-credentials", "true");
  if (is_allowed_origin(origin)) {
    response.headers.emplace_back("access-control-allow-origin", std::string(origin));
    response.headers.emplace_back("vary", "Origin");
  }
}

}  // namespace pnode::rest
