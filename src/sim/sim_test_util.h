// Helpers shared by the simulator's unit tests: fixture access, request builders, and
// checks on served JSON (real-address scan, key order, compactness). Test-only.
// Thread-safety: pure functions.
#pragma once

#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json.hpp>

#include "http/message.h"
#include "util/loopback.h"

namespace pnode::sim::testing {

inline const std::string kCompactCapture =
    std::string(PNODE_FIXTURES_DIR) + "/get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json";
inline const std::string kPrettyCapture =
    std::string(PNODE_FIXTURES_DIR) + "/get-pods-with-stats_2025-12-16T0931Z_v0.8_198pods_BarrieLAJ.json";

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The address rewrite, computed independently of the simulator's code: the k-th distinct
// IP in order of first appearance becomes 127.1.0.0 + k + 1, the port is kept.
// Returns real "ip:port" -> served "ip:port", for every row of a capture file.
inline std::unordered_map<std::string, std::string> expected_rewrite(const std::string& capture_path) {
  boost::json::value root = boost::json::parse(read_file(capture_path));
  std::unordered_map<std::string, uint32_t> index_of_ip;
  std::unordered_map<std::string, std::string> out;
  for (const auto& pod : root.at("result").at("pods").as_array()) {
    std::string address(pod.at("address").as_string());
    size_t colon = address.rfind(':');
    std::string ip = address.substr(0, colon);
    auto [it, inserted] = index_of_ip.try_emplace(ip, static_cast<uint32_t>(index_of_ip.size()));
    out[address] = format_ipv4(0x7F010000u + it->second + 1) + address.substr(colon);
  }
  return out;
}

inline http::Request rpc(std::string_view method, std::string_view id_json = "1") {
  http::Request r;
  r.method = "POST";
  r.target = "/rpc";
  r.headers = {{"Content-Type", "application/json"}};
  r.body = std::string(R"({"jsonrpc":"2.0","method":")") + std::string(method) + R"(","id":)" + std::string(id_json) + "}";
  return r;
}

inline http::Request request(std::string_view method, std::string_view target) {
  http::Request r;
  r.method = std::string(method);
  r.target = std::string(target);
  return r;
}

inline std::string body_of(const http::Response& r) { return r.body ? *r.body : std::string(); }

// Every dotted-quad in text (outside or inside strings) that is not 127.x.x.x.
inline std::vector<std::string> non_loopback_ipv4s(std::string_view text) {
  std::vector<std::string> found;
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  for (size_t i = 0; i < text.size(); ++i) {
    if (!is_digit(text[i]) || (i > 0 && (is_digit(text[i - 1]) || text[i - 1] == '.'))) continue;
    size_t j = i;
    int groups = 0;
    while (groups < 4) {
      size_t start = j;
      while (j < text.size() && is_digit(text[j]) && j - start < 4) ++j;
      if (j == start || j - start > 3) break;
      ++groups;
      if (groups < 4) {
        if (j < text.size() && text[j] == '.') ++j;
        else break;
      }
    }
    bool ends_cleanly = j >= text.size() || (!is_digit(text[j]) && text[j] != '.');
    if (groups == 4 && ends_cleanly) {
      std::string quad(text.substr(i, j - i));
      if (!quad.starts_with("127.")) found.push_back(quad);
    }
  }
  return found;
}

// True when every object's keys are in strictly increasing byte order, at every level.
inline bool keys_sorted_everywhere(const boost::json::value& v) {
  if (v.is_array()) {
    for (const auto& item : v.as_array())
      if (!keys_sorted_everywhere(item)) return false;
  } else if (v.is_object()) {
    std::string_view previous;
    bool first = true;
    for (const auto& kv : v.as_object()) {
      if (!first && !(previous < kv.key())) return false;
      previous = kv.key();
      first = false;
      if (!keys_sorted_everywhere(kv.value())) return false;
    }
  }
  return true;
}

// True when text has no whitespace outside string literals.
inline bool is_compact(std::string_view text) {
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace pnode::sim::testing
