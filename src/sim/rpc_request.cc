#include "sim/rpc_request.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include <boost/json.hpp>

#include "util/json_writer.h"

namespace pnode::sim {
namespace json = boost::json;
namespace {

constexpr std::string_view kBadContentType = "Expected request with `Content-Type: application/json`";
constexpr std::string_view kSyntaxPrefix = "Failed to parse the request body as JSON: ";
constexpr std::string_view kDataPrefix = "Failed to deserialize the JSON body into the target type: ";

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// serde_json::Value keeps object members in a BTreeMap: sorted by key bytes.
void write_canonical(JsonWriter& w, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: w.null(); break;
    case json::kind::bool_: w.value(v.get_bool()); break;
    case json::kind::int64: w.value(static_cast<long long>(v.get_int64())); break;
    case json::kind::uint64: w.value(static_cast<unsigned long long>(v.get_uint64())); break;
    case json::kind::double_: w.value(v.get_double()); break;
    case json::kind::string: w.value(std::string_view(v.get_string())); break;
    case json::kind::array:
      w.begin_array();
      for (const auto& item : v.get_array()) write_canonical(w, item);
      w.end_array();
      break;
    case json::kind::object: {
      std::vector<const json::key_value_pair*> members;
      for (const auto& kv : v.get_object()) members.push_back(&kv);
      std::stable_sort(members.begin(), members.end(),
                       [](auto* a, auto* b) { return a->key() < b->key(); });
      w.begin_object();
      for (auto* kv : members) {
        w.key(kv->key());
        write_canonical(w, kv->value());
      }
      w.end_object();
      break;
    }
  }
}

// "line L column C" of a byte offset, as serde reports positions.
std::string position_of(std::string_view body, size_t offset) {
  size_t line = 1, column = 0;
  for (size_t i = 0; i < offset && i < body.size(); ++i) {
    if (body[i] == '\n') {
      ++line;
      column = 0;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + " column " + std::to_string(column);
}

// Parses with the byte offset of the first error, for serde-like messages.
std::variant<json::value, std::string> parse_with_position(std::string_view body) {
  json::stream_parser parser;
  json::error_code ec;
  size_t used = parser.write_some(body.data(), body.size(), ec);
  if (!ec && used < body.size()) {
    ec = json::error::extra_data;
  } else if (!ec) {
    parser.finish(ec);
    used = body.size();
  }
  if (ec) {
    std::string what = body.empty() || used >= body.size() ? "EOF while parsing a value" : ec.message();
    return what + " at " + position_of(body, used);
  }
  return parser.release();
}

std::string_view kind_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::string: return "string";
    case json::kind::array: return "sequence";
    case json::kind::object: return "map";
    default: return "number";
  }
}

}  // namespace

bool is_json_content_type(std::string_view content_type) {
  std::string mime = lower_trimmed(content_type.substr(0, content_type.find(';')));
  if (mime == "application/json") return true;
  return mime.starts_with("application/") && mime.ends_with("+json");
}

std::string canonical_json(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return {};
  JsonWriter w(DoubleStyle::kSerde);
  write_canonical(w, v);
  return w.take();
}

std::variant<RpcCall, Rejection> parse_rpc_request(std::string_view content_type, std::string_view body) {
  if (!is_json_content_type(content_type)) return Rejection{415, std::string(kBadContentType)};
  auto parsed = parse_with_position(body);
  if (auto* error = std::get_if<std::string>(&parsed)) return Rejection{400, std::string(kSyntaxPrefix) + *error};
  const json::value& root = std::get<json::value>(parsed);
  if (!root.is_object()) {
    return Rejection{422, std::string(kDataPrefix) + "invalid type: " + std::string(kind_name(root)) +
                              ", expected struct RpcRequest at line 1 column 1"};
  }
  const json::object& o = root.get_object();
  for (std::string_view field : {"jsonrpc", "method"}) {
    auto it = o.find(field);
    if (it == o.end())
      return Rejection{422, std::string(kDataPrefix) + "missing field `" + std::string(field) + "`"};
    if (!it->value().is_string())
      return Rejection{422, std::string(kDataPrefix) + "invalid type: " + std::string(kind_name(it->value())) +
                                ", expected a string"};
  }
  RpcCall call;
  call.method = std::string(o.at("method").get_string());
  if (auto it = o.find("id"); it != o.end()) {
    JsonWriter w(DoubleStyle::kSerde);
    write_canonical(w, it->value());
    call.id_json = w.take();
  } else {
    call.id_json = "null";
  }
  return call;
}

}  // namespace pnode::sim
