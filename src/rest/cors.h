// Cors: the reference's CORS policy (Starlette's CORSMiddleware with allow_credentials and
// every method and header allowed; docs/reference-compat.md §1.1), with these fixes:
//   - an origin pattern "scheme://*.suffix" is a real wildcard that matches any host under
//     that suffix ("https://app.vercel.app"), where Starlette compared it literally and
//     matched nothing; "*" alone allows every origin;
//   - credentials (Access-Control-Allow-Credentials) only ever go to an origin listed
//     exactly, never to one allowed by a wildcard or "*": any page on a shared hosting
//     suffix could otherwise send the user's credentials;
//   - a preflight for a method other than GET, HEAD or OPTIONS (DELETE /prune, any write)
//     is refused unless the origin is listed exactly, so destructive routes cannot be
//     called from pages that only match a wildcard;
//   - the default list is the four localhost dev servers only (the reference also had
//     https://*.vercel.app and https://*.github.dev, i.e. anybody's page there).
// Thread-safety: immutable after construction; share freely.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace pnode::rest {

// The four localhost dev servers of the reference's list (its Vercel and GitHub Codespaces
// wildcards are left out: add the dashboard's exact origin instead).
std::vector<std::string> default_cors_origins();

class Cors {
 public:
  // allow_credentials: whether exact origins get Access-Control-Allow-Credentials.
  explicit Cors(std::vector<std::string> allowed_origins = default_cors_origins(), bool allow_credentials = true);

  bool is_allowed_origin(std::string_view origin) const;
  // Listed exactly (not through a wildcard or "*"): may get credentials and write methods.
  bool is_exact_origin(std::string_view origin) const;

  // OPTIONS with both Origin and Access-Control-Request-Method.
  static bool is_preflight(const http::Request& request);

  // The whole answer to a preflight: 200 "OK" with the allow headers, or 400
  // "Disallowed CORS origin" (or "... method") with the same headers minus the origin.
  // Origins allowed only by a wildcard are offered the safe methods alone.
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
