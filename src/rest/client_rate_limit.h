// ClientRateLimit: the per-client request limit of the API (issue 10). Each client IP has
// a token bucket (rest/rate_limiter.h); a request presenting a known API key in the
// "X-API-Key" header uses its key's bucket and limit instead. Keys are configured by
// their SHA-256 (hex) only, never in clear, each with its own limit. A refused request
// gets 429 with Retry-After. Loopback clients (the dashboard on the same host, tests,
// the operator's curl) are not limited unless limit_loopback is set. An unknown key is
// ignored: the request counts against its IP like any other.
// Thread-safety: check() may be called concurrently from every server thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/message.h"
#include "rest/rate_limiter.h"
#include "util/result.h"

namespace pnode::rest {

// Lower-case hex SHA-256 of `text` (OpenSSL).
std::string sha256_hex(std::string_view text);

struct ApiKey {
  std::string sha256_hex;  // 64 lower-case hex digits
  RateLimit limit;
};

// One configured key: "<sha256 hex>[:<per second>[:<burst>]]"; rate and burst default
// to `default_limit`'s. Errors name the entry's problem, never the entry itself.
Result<ApiKey> parse_api_key(std::string_view entry, RateLimit default_limit);
// A file of such entries, one per line; blank lines and '#' comments are skipped.
Result<std::vector<ApiKey>> read_api_keys_file(const std::string& path, RateLimit default_limit);

struct ClientRateLimitConfig {
  RateLimit per_client{20, 100};  // per IP; unlimited when per_second <= 0
  bool limit_loopback = false;
  size_t max_clients = 10000;      // buckets tracked at once (least recently used evicted)
  std::vector<ApiKey> api_keys;
};

class ClientRateLimit {
 public:
  using Clock = RateLimiter::Clock;

  explicit ClientRateLimit(ClientRateLimitConfig config);

  // The 429 answer when `request` is over its limit; nullopt to let it through.
  std::optional<http::Response> check(const http::Request& request, Clock::time_point now = Clock::now());

  size_t tracked_clients() const { return limiter_.tracked(); }

 private:
  const ClientRateLimitConfig config_;
  std::unordered_map<std::string, RateLimit> key_limits_;  // by hash
  RateLimiter limiter_;
};

// 429 {"detail":"Too Many Requests"} with Retry-After in whole seconds.
http::Response too_many_requests(std::chrono::seconds retry_after);

}  // namespace pnode::rest
