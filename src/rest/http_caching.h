// Conditional and compressed responses for every cacheable GET (issue 4): a strong ETag
// from the body's bytes, 304 Not Modified when If-None-Match names it, and gzip when the
// client accepts it and the body is over kGzipMinBytes (with Vary: Accept-Encoding). Most
// bodies are shared immutable strings the service caches (e.g. once per data snapshot), so
// the ETag and the gzipped copy are memoised by body identity: computed once per cached
// body, not once per request. A body built per request is hashed (and compressed) per
// request, as it must be.
// Thread-safety: EncodedBodies::get and apply_http_caching may be called concurrently
// from any thread (one short mutex guards the memo; hashing and compression run outside it).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/message.h"

namespace pnode::rest {

inline constexpr size_t kGzipMinBytes = 1024;

// gzip (RFC 1952) of `data` at the default level; empty on a zlib failure.
std::string gzip_compress(std::string_view data);
// The inverse, for tests and tools: false on input that is not one whole gzip stream.
bool gzip_decompress(std::string_view data, std::string& out);

// Whether an Accept-Encoding value accepts gzip (a "gzip" or "*" coding whose q is not 0).
bool accepts_gzip(std::string_view accept_encoding);
// Whether an If-None-Match value names `etag` (weak comparison, or "*").
bool etag_matches(std::string_view if_none_match, std::string_view etag);

class EncodedBodies {
 public:
  struct Encoded {
    std::string etag;                           // "\"<16 hex digits>\""
    std::shared_ptr<const std::string> gzip;    // null until asked for
    std::string gzip_etag;                      // "\"<16 hex digits>-gz\""
  };

  // At most `capacity` bodies are remembered; when full, entries whose body is gone are
  // dropped first, then everything.
  explicit EncodedBodies(size_t capacity = 256) : capacity_(capacity) {}

  // The ETag of `body` (non-null), and its gzipped copy when `with_gzip`.
  std::shared_ptr<const Encoded> get(const std::shared_ptr<const std::string>& body, bool with_gzip) const;
  size_t size() const;

 private:
  struct Entry {
    std::weak_ptr<const std::string> body;
    std::shared_ptr<const Encoded> encoded;
  };
  void insert_locked(const std::string* key, Entry entry) const;

  size_t capacity_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<const std::string*, Entry> entries_;
};

// Adds ETag (and Vary, gzip) to a 200 answer to GET or HEAD with a body, or turns it into
// a 304 when If-None-Match matches. Answers that already carry an ETag or a
// Content-Encoding, and every other method or status, are left as they are.
void apply_http_caching(const http::Request& request, http::Response& response, const EncodedBodies& bodies);

}  // namespace pnode::rest
