// Small string helpers shared by the parsers of HTTP headers, query strings and the API
// description. Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace pnode {

// ASCII whitespace as Python's str.strip() removes it.
inline constexpr std::string_view kAsciiWhitespace = " \t\n\r\f\v";

// `s` without the leading and trailing characters that appear in `chars`.
inline std::string_view trim(std::string_view s, std::string_view chars = kAsciiWhitespace) {
  size_t first = s.find_first_not_of(chars);
  if (first == std::string_view::npos) return {};
  size_t last = s.find_last_not_of(chars);
  return s.substr(first, last - first + 1);
}

// `s` with ASCII letters in lower case (other bytes unchanged).
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace pnode
