// Where the prober may dial: IPv4 networks in CIDR notation (PROBE_ALLOW, PROBE_DENY) and
// the loopback guard. A pod is dialled only when its host is an IPv4 literal, not in a
// denied network, in an allowed one when any is listed, and inside 127.0.0.0/8 unless
// the operator allowed real networks (ALLOW_REAL_NETWORK). A refusal sends nothing.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace pnode::collect {

struct Cidr {
  uint32_t network = 0;  // host order, host bits cleared
  int prefix = 32;       // 0-32
  bool contains(uint32_t ip) const;
  std::string to_string() const;
};

// "10.0.0.0/8", or a bare address (a /32). Error (kConfig) on anything else.
Result<Cidr> parse_cidr(std::string_view text);
// Comma-separated, blanks around entries ignored; empty text is an empty list.
Result<std::vector<Cidr>> parse_cidr_list(std::string_view text);

struct DialPolicy {
  bool allow_real_network = false;
  std::vector<Cidr> allow;  // empty: every network (the loopback guard still applies)
  std::vector<Cidr> deny;   // wins over allow
};

// Why `host` may not be dialled, or nullopt when it may.
std::optional<std::string> dial_refusal(const DialPolicy& policy, std::string_view host);

}  // namespace pnode::collect
