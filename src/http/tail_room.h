// The room the HTTP client leaves after a response body whose length was announced
// (http/padded_body.h), so a JSON parser that reads up to this many bytes past its input's
// end (simdjson) parses the body where it lies. Beast-free, so the parser can see it.
// Thread-safety: a constant.
#pragma once

#include <cstddef>

namespace pnode::http {

inline constexpr size_t kBodyTailRoom = 64;

}  // namespace pnode::http
