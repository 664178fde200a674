// ParseBuffers: the simdjson parser and padded input buffer the pRPC parser (parse.cc)
// keeps between parses, so a large answer is not fresh memory every time. Internal to
// prpc/.
// Thread-safety: none; parse.cc gives each set to one parse at a time (a thread's own, or
// a shared one under its lock).
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "http/tail_room.h"

namespace pnode::prpc::detail {

// A parser and a padded copy of the body, kept for bodies up to kReusableBytes (the pRPC
// client's largest answer by default): allocating and faulting in fresh buffers costs
// about as much as the parse itself (at 100k pods a seed's list is ~33 MB; one-off
// buffers for it doubled the collector's page faults). Larger bodies get one-off buffers.
// A set that grew for one large body shrinks back at the next body under a quarter of its
// size, so a hostile answer pins its allocation for one parse, not for good.
// Bodies from kSharedFromBytes (the seeds' pod lists) share one set per kind of
// response, one parse at a time: the poller parses each seed on a thread that lives one
// cycle, where a buffer of the thread's own would be fresh memory every cycle (~7 MB of
// page faults a seed at 10k pods). Smaller bodies (the pods' probe answers) use their
// thread's own.
static_assert(simdjson::SIMDJSON_PADDING <= http::kBodyTailRoom, "the HTTP client leaves room for the padding");

class ParseBuffers {
 public:
  static constexpr size_t kReusableBytes = 64u << 20;
  static constexpr size_t kSharedFromBytes = 256u << 10;
  static constexpr size_t kShrinkFromBytes = 16u << 20;

  // Copies body into the padded buffer; the view stays valid until the next call.
  simdjson::padded_string_view pad(std::string_view body) {
    return pad_copy(body);
  }
  // Pads `*owner` (whose text is `body`) in place when its capacity has room, else copies.
  simdjson::padded_string_view pad(std::string_view body, std::string* owner) {
    if (!owner || owner->capacity() < body.size() + simdjson::SIMDJSON_PADDING) return pad_copy(body);
    owner->append(simdjson::SIMDJSON_PADDING, '\0');  // within capacity: no copy
    return simdjson::padded_string_view(owner->data(), body.size(), owner->size());
  }
  size_t capacity() const { return capacity_; }
  simdjson::ondemand::parser& parser() { return parser_; }
  // Frees both buffers; the next pad() and iterate() allocate afresh.
  void release() {
    parser_ = simdjson::ondemand::parser{};
    buffer_.reset();
    capacity_ = 0;
  }

 private:
  simdjson::padded_string_view pad_copy(std::string_view body) {
    const size_t needed = body.size() + simdjson::SIMDJSON_PADDING;
    const bool oversized = capacity_ > kShrinkFromBytes && needed < capacity_ / 4;
    if (needed > capacity_ || oversized) {
      buffer_ = std::make_unique_for_overwrite<char[]>(needed);  // written below before any read
      capacity_ = needed;
      if (oversized) {
        [[maybe_unused]] auto shrunk = parser_.allocate(body.size());  // if it fails, iterate() allocates
      }
    }
    std::memcpy(buffer_.get(), body.data(), body.size());
    std::memset(buffer_.get() + body.size(), 0, simdjson::SIMDJSON_PADDING);
    return simdjson::padded_string_view(buffer_.get(), body.size(), capacity_);
  }

  simdjson::ondemand::parser parser_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
};

}  // namespace pnode::prpc::detail
