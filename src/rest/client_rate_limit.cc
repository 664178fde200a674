#include "rest/client_rate_limit.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <fstream>

#include "util/loopback.h"
#include "util/strings.h"

namespace pnode::rest {
namespace {

bool is_sha256_hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::optional<double> parse_positive(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !(value > 0)) return std::nullopt;
  return value;
}

}  // namespace

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

Result<ApiKey> parse_api_key(std::string_view entry, RateLimit default_limit) {
  entry = trim(entry);
  ApiKey key{std::string(), default_limit};
  const size_t colon = entry.find(':');
  std::string_view hash = entry.substr(0, colon);
  if (!is_sha256_hex(hash))
    return make_error(ErrorCode::kConfig, "an API key entry must start with the key's SHA-256 as 64 hex digits");
  key.sha256_hex = ascii_lower(hash);
  if (colon == std::string_view::npos) return key;
  std::string_view rest = entry.substr(colon + 1);
  const size_t second = rest.find(':');
  auto rate = parse_positive(rest.substr(0, second));
  if (!rate) return make_error(ErrorCode::kConfig, "an API key's rate (after the hash) must be a positive number");
  key.limit.per_second = *rate;
  if (second == std::string_view::npos) return key;
  auto burst = parse_positive(rest.substr(second + 1));
  if (!burst) return make_error(ErrorCode::kConfig, "an API key's burst (after its rate) must be a positive number");
  key.limit.burst = *burst;
  return key;
}

Result<std::vector<ApiKey>> read_api_keys_file(const std::string& path, RateLimit default_limit) {
  std::ifstream in(path);
  if (!in) return make_error(ErrorCode::kConfig, "cannot read the API keys file " + path);
  std::vector<ApiKey> keys;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::string_view content = trim(std::string_view(line).substr(0, line.find('#')));
    if (content.empty()) continue;
    auto key = parse_api_key(content, default_limit);
    if (!key.ok()) return make_error(ErrorCode::kConfig, path + ":" + std::to_string(number) + ": " + key.error().message);
    keys.push_back(std::move(*key));
  }
  return keys;
}

http::Response too_many_requests(std::chrono::seconds retry_after) {
  http::Response r = http::Response::json(429, R"({"detail":"Too Many Requests"})");
  r.headers.emplace_back("retry-after", std::to_string(retry_after.count()));
  return r;
}

ClientRateLimit::ClientRateLimit(ClientRateLimitConfig config)
    : config_(std::move(config)), limiter_(config_.max_clients) {
  for (const ApiKey& key : config_.api_keys) key_limits_[key.sha256_hex] = key.limit;
}

std::optional<http::Response> ClientRateLimit::check(const http::Request& request, Clock::time_point now) {
  if (!config_.limit_loopback && is_loopback_host(request.remote_address)) return std::nullopt;
  std::string bucket = "ip:" + request.remote_address;
  const RateLimit* limit = &config_.per_client;
  if (std::string_view presented = request.header("x-api-key"); !presented.empty() && !key_limits_.empty()) {
    std::string hash = sha256_hex(presented);
    if (auto known = key_limits_.find(hash); known != key_limits_.end()) {
      bucket = "key:" + hash;
      limit = &known->second;
    }
  }
  auto decision = limiter_.take(bucket, *limit, now);
  if (decision.allowed) return std::nullopt;
  return too_many_requests(decision.retry_after);
}

}  // namespace pnode::rest
