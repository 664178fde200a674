#include "collect/probe_guard.h"

#include <algorithm>
#include <charconv>

#include "util/loopback.h"
#include "util/strings.h"

namespace pnode::collect {
namespace {

constexpr uint32_t kLoopbackNetwork = 0x7F000000u;  // 127.0.0.0/8

uint32_t mask_of(int prefix) { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }

bool in_any(const std::vector<Cidr>& networks, uint32_t ip) {
  return std::any_of(networks.begin(), networks.end(), [ip](const Cidr& c) { return c.contains(ip); });
}

}  // namespace

bool Cidr::contains(uint32_t ip) const { return (ip & mask_of(prefix)) == network; }

std::string Cidr::to_string() const { return format_ipv4(network) + "/" + std::to_string(prefix); }

Result<Cidr> parse_cidr(std::string_view text) {
  const auto slash = text.find('/');
  auto ip = parse_ipv4(text.substr(0, slash));
  int prefix = 32;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 || prefix > 32)
      ip.reset();
  }
  if (!ip)
    return make_error(ErrorCode::kConfig,
                      "\"" + std::string(text) + "\" is not an IPv4 network (expected a.b.c.d/prefix, e.g. 10.0.0.0/8)");
  return Cidr{*ip & mask_of(prefix), prefix};
}

Result<std::vector<Cidr>> parse_cidr_list(std::string_view text) {
  std::vector<Cidr> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view entry = trim(text.substr(start, comma - start));
    if (!entry.empty()) {
      auto cidr = parse_cidr(entry);
      if (!cidr) return cidr.error();
      out.push_back(*cidr);
    }
    start = comma + 1;
  }
  return out;
}

std::optional<std::string> dial_refusal(const DialPolicy& policy, std::string_view host) {
  auto ip = parse_ipv4(host);
  if (!ip) return "not an IPv4 address: " + std::string(host);
  if (in_any(policy.deny, *ip)) return std::string(host) + " is in a denied network (PROBE_DENY)";
  if (!policy.allow.empty() && !in_any(policy.allow, *ip))
    return std::string(host) + " is outside the allowed networks (PROBE_ALLOW)";
  if (!policy.allow_real_network && !Cidr{kLoopbackNetwork, 8}.contains(*ip))
    return std::string(host) + " is outside 127.0.0.0/8 (set ALLOW_REAL_NETWORK to probe real pods)";
  return std::nullopt;
}

}  // namespace pnode::collect
