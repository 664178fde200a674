#include "sim/address_map.h"

#include <cassert>
#include <charconv>

#include "util/loopback.h"

namespace pnode::sim {

uint32_t loopback_ip_for_index(uint64_t index) {
  assert(index <= kMaxLoopbackIndex);
  return kLoopbackBase + static_cast<uint32_t>(index) + 1;
}

std::string format_endpoint(uint32_t ip, uint16_t port) {
  return format_ipv4(ip) + ":" + std::to_string(port);
}

std::optional<SplitAddress> split_address(std::string_view address) {
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view port_text = address.substr(colon + 1);
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port > 65535) return std::nullopt;
  return SplitAddress{address.substr(0, colon), static_cast<uint16_t>(port)};
}

uint32_t AddressMap::index_of(std::string_view ip) {
  auto [it, inserted] = by_ip_.try_emplace(std::string(ip), static_cast<uint32_t>(by_ip_.size()));
  return it->second;
}

std::optional<uint32_t> AddressMap::find(std::string_view ip) const {
  auto it = by_ip_.find(std::string(ip));
  if (it == by_ip_.end()) return std::nullopt;
  return it->second;
}

}  // namespace pnode::sim
