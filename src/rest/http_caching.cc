#include "rest/http_caching.h"

#include <xxhash.h>
#include <zlib.h>

#include <cctype>
#include <cstdio>
#include <functional>

#include "util/strings.h"

namespace pnode::rest {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Calls f(item) for every comma-separated item, trimmed.
template <class F>
void for_each_item(std::string_view list, F&& f) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = trim(list.substr(0, comma), " \t");
    if (!item.empty()) f(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// "W/\"x\"" and "\"x\"" compare equal (weak comparison, RFC 9110 §8.8.3.2).
std::string_view opaque_tag(std::string_view etag) {
  if (etag.size() >= 2 && (etag[0] == 'W' || etag[0] == 'w') && etag[1] == '/') etag.remove_prefix(2);
  return etag;
}

// XXH3: an uncached /pnodes page is ~110 KB, and std::hash (about 2 GB/s) took 16% of
// the server's CPU serving such pages at 10k pods.
std::string hex_tag(std::string_view body, std::string_view suffix) {
  char digits[17];
  const auto hash = static_cast<unsigned long long>(XXH3_64bits(body.data(), body.size()));
  std::snprintf(digits, sizeof digits, "%016llx", hash);
  std::string tag = "\"";
  tag.append(digits, 16).append(suffix).append("\"");
  return tag;
}

}  // namespace

std::string gzip_compress(std::string_view data) {
  z_stream zs{};
  // 15 + 16: a gzip wrapper instead of zlib's.
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

bool gzip_decompress(std::string_view data, std::string& out) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return false;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  out.clear();
  char buffer[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - zs.avail_out);
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
  }
  inflateEnd(&zs);
  return rc == Z_STREAM_END;
}

bool accepts_gzip(std::string_view accept_encoding) {
  bool accepted = false;
  for_each_item(accept_encoding, [&](std::string_view item) {
    std::string_view coding = trim(item.substr(0, item.find(';')), " \t");
    if (!iequals(coding, "gzip") && !iequals(coding, "x-gzip") && coding != "*") return;
    size_t q = item.find("q=");
    if (q == std::string_view::npos) q = item.find("Q=");
    bool zero = false;
    if (q != std::string_view::npos) {
      std::string_view value = trim(item.substr(q + 2), " \t");
      zero = !value.empty() && value.find_first_not_of("0.") == std::string_view::npos;
    }
    if (!zero) accepted = true;
  });
  return accepted;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  bool match = false;
  for_each_item(if_none_match, [&](std::string_view item) {
    if (item == "*" || opaque_tag(item) == opaque_tag(etag)) match = true;
  });
  return match;
}

std::shared_ptr<const EncodedBodies::Encoded> EncodedBodies::get(const std::shared_ptr<const std::string>& body,
                                                                 bool with_gzip) const {
  std::shared_ptr<const Encoded> known;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(body.get());
    // The weak reference keeps the old control block alive, so an equal owner is the
    // same body, never a new one allocated at a freed address.
    if (it != entries_.end() && !it->second.body.owner_before(body) && !body.owner_before(it->second.body))
      known = it->second.encoded;
  }
  if (known && (known->gzip || !with_gzip)) return known;

  auto fresh = std::make_shared<Encoded>();
  fresh->etag = known ? known->etag : hex_tag(*body, "");
  if (with_gzip) {
    fresh->gzip = std::make_shared<const std::string>(gzip_compress(*body));
    fresh->gzip_etag = hex_tag(*body, "-gz");
  }
  std::lock_guard lock(mutex_);
  insert_locked(body.get(), Entry{body, fresh});
  return fresh;
}

void EncodedBodies::insert_locked(const std::string* key, Entry entry) const {
  if (entries_.size() >= capacity_ && !entries_.count(key)) {
    std::erase_if(entries_, [](const auto& kv) { return kv.second.body.expired(); });
    if (entries_.size() >= capacity_) entries_.clear();
  }
  entries_[key] = std::move(entry);
}

size_t EncodedBodies::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void apply_http_caching(const http::Request& request, http::Response& response, const EncodedBodies& bodies) {
  if (request.method != "GET" && request.method != "HEAD") return;
  if (response.status != 200 || !response.body || response.body->empty()) return;
  for (const auto& [name, value] : response.headers)
    if (iequals(name, "ETag") || iequals(name, "Content-Encoding")) return;

  bool gzip = response.body->size() > kGzipMinBytes && accepts_gzip(request.header("Accept-Encoding"));
  std::shared_ptr<const EncodedBodies::Encoded> encoded = bodies.get(response.body, gzip);
  if (gzip && (!encoded->gzip || encoded->gzip->empty())) gzip = false;  // zlib failed: send it plain
  const std::string& etag = gzip ? encoded->gzip_etag : encoded->etag;
  response.headers.emplace_back("ETag", etag);
  if (response.body->size() > kGzipMinBytes) response.headers.emplace_back("Vary", "Accept-Encoding");
  if (etag_matches(request.header("If-None-Match"), etag)) {
    response.status = 304;
    response.body = nullptr;
    return;
  }
  if (gzip) {
    response.headers.emplace_back("Content-Encoding", "gzip");
    response.body = encoded->gzip;
  }
}

}  // namespace pnode::rest
