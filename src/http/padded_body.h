// PaddedStringBody: Beast's string body for responses, except that the string is sized to
// hold kBodyTailRoom bytes beyond the body when the length is announced. A JSON parser
// that reads past the end of its input (simdjson needs 64 readable bytes there) can then
// parse the body where it lies instead of copying it (33 MB a seed's list at 100k pods).
// Thread-safety: a reader belongs to one parser on one thread, as Beast's own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include "http/tail_room.h"

namespace pnode::http {

struct PaddedStringBody {
  using value_type = std::string;

  static std::uint64_t size(const value_type& body) { return body.size(); }

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, boost::beast::error_code& ec) {
      ec = {};
      if (!length) return;
      if (*length > body_.max_size() - kBodyTailRoom) {
        ec = boost::beast::http::error::buffer_overflow;
        return;
      }
      body_.reserve(static_cast<size_t>(*length) + kBodyTailRoom);
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      const std::size_t extra = boost::asio::buffer_size(buffers);
      const std::size_t size = body_.size();
      if (extra > body_.max_size() - size) {
        ec = boost::beast::http::error::buffer_overflow;
        return 0;
      }
      ec = {};
      body_.resize(size + extra);
      char* out = body_.data() + size;
      for (const auto buffer : boost::beast::buffers_range_ref(buffers)) {
        std::memcpy(out, buffer.data(), buffer.size());
        out += buffer.size();
      }
      return extra;
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace pnode::http
