#include "store/list_codec.h"

namespace pnode::store {
namespace {

constexpr char kListSeparator = ',';

}  // namespace

std::optional<std::string> join_source_ips(const std::vector<std::string>& ips) {
  std::string out;
  for (size_t i = 0; i < ips.size(); ++i) {
    if (ips[i].find(kListSeparator) != std::string::npos || ips[i].empty()) return std::nullopt;
    if (i > 0) out += kListSeparator;
    out += ips[i];
  }
  return out;
}

std::string join_addresses(const std::vector<std::string>& addresses) {
  std::string out;
  for (const auto& a : addresses) {
    if (a.empty() || a.find(kListSeparator) != std::string::npos) continue;
    if (!out.empty()) out += kListSeparator;
    out += a;
  }
  return out;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(kListSeparator);
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace pnode::store
