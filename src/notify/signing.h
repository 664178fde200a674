// Standard Webhooks signing (www.standardwebhooks.com): a webhook carries three headers,
// webhook-id (the message's idempotency key), webhook-timestamp (Unix seconds) and
// webhook-signature = "v1," + Base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)),
// where the shared secret is written "whsec_" + Base64(key).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace pnode::notify {

// The key bytes of a "whsec_..." secret (the prefix is optional); an error when the rest
// is not Base64 or decodes to nothing.
Result<std::string> parse_webhook_secret(std::string_view secret);

// "v1,<base64 signature>" of the message.
std::string webhook_signature(std::string_view key, std::string_view id, int64_t timestamp, std::string_view body);

// True when `signature_header` (space-separated "v1,..." entries, as a receiver gets it)
// holds a valid signature of the message.
bool verify_webhook_signature(std::string_view key, std::string_view id, int64_t timestamp, std::string_view body,
                              std::string_view signature_header);

}  // namespace pnode::notify
