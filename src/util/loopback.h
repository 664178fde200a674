// Host and port parsing, and the loopback guard: the only network tests, demos and
// benchmarks may touch is 127.0.0.0/8 (and ::1). Code that dials an address it learned
// from gossip asks is_loopback_host() first unless the operator allowed real networks.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace pnode {

struct HostPort {
  std::string host;
  uint16_t port = 0;
  std::string to_string() const;  // "host:port" ("[v6]:port" for IPv6 literals)
};

// Parses "host", "host:port", "[v6]" or "[v6]:port". The port defaults to default_port.
Result<HostPort> parse_host_port(std::string_view text, uint16_t default_port);

// Parses a dotted IPv4 address; nullopt when text is not exactly one.
std::optional<uint32_t> parse_ipv4(std::string_view text);
std::string format_ipv4(uint32_t ip);

// True for "localhost", 127.0.0.0/8 and ::1.
bool is_loopback_host(std::string_view host);

}  // namespace pnode
