#include "notify/transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <string_view>

#include "util/strings.h"

namespace pnode::notify {
namespace {

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using CurlList = std::unique_ptr<curl_slist, ListDeleter>;

CurlHandle new_handle() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return CurlHandle(curl_easy_init());
}

CurlList make_list(const std::vector<std::string>& lines) {
  curl_slist* list = nullptr;
  for (const auto& line : lines) list = curl_slist_append(list, line.c_str());
  return CurlList(list);
}

// What the callbacks collect, with the caps they enforce.
struct Collected {
  std::string body;
  std::string retry_after;
  size_t header_bytes = 0;
  size_t max_body = 0;
  size_t max_headers = 0;
  bool over_limit = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto& c = *static_cast<Collected*>(user);
  const size_t n = size * count;
  if (c.body.size() + n > c.max_body) {
    c.over_limit = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  c.body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& c = *static_cast<Collected*>(user);
  const size_t n = size * count;
  c.header_bytes += n;
  if (c.header_bytes > c.max_headers) {
    c.over_limit = true;
    return 0;
  }
  const std::string_view line(data, n);
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos && ascii_lower(line.substr(0, colon)) == "retry-after") {
    c.retry_after = std::string(trim(line.substr(colon + 1)));
  }
  return n;
}

void set_common(CURL* curl, const std::string& url, const char* protocols, std::chrono::milliseconds connect_timeout,
                std::chrono::milliseconds total_timeout, char* error_buffer) {
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(total_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
}

Error transport_error(CURL* curl, CURLcode code, const char* error_buffer, bool over_limit, const std::string& where) {
  std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  ErrorCode kind = ErrorCode::kProtocol;
  switch (code) {
    case CURLE_COULDNT_CONNECT: kind = ErrorCode::kRefused; break;
    case CURLE_COULDNT_RESOLVE_HOST: kind = ErrorCode::kResolve; break;
    case CURLE_OPERATION_TIMEDOUT: {
      curl_off_t connected_after = 0;
      curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected_after);
      kind = connected_after == 0 ? ErrorCode::kConnectTimeout : ErrorCode::kTimeout;
      break;
    }
    case CURLE_WRITE_ERROR: kind = over_limit ? ErrorCode::kTooLarge : ErrorCode::kProtocol; break;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT: kind = ErrorCode::kConfig; break;
    default: break;
  }
  if (kind == ErrorCode::kTooLarge) detail = "the answer exceeds the size limit";
  return make_error(kind, std::move(detail)).with_where(where);
}

// A mailbox for MAIL FROM / RCPT TO: no control characters or angle brackets, which
// would let a setting add SMTP commands.
bool is_plain_mailbox(std::string_view address) {
  return !address.empty() && std::none_of(address.begin(), address.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '<' || c == '>';
  });
}

struct Upload {
  std::string_view rest;
};

size_t on_read(char* buffer, size_t size, size_t count, void* user) {
  auto& upload = *static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload.rest.size());
  std::memcpy(buffer, upload.rest.data(), n);
  upload.rest.remove_prefix(n);
  return n;
}

}  // namespace

namespace {

// One HTTP(S) transfer: a POST of *post_body, or a GET when it is null.
Result<HttpAnswer> http_transfer(const std::string& url, const std::vector<std::string>& headers,
                                 const std::string* post_body, const HttpLimits& limits) {
  CurlHandle curl = new_handle();
  if (!curl) return make_error(ErrorCode::kException, "libcurl could not start a transfer");
  char error_buffer[CURL_ERROR_SIZE] = {};
  set_common(curl.get(), url, "http,https", limits.connect_timeout, limits.total_timeout, error_buffer);
  auto lines = headers;
  lines.emplace_back("Expect:");  // no 100-continue round trip
  CurlList header_list = make_list(lines);
  Collected collected;
  collected.max_body = limits.max_response_body;
  collected.max_headers = limits.max_response_headers;
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "pnode-analytics");
  if (post_body) {
    curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, post_body->data());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post_body->size()));
  }
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &collected);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &collected);
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) return transport_error(curl.get(), code, error_buffer, collected.over_limit, url);
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  return HttpAnswer{static_cast<int>(status), std::move(collected.body), std::move(collected.retry_after)};
}

}  // namespace

Result<HttpAnswer> http_post(const std::string& url, const std::vector<std::string>& headers, const std::string& body,
                             const HttpLimits& limits) {
  return http_transfer(url, headers, &body, limits);
}

Result<HttpAnswer> http_get(const std::string& url, const std::vector<std::string>& headers,
                            const HttpLimits& limits) {
  return http_transfer(url, headers, nullptr, limits);
}

Result<SmtpAnswer> smtp_send(const SmtpSettings& settings, const std::string& from, const std::vector<std::string>& to,
                             const std::string& message) {
  if (!is_plain_mailbox(from) || to.empty() ||
      !std::all_of(to.begin(), to.end(), [](const std::string& a) { return is_plain_mailbox(a); })) {
    return make_error(ErrorCode::kConfig, "an e-mail needs a plain sender and at least one plain recipient");
  }
  CurlHandle curl = new_handle();
  if (!curl) return make_error(ErrorCode::kException, "libcurl could not start a transfer");
  char error_buffer[CURL_ERROR_SIZE] = {};
  set_common(curl.get(), settings.url, "smtp,smtps", settings.connect_timeout, settings.total_timeout, error_buffer);
  const std::string mail_from = "<" + from + ">";
  std::vector<std::string> recipients;
  for (const auto& address : to) recipients.push_back("<" + address + ">");
  CurlList recipient_list = make_list(recipients);
  Upload upload{message};
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, recipient_list.get());
  curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, on_read);
  curl_easy_setopt(curl.get(), CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(curl.get(), CURLOPT_USE_SSL, static_cast<long>(settings.starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
  if (!settings.username.empty()) {
    curl_easy_setopt(curl.get(), CURLOPT_USERNAME, settings.username.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PASSWORD, settings.password.c_str());
  }
  if (!settings.ca_file.empty()) curl_easy_setopt(curl.get(), CURLOPT_CAINFO, settings.ca_file.c_str());
  const CURLcode code = curl_easy_perform(curl.get());
  long reply = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply);
  if (code == CURLE_OK) return SmtpAnswer{static_cast<int>(reply), {}};
  if (reply >= 400) return SmtpAnswer{static_cast<int>(reply), error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code)};
  return transport_error(curl.get(), code, error_buffer, false, settings.url);
}

}  // namespace pnode::notify
