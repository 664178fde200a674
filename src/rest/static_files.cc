#include "rest/static_files.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "rest/http_caching.h"
#include "rest/query.h"

namespace pnode::rest {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kAssetsPrefix = "/assets/";
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

// FNV-1a over the content: a strong validator that changes with every byte.
std::string content_etag(std::string_view content) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : content) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string etag = "\"";
  for (int shift = 60; shift >= 0; shift -= 4) etag += kHex[(hash >> shift) & 0xf];
  etag += '-' + std::to_string(content.size()) + '"';
  return etag;
}

bool is_within(const fs::path& root, const fs::path& target) {
  auto r = root.begin(), t = target.begin();
  for (; r != root.end(); ++r, ++t) {
    if (t == target.end() || *r != *t) return false;
  }
  return true;
}

// A decoded URL path that could only name a file inside the root.
bool is_safe_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  if (path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) return false;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (path.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

bool accepts_html(std::string_view accept) { return accept.find("text/html") != std::string_view::npos; }

// Text compresses well; images and fonts are compressed already.
bool worth_gzipping(std::string_view content_type, size_t size) {
  if (size < kGzipMinBytes) return false;
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("image/svg");
}

}  // namespace

std::string_view StaticFiles::content_type_for(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".webp", "image/webp"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (name.size() >= extension.size() && name.substr(name.size() - extension.size()) == extension) return type;
  }
  return "application/octet-stream";
}

Result<std::shared_ptr<const StaticFiles>> StaticFiles::load(const std::string& root) {
  std::error_code ec;
  const fs::path canonical_root = fs::canonical(root, ec);
  if (ec || !fs::is_directory(canonical_root))
    return make_error(ErrorCode::kNotFound, "web root " + root + " is not a folder");
  auto files = std::make_shared<StaticFiles>();
  files->root_ = canonical_root.string();
  for (auto it = fs::recursive_directory_iterator(canonical_root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const fs::path target = fs::canonical(it->path(), ec);
    if (ec) return make_error(ErrorCode::kIo, "cannot resolve " + it->path().string() + ": " + ec.message());
    if (!is_within(canonical_root, target)) continue;  // a symlink leading out of the root
    if (!fs::is_regular_file(target)) continue;
    std::ifstream in(target, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in) return make_error(ErrorCode::kIo, "cannot read " + target.string());
    std::string url = "/" + fs::relative(it->path(), canonical_root).generic_string();
    File file;
    file.content_type = std::string(content_type_for(url));
    file.etag = content_etag(content.view());
    file.cache_control = std::string(url.starts_with(kAssetsPrefix) ? kImmutable : kRevalidate);
    file.body = std::make_shared<const std::string>(std::move(content).str());
    if (worth_gzipping(file.content_type, file.body->size())) {
      std::string gzipped = gzip_compress(*file.body);
      if (!gzipped.empty() && gzipped.size() < file.body->size()) {
        file.gzip = std::make_shared<const std::string>(std::move(gzipped));
        file.gzip_etag = file.etag.substr(0, file.etag.size() - 1) + "-gz\"";
      }
    }
    files->files_.emplace(std::move(url), std::move(file));
  }
  if (ec) return make_error(ErrorCode::kIo, "cannot list " + root + ": " + ec.message());
  if (!files->files_.contains("/index.html"))
    return make_error(ErrorCode::kNotFound, "web root " + root + " has no index.html");
  return std::shared_ptr<const StaticFiles>(std::move(files));
}

const StaticFiles::File* StaticFiles::find(std::string_view decoded_path) const {
  if (!is_safe_path(decoded_path)) return nullptr;
  auto it = files_.find(decoded_path);
  return it == files_.end() ? nullptr : &it->second;
}

std::optional<http::Response> StaticFiles::answer(const http::Request& request, std::string_view* route) const {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  std::string_view target = request.target;
  target = target.substr(0, target.find_first_of("?#"));
  const std::string path = percent_decode(target);
  std::string_view key = path;
  if (path == "/") {
    if (!accepts_html(request.header("accept"))) return std::nullopt;  // API clients: GET / stays JSON
    key = "/index.html";
  }
  const File* file = find(key);
  if (!file) return std::nullopt;
  if (route) *route = key.starts_with(kAssetsPrefix) ? std::string_view("/assets/{file:path}") : files_.find(key)->first;

  const bool gzipped = file->gzip && accepts_gzip(request.header("accept-encoding"));
  const std::string& etag = gzipped ? file->gzip_etag : file->etag;
  http::Response response;
  response.content_type = file->content_type;
  response.headers.emplace_back("ETag", etag);
  response.headers.emplace_back("Cache-Control", file->cache_control);
  // "/" is HTML or JSON depending on Accept: caches must keep the variants apart.
  if (path == "/") response.headers.emplace_back("Vary", file->gzip ? "Accept, Accept-Encoding" : "Accept");
  else if (file->gzip) response.headers.emplace_back("Vary", "Accept-Encoding");
  if (etag_matches(request.header("if-none-match"), etag)) {
    response.status = 304;
    return response;
  }
  if (gzipped) response.headers.emplace_back("Content-Encoding", "gzip");
  response.body = gzipped ? file->gzip : file->body;
  return response;
}

std::vector<std::string> StaticFiles::paths() const {
  std::vector<std::string> paths;
  for (const auto& [path, file] : files_) paths.push_back(path);
  return paths;
}

size_t StaticFiles::total_bytes() const {
  size_t total = 0;
  for (const auto& [path, file] : files_) total += file.body->size();
  return total;
}

}  // namespace pnode::rest
