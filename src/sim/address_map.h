// The simulator's address rewrite: every address it serves is loopback. The k-th distinct
// real IP (k = 0, 1, ... in order of first appearance) becomes the IPv4 address whose
// 32-bit value is 127.1.0.0 + k + 1 (127.1.0.1, 127.1.0.2, ..., 127.1.0.255, 127.1.1.0,
// ...); the port is kept. Synthetic pod k uses the same numbering.
// Thread-safety: AddressMap is a plain value (mutating calls need external locking);
// the free functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pnode::sim {

inline constexpr uint32_t kLoopbackBase = 0x7F010000u;  // 127.1.0.0
// Indices beyond this would leave 127.0.0.0/8.
inline constexpr uint64_t kMaxLoopbackIndex = 0x7FFFFFFFull - kLoopbackBase - 1;

// 127.1.0.0 + index + 1, as a 32-bit IPv4 value.
uint32_t loopback_ip_for_index(uint64_t index);
// "a.b.c.d:port".
std::string format_endpoint(uint32_t ip, uint16_t port);

// Splits "host:port" at the last colon; nullopt when there is no valid port.
struct SplitAddress {
  std::string_view host;
  uint16_t port = 0;
};
std::optional<SplitAddress> split_address(std::string_view address);

class AddressMap {
 public:
  // The index of this IP, assigning the next one on first sight.
  uint32_t index_of(std::string_view ip);
  std::optional<uint32_t> find(std::string_view ip) const;
  size_t size() const { return by_ip_.size(); }

 private:
  std::unordered_map<std::string, uint32_t> by_ip_;
};

}  // namespace pnode::sim
