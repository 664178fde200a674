#include "http/message.h"

#include <cctype>

namespace pnode::http {

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (equals_ignoring_case(key, name)) return value;
  }
  return {};
}

Response Response::json(int status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::make_shared<const std::string>(std::move(body));
  return response;
}

Response Response::text(int status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::make_shared<const std::string>(std::move(body));
  return response;
}

namespace {

struct ReleasedBody {
  std::shared_ptr<const std::string> body;
  std::function<void()> on_release;
  ~ReleasedBody() {
    if (on_release) on_release();
  }
};

}  // namespace

std::shared_ptr<const std::string> body_with_release(std::shared_ptr<const std::string> body,
                                                     std::function<void()> on_release) {
  auto holder = std::make_shared<ReleasedBody>();
  holder->body = body ? std::move(body) : std::make_shared<const std::string>();
  holder->on_release = std::move(on_release);
  const std::string* text = holder->body.get();
  return std::shared_ptr<const std::string>(std::move(holder), text);  // shares the holder's lifetime
}

}  // namespace pnode::http
