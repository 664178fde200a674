// Test helpers for rest/ tests (and, through api/test_support.h, api/ tests): requests,
// the body and headers of responses, and a temporary built-dashboard folder.
// Test-only; not part of pnode_rest. Thread-safety: none needed.
#pragma once

#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
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

// A temporary folder `base` holding a minimal built dashboard in `root` (base/dist:
// index.html and one hashed asset); removed on destruction. `name` (with the process id)
// keeps test binaries running at once apart.
struct TempWebRoot {
  explicit TempWebRoot(const std::string& name) {
    base = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(base);
    root = base / "dist";
    std::filesystem::create_directories(root / "assets");
    write(root / "index.html", "<!doctype html><title>dash</title>");
    write(root / "assets" / "index-abc123.js", "console.log(1)");
  }
  ~TempWebRoot() { std::filesystem::remove_all(base); }
  TempWebRoot(const TempWebRoot&) = delete;
  TempWebRoot& operator=(const TempWebRoot&) = delete;
  static void write(const std::filesystem::path& path, const std::string& content) { std::ofstream(path) << content; }
  std::filesystem::path base, root;
};

}  // namespace pnode::rest::testing
