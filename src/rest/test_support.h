// Test helpers for rest/ tests (and, through api/test_support.h, api/ tests): requests
// and the body and headers of responses.
// Test-only; not part of pnode_rest. Thread-safety: none needed.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "http/message.h"

namespace pnode::rest::testing {

inline http::Request make_request(std::string target, std::string method = "GET", http::Headers headers = {}) {
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers = std::move(headers);
  r.remote_address = "127.0.0.1";
  return r;
}

inline boost::json::value body_json(const http::Response& r) {
  return boost::json::parse(r.body ? *r.body : std::string());
}

inline std::string body_text(const http::Response& r) { return r.body ? *r.body : std::string(); }

inline std::string header(const http::Response& r, std::string_view name) {
  return std::string(http::find_header(r.headers, name));
}

}  // namespace pnode::rest::testing
