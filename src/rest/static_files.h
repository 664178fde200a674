// StaticFiles: the built web dashboard (web/dist), read into memory once at start-up so
// serving a file is a map lookup. Answers GET/HEAD for the files it holds with their
// Content-Type, a strong ETag (304 on a matching If-None-Match) and Cache-Control: the
// content-hashed assets under /assets/ are immutable for a year, everything else
// (index.html, favicon, ...) is revalidated on each use ("no-cache"). Text files over
// kGzipMinBytes are also gzipped once at load and sent compressed (with their own ETag
// and Vary: Accept-Encoding) to clients that accept gzip. "/" is the
// dashboard (index.html) only for requests that accept text/html, as browsers send;
// API clients keep the JSON of GET /. Paths are percent-decoded before lookup and any
// path with a ".." segment (or a backslash, or a NUL) is refused, so nothing outside the
// loaded set is ever served; at load time symlinks leading outside the root are skipped.
// Thread-safety: immutable after load(); answer() may run concurrently.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "util/result.h"

namespace pnode::rest {

class StaticFiles {
 public:
  // Reads every regular file under `root` (recursively). Error kinds: "not_found" (no
  // such folder, or no index.html in it), "io" (a file could not be read).
  static Result<std::shared_ptr<const StaticFiles>> load(const std::string& root);

  // The answer for a dashboard request, or nullopt when the request is not for a loaded
  // file (the API then handles it). `route`, when given, receives a bounded label for
  // metrics: "/assets/{file:path}" for assets, else the file's own path.
  std::optional<http::Response> answer(const http::Request& request, std::string_view* route = nullptr) const;

  // The URL paths served, sorted ("/assets/index-abc.js", "/index.html", ...).
  std::vector<std::string> paths() const;
  const std::string& root() const { return root_; }
  size_t total_bytes() const;

  struct File {
    std::shared_ptr<const std::string> body;
    std::string content_type;
    std::string etag;           // quoted
    std::string cache_control;
    std::shared_ptr<const std::string> gzip;  // null when not worth compressing
    std::string gzip_etag;
  };

  // Content-Type for a file name by extension ("application/octet-stream" when unknown).
  static std::string_view content_type_for(std::string_view name);

 private:
  const File* find(std::string_view decoded_path) const;

  std::string root_;
  std::map<std::string, File, std::less<>> files_;  // by URL path
};

}  // namespace pnode::rest
