#include "analysis/version.h"

#include <charconv>
#include <map>

namespace pnode::analysis {
namespace {

bool read_number(std::string_view& s, int& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  if (r.ec != std::errc() || out < 0) return false;
  s.remove_prefix(static_cast<size_t>(r.ptr - s.data()));
  return true;
}

bool read_dot(std::string_view& s) {
  if (s.empty() || s.front() != '.') return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

std::optional<SemVer> parse_version(std::string_view text) {
  SemVer v;
  std::string_view s = text;
  if (!s.empty() && (s.front() == 'v' || s.front() == 'V')) s.remove_prefix(1);
  if (!read_number(s, v.major) || !read_dot(s) || !read_number(s, v.minor)) return std::nullopt;
  if (!s.empty() && s.front() == '.' ) {
    s.remove_prefix(1);
    if (!read_number(s, v.patch)) return std::nullopt;
  }
  if (!s.empty() && s.front() != '-' && s.front() != '+') return std::nullopt;
  v.suffix = std::string(s);
  return v;
}

std::optional<int> version_gap(std::string_view version, std::string_view latest) {
  auto v = parse_version(version);
  auto l = parse_version(latest);
  if (!v || !l) return std::nullopt;
  if (v->major > l->major) return 0;
  if (v->major < l->major) return 2;
  return v->minor >= l->minor ? 0 : l->minor - v->minor;
}

std::string derive_latest_version(const std::vector<std::string_view>& online_versions,
                                  std::string_view override_version) {
  if (!override_version.empty()) return std::string(override_version);
  std::map<std::tuple<int, int, int>, size_t> plain_counts;
  size_t parsable = 0;
  for (auto text : online_versions) {
    auto v = parse_version(text);
    if (!v) continue;
    ++parsable;
    if (v->suffix.empty()) ++plain_counts[v->core()];
  }
  if (plain_counts.empty()) return "unknown";
  auto format = [](const std::tuple<int, int, int>& c) {
    return std::to_string(std::get<0>(c)) + "." + std::to_string(std::get<1>(c)) + "." +
           std::to_string(std::get<2>(c));
  };
  for (auto it = plain_counts.rbegin(); it != plain_counts.rend(); ++it)
    if (static_cast<double>(it->second) >= kMeaningfulShare * static_cast<double>(parsable)) return format(it->first);
  auto most = plain_counts.begin();
  for (auto it = plain_counts.begin(); it != plain_counts.end(); ++it)
    if (it->second >= most->second) most = it;
  return format(most->first);
}

}  // namespace pnode::analysis
