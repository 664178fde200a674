#include "api/docs_page.h"

#include <memory>
#include <string>

namespace pnode::embedded {
std::string_view docs_page_html();  // src/api/docs_page.html, embedded at build time
}  // namespace pnode::embedded

namespace pnode::api {

std::string_view docs_page_html() { return embedded::docs_page_html(); }

http::Response docs_page_response() {
  static const auto body = std::make_shared<const std::string>(embedded::docs_page_html());
  http::Response response;
  response.content_type = "text/html; charset=utf-8";
  response.body = body;
  response.headers.emplace_back("content-security-policy", std::string(kDocsPageCsp));
  response.headers.emplace_back("x-content-type-options", "nosniff");
  return response;
}

}  // namespace pnode::api
