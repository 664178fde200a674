#include "sim/capture.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_set>

#include <boost/json.hpp>

namespace pnode::sim {
namespace json = boost::json;

namespace {

std::optional<std::string> optional_string(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().get_string());
}

std::optional<bool> optional_bool(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_bool()) return std::nullopt;
  return it->value().get_bool();
}

std::optional<double> optional_number(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  const json::value& v = it->value();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return std::nullopt;
}

// Integers are read exactly; whole doubles are accepted (a float-typed writer).
std::optional<int64_t> optional_int(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  const json::value& v = it->value();
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    return static_cast<int64_t>(v.get_uint64());
  if (v.is_double() && v.get_double() == static_cast<double>(static_cast<int64_t>(v.get_double())))
    return static_cast<int64_t>(v.get_double());
  return std::nullopt;
}

std::optional<uint64_t> optional_uint(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it != o.end() && it->value().is_uint64()) return it->value().get_uint64();
  auto v = optional_int(o, key);
  if (!v || *v < 0) return std::nullopt;
  return static_cast<uint64_t>(*v);
}

const json::array* find_pods_array(const json::value& root) {
  if (root.is_array()) return &root.get_array();
  if (!root.is_object()) return nullptr;
  const json::object* o = &root.get_object();
  if (auto it = o->find("result"); it != o->end() && it->value().is_object()) o = &it->value().get_object();
  if (auto it = o->find("pods"); it != o->end() && it->value().is_array()) return &it->value().get_array();
  return nullptr;
}

}  // namespace

Result<std::vector<prpc::Pod>> parse_capture(std::string_view text) {
  json::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) return make_error(ErrorCode::kInvalidJson, "capture is not valid JSON: " + ec.message());
  const json::array* pods = find_pods_array(root);
  if (!pods)
    return make_error(ErrorCode::kWrongShape,
                      "capture has no pods array (expected an envelope, {\"pods\":[...]} or an array)");
  std::vector<prpc::Pod> out;
  out.reserve(pods->size());
  for (const json::value& v : *pods) {
    if (!v.is_object()) continue;
    const json::object& o = v.get_object();
    prpc::Pod pod;
    pod.address = optional_string(o, "address").value_or("");
    pod.pubkey = optional_string(o, "pubkey");
    pod.is_public = optional_bool(o, "is_public");
    pod.last_seen_timestamp = optional_int(o, "last_seen_timestamp");
    pod.rpc_port = optional_int(o, "rpc_port");
    pod.storage_committed = optional_uint(o, "storage_committed");
    pod.storage_used = optional_uint(o, "storage_used");
    pod.storage_usage_percent = optional_number(o, "storage_usage_percent");
    pod.uptime = optional_uint(o, "uptime");
    pod.version = optional_string(o, "version");
    out.push_back(std::move(pod));
  }
  return out;
}

Result<std::vector<prpc::Pod>> load_capture_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, "cannot open capture file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto pods = parse_capture(text.str());
  if (!pods) {
    Error e = pods.error();
    e.message = path + ": " + e.message;
    return e;
  }
  return pods;
}

Generation specs_from_capture(const std::vector<prpc::Pod>& pods, AddressMap& map) {
  int64_t newest = std::numeric_limits<int64_t>::min();
  for (const auto& pod : pods)
    if (pod.last_seen_timestamp) newest = std::max(newest, *pod.last_seen_timestamp);

  Generation out;
  out.reserve(pods.size());
  std::unordered_set<uint32_t> seen;
  for (const auto& pod : pods) {
    auto split = split_address(pod.address);
    if (!split) continue;
    uint32_t index = map.index_of(split->host);
    if (!seen.insert(index).second) continue;
    NodeSpec spec;
    spec.node_id = index;
    spec.ip = loopback_ip_for_index(index);
    spec.port = split->port;
    spec.pubkey = pod.pubkey;
    spec.is_public = pod.is_public;
    spec.rpc_port = pod.rpc_port;
    spec.storage_committed = pod.storage_committed;
    spec.storage_used = pod.storage_used;
    spec.uptime = pod.uptime;
    spec.version = pod.version.value_or("unknown");
    if (pod.last_seen_timestamp) spec.age = std::min(newest - *pod.last_seen_timestamp, kMaxAgeSeconds);
    out.push_back(std::move(spec));
  }
  return out;
}

}  // namespace pnode::sim
