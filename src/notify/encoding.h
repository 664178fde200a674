// Byte encodings the channels need: Base64 (RFC 4648, standard alphabet, padded), SHA-256
// and HMAC-SHA256 over OpenSSL, and RFC 3339 / RFC 5322 dates.
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace pnode::notify {

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not padded standard Base64.
std::optional<std::string> base64_decode(std::string_view text);

std::string sha256_hex(std::string_view bytes);  // lower-case hex
std::string hmac_sha256(std::string_view key, std::string_view message);  // the 32 raw bytes

// "2026-12-05T16:43:00Z" (UTC, whole seconds); "0001-01-01T00:00:00Z" for the epoch's
// zero value, as Alertmanager writes an unset time.
std::string rfc3339(std::chrono::system_clock::time_point time);
// "Sat, 05 Dec 2026 16:43:00 +0000", the Date header of an e-mail (RFC 5322 3.3).
std::string rfc5322_date(std::chrono::system_clock::time_point time);

}  // namespace pnode::notify
