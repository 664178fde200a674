#include "util/loopback.h"

#include <charconv>

namespace pnode {

std::string HostPort::to_string() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

std::optional<uint32_t> parse_ipv4(std::string_view text) {
  uint32_t ip = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (text.empty() || text.front() != '.') return std::nullopt;
      text.remove_prefix(1);
    }
    unsigned v = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    size_t used = static_cast<size_t>(r.ptr - text.data());
    if (r.ec != std::errc() || used == 0 || used > 3 || v > 255) return std::nullopt;
    text.remove_prefix(used);
    ip = (ip << 8) | v;
  }
  if (!text.empty()) return std::nullopt;
  return ip;
}

std::string format_ipv4(uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." +
         std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255);
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  auto ip = parse_ipv4(host);
  return ip && (*ip >> 24) == 127;
}

Result<HostPort> parse_host_port(std::string_view text, uint16_t default_port) {
  HostPort hp;
  hp.port = default_port;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos)
      return make_error(ErrorCode::kInvalidAddress, "unclosed '[' in \"" + std::string(text) + "\"");
    hp.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':')
        return make_error(ErrorCode::kInvalidAddress, "expected ':' after ']' in \"" + std::string(text) + "\"");
      port_text = rest.substr(1);
    }
  } else {
    size_t colon = text.rfind(':');
    if (colon != std::string_view::npos && text.find(':') != colon)
      return make_error(ErrorCode::kInvalidAddress, "IPv6 addresses need brackets: \"" + std::string(text) + "\"");
    hp.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) port_text = text.substr(colon + 1);
  }
  if (hp.host.empty()) return make_error(ErrorCode::kInvalidAddress, "missing host in \"" + std::string(text) + "\"");
  if (!port_text.empty() || (text.size() && text.back() == ':')) {
    unsigned p = 0;
    auto r = std::from_chars(port_text.data(), port_text.data() + port_text.size(), p);
    if (r.ec != std::errc() || r.ptr != port_text.data() + port_text.size() || p == 0 || p > 65535)
      return make_error(ErrorCode::kInvalidAddress, "invalid port in \"" + std::string(text) + "\"");
    hp.port = static_cast<uint16_t>(p);
  }
  return hp;
}

}  // namespace pnode
