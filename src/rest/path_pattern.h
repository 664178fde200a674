// PathPattern: one route pattern of the Router ("/node/{address:path}/history"), matched
// against a decoded path with the exact semantics of Starlette's compiled regular
// expressions (anchored at both ends; "{x}" a greedy "[^/\n]+", "{x:path}" a greedy
// "[^\n]*", the leftmost-greediest match wins) but in time linear in the path length:
// a table of "the rest of the pattern matches from here" is filled once, right to left,
// instead of backtracking, so a hostile 15 KB or 100k-segment path costs one pass per
// pattern token. match() can report the work it did (`steps`) so tests can show the bound.
// Thread-safety: immutable after construction; match() is const and reentrant.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pnode::rest {

class PathPattern {
 public:
  using Captures = std::vector<std::pair<std::string, std::string>>;

  // Throws std::invalid_argument on a malformed pattern (no leading '/', unclosed '{',
  // unnamed parameter, a convertor other than "str" or "path").
  explicit PathPattern(const std::string& pattern);

  // True when `path` matches; the parameters' values are appended to `captures` (left
  // untouched on a mismatch). `steps`, when given, is increased by the number of path
  // positions and characters examined.
  bool match(std::string_view path, Captures& captures, size_t* steps = nullptr) const;
  bool matches(std::string_view path) const;

 private:
  struct Token {
    std::string text;        // literal text, or the parameter name
    bool is_param = false;
    bool any_path = false;   // "{name:path}"
  };

  // Cheap rejection: the literal text before the first and after the last parameter.
  bool fixed_ends_fit(std::string_view path) const;
  // reach[t * (n + 1) + p]: tokens t.. match path[p..] to its end.
  std::vector<char> reachability(std::string_view path, size_t& steps) const;

  std::vector<Token> tokens_;
};

}  // namespace pnode::rest
