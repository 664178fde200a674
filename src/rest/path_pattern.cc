#include "rest/path_pattern.h"

#include <stdexcept>

namespace pnode::rest {

PathPattern::PathPattern(const std::string& pattern) {
  if (pattern.empty() || pattern.front() != '/') throw std::invalid_argument("route pattern must start with '/': " + pattern);
  size_t pos = 0;
  while (pos < pattern.size()) {
    size_t open = pattern.find('{', pos);
    if (open != pos) {
      tokens_.push_back(Token{pattern.substr(pos, open == std::string::npos ? std::string::npos : open - pos)});
      if (open == std::string::npos) break;
    }
    size_t close = pattern.find('}', open);
    if (close == std::string::npos) throw std::invalid_argument("unclosed '{' in route pattern: " + pattern);
    std::string spec = pattern.substr(open + 1, close - open - 1);
    Token param{spec, true, false};
    if (size_t colon = spec.find(':'); colon != std::string::npos) {
      std::string convertor = spec.substr(colon + 1);
      if (convertor != "path" && convertor != "str")
        throw std::invalid_argument("unsupported convertor '" + convertor + "' in route pattern: " + pattern);
      param.text = spec.substr(0, colon);
      param.any_path = convertor == "path";
    }
    if (param.text.empty()) throw std::invalid_argument("unnamed parameter in route pattern: " + pattern);
    tokens_.push_back(std::move(param));
    pos = close + 1;
  }
}

bool PathPattern::fixed_ends_fit(std::string_view path) const {
  if (tokens_.size() == 1 && !tokens_[0].is_param) return path == tokens_[0].text;
  const Token& first = tokens_.front();
  const Token& last = tokens_.back();
  if (!first.is_param && !path.starts_with(first.text)) return false;
  if (!last.is_param && !path.ends_with(last.text)) return false;
  size_t shortest = 0;
  for (const Token& token : tokens_) shortest += token.is_param ? (token.any_path ? 0 : 1) : token.text.size();
  return path.size() >= shortest;
}

// Right to left, one pass over the path per token. A parameter at p can end anywhere in
// [p + its minimum length, the next character it may not contain], so "some end there
// lets the rest match" is a range query, answered from prefix counts of the row below.
std::vector<char> PathPattern::reachability(std::string_view path, size_t& steps) const {
  const size_t n = path.size();
  const size_t width = n + 1;
  std::vector<char> reach((tokens_.size() + 1) * width, 0);
  reach[tokens_.size() * width + n] = 1;
  std::vector<size_t> reachable_before(width + 1);  // row t+1: reachable ends < k
  for (size_t t = tokens_.size(); t-- > 0;) {
    const Token& token = tokens_[t];
    const char* next = &reach[(t + 1) * width];
    char* row = &reach[t * width];
    if (!token.is_param) {
      const size_t len = token.text.size();
      if (len > n) continue;
      const size_t last = t == 0 ? 0 : n - len;  // the first token matters at the start only
      for (size_t p = 0; p <= last; ++p) {
        ++steps;
        if (!next[p + len]) continue;
        steps += len;
        row[p] = path.compare(p, len, token.text) == 0;
      }
      continue;
    }
    for (size_t k = 0; k < width; ++k) reachable_before[k + 1] = reachable_before[k] + (next[k] ? 1 : 0);
    const size_t shortest = token.any_path ? 0 : 1;
    size_t stop = n;  // first position >= p the parameter may not cover
    for (size_t p = n + 1; p-- > 0;) {
      ++steps;
      if (p < n && (path[p] == '\n' || (!token.any_path && path[p] == '/'))) stop = p;
      if (p + shortest > stop) continue;
      row[p] = reachable_before[stop + 1] - reachable_before[p + shortest] > 0;
    }
  }
  return reach;
}

bool PathPattern::match(std::string_view path, Captures& captures, size_t* steps) const {
  size_t work = 0;
  const bool matched = [&] {
    ++work;
    if (!fixed_ends_fit(path)) return false;
    const std::vector<char> reach = reachability(path, work);
    const size_t width = path.size() + 1;
    if (!reach[0]) return false;
    // Walk the match left to right: each parameter takes its longest end from which the
    // rest of the pattern still matches (what a backtracking greedy regex settles on).
    size_t pos = 0;
    for (size_t t = 0; t < tokens_.size(); ++t) {
      const Token& token = tokens_[t];
      if (!token.is_param) {
        pos += token.text.size();
        continue;
      }
      size_t stop = path.find_first_of(token.any_path ? "\n" : "\n/", pos);
      if (stop == std::string_view::npos) stop = path.size();
      work += stop - pos;
      size_t end = stop;
      while (!reach[(t + 1) * width + end]) --end, ++work;
      captures.emplace_back(token.text, std::string(path.substr(pos, end - pos)));
      pos = end;
    }
    return true;
  }();
  if (steps) *steps += work;
  return matched;
}

bool PathPattern::matches(std::string_view path) const {
  Captures ignored;
  return match(path, ignored);
}

}  // namespace pnode::rest
