#include "notify/signing.h"

#include <openssl/crypto.h>

#include "notify/encoding.h"

namespace pnode::notify {

Result<std::string> parse_webhook_secret(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  if (secret.starts_with(kPrefix)) secret.remove_prefix(kPrefix.size());
  auto key = base64_decode(secret);
  if (!key || key->empty()) {
    return make_error(ErrorCode::kConfig, "a webhook secret is \"whsec_\" followed by a Base64 key");
  }
  return std::move(*key);
}

std::string webhook_signature(std::string_view key, std::string_view id, int64_t timestamp, std::string_view body) {
  std::string signed_content;
  signed_content.reserve(id.size() + body.size() + 24);
  signed_content.append(id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  return "v1," + base64_encode(hmac_sha256(key, signed_content));
}

bool verify_webhook_signature(std::string_view key, std::string_view id, int64_t timestamp, std::string_view body,
                              std::string_view signature_header) {
  const std::string expected = webhook_signature(key, id, timestamp, body);
  while (!signature_header.empty()) {
    const size_t space = signature_header.find(' ');
    const std::string_view candidate = signature_header.substr(0, space);
    // Constant time, so a receiver built on this leaks nothing through timing.
    if (candidate.size() == expected.size() && CRYPTO_memcmp(candidate.data(), expected.data(), expected.size()) == 0) {
      return true;
    }
    if (space == std::string_view::npos) break;
    signature_header.remove_prefix(space + 1);
  }
  return false;
}

}  // namespace pnode::notify
