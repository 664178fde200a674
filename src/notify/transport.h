// The two transports of the channels, over libcurl: an HTTP(S) POST (and a GET, which the
// pod-credits poller uses) and an SMTP submission. Both are bounded against a slow or
// hostile receiver: connect and total timeouts, and a cap on what is read back (the
// answer's body and headers over HTTP); redirects are never followed and only the schemes of the channel (http/https,
// smtp/smtps) are allowed. Errors carry the project's codes (refused, connect_timeout,
// timeout, resolve, too_large, protocol, config).
// Thread-safety: the functions may be called from several threads at once (each call
// has its own curl handle; libcurl's global setup runs once).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "util/result.h"

namespace pnode::notify {

struct HttpLimits {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{15000};
  size_t max_response_body = 64 * 1024;     // a longer answer fails as too_large
  size_t max_response_headers = 16 * 1024;  // so do longer headers
};

struct HttpAnswer {
  int status = 0;
  std::string body;         // at most HttpLimits::max_response_body bytes
  std::string retry_after;  // the Retry-After header, empty when absent
};

// POSTs `body` with `headers` ("Name: value" lines) to `url` (http:// or https://).
Result<HttpAnswer> http_post(const std::string& url, const std::vector<std::string>& headers, const std::string& body,
                             const HttpLimits& limits);
// GETs `url` with the same bounds (the pod-credits sources are read with it).
Result<HttpAnswer> http_get(const std::string& url, const std::vector<std::string>& headers,
                            const HttpLimits& limits);

struct SmtpSettings {
  std::string url;  // smtp://host:port (plain or STARTTLS) or smtps://host:port (TLS from the start)
  bool starttls = false;  // smtp:// only: require STARTTLS, fail when the server does not offer it
  std::string username;   // empty: no AUTH
  std::string password;
  std::string ca_file;    // empty: the system's CA store
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{30000};
};

// The SMTP outcome: `reply` is the server's last reply code (250 when accepted), or 0
// when none came. A refusal (4xx/5xx) is an answer, not an Error; an Error means no
// answer (network, timeout, TLS) or a bad setting.
struct SmtpAnswer {
  int reply = 0;
  std::string detail;  // libcurl's message for a refusal
};
Result<SmtpAnswer> smtp_send(const SmtpSettings& settings, const std::string& from, const std::vector<std::string>& to,
                             const std::string& message);

}  // namespace pnode::notify
