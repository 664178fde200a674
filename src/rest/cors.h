// Cors: the reference's CORS policy (Starlette's CORSMiddleware with allow_credentials and
// every method and header allowed; docs/reference-compat.md §1.1), with one deliberate fix: an
// origin pattern "scheme://*.suffix" is a real wildcard that matches any host under that
// suffix ("https://app.vercel.app"), where Starlette compared it literally and matched
// nothing. "*" alone allows every origin (echoed back, since credentials are allowed).
// Thread-safety: immutable after construction; share freely.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace pnode::rest {

// The reference's list: four localhost dev servers, Vercel and GitHub Codespaces.
std::vector<std::string> default_cors_origins();

class Cors {
 public:
  explicit Cors(std::vector<std::string> allowed_origins = default_cors_origins(), bool allow_credentials = true);

  bool is_allowed_origin(std::string_view origin) const;

  // OPTIONS with both Origin and Access-Control-Request-Method.
  static bool is_preflight(const http::Request& request);

  // The whole answer to a preflight: 200 "OK" with the allow headers, or 400
  // "Disallowed CORS origin" (or "... method") with the same headers minus the origin.
  http::Response preflight(const http::Request& request) const;

  // Adds the CORS headers of an actual (non-preflight) response. Requests without an
  // Origin header are left untouched.
  void decorate(const http::Request& request, http::Response& response) const;

 private:
  struct Wildcard {
    std::string prefix;  // "https://"
    std::string suffix;  // ".vercel.app"
  };

  std::vector<std::string> exact_;
  std::vector<Wildcard> wildcards_;
  bool allow_all_ = false;
  bool allow_credentials_;
};

}  // namespace pnode::rest
