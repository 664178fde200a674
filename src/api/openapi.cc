#include "api/openapi.h"

#include <boost/json.hpp>
#include <cctype>
#include <optional>
#include <string>

#include "util/json_writer.h"

namespace pnode::embedded {
std::string_view openapi_json();  // src/api/openapi.json, embedded at build time
}  // namespace pnode::embedded

namespace pnode::api {
namespace {

namespace json = boost::json;

constexpr std::string_view kSchemaRefPrefix = "#/components/schemas/";

// A query value the parameter rejects, or nullopt when it accepts anything (a free
// string) or rejects only its absence (required: the value is then left out).
std::optional<std::string> rejected_value(const rest::ParamSpec& spec) {
  auto beyond = [](const rest::Bound& b, double step) {
    return b.integral ? std::to_string(static_cast<int64_t>(b.value) + static_cast<int64_t>(step))
                      : format_double(b.value + step / 2);
  };
  if (spec.max()) return beyond(*spec.max(), 1);
  if (spec.min()) return beyond(*spec.min(), -1);
  if (!spec.allowed().empty()) return "bogus";
  switch (spec.type()) {
    case rest::ParamType::kInt:
    case rest::ParamType::kFloat: return "abc";
    case rest::ParamType::kBool: return "maybe";
    case rest::ParamType::kString: return std::nullopt;
  }
  return std::nullopt;
}

bool rejectable(const rest::ParamSpec& spec) { return spec.is_required() || rejected_value(spec).has_value(); }

}  // namespace

std::string_view openapi_document() { return embedded::openapi_json(); }

std::string compact_json(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  bool in_string = false, escaped = false;
  for (char c : json) {
    if (in_string) {
      out.push_back(c);
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
      out.push_back(c);
    } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      out.push_back(c);
    }
  }
  return out;
}

bool can_reject(const rest::ParamSpec& spec) { return rejectable(spec); }

std::string openapi_path(std::string_view pattern) {
  std::string out;
  for (size_t pos = 0; pos < pattern.size();) {
    size_t open = pattern.find('{', pos);
    out.append(pattern.substr(pos, open == std::string_view::npos ? std::string_view::npos : open - pos));
    if (open == std::string_view::npos) break;
    size_t close = pattern.find('}', open);
    std::string_view spec = pattern.substr(open + 1, close - open - 1);
    out.append("{").append(spec.substr(0, spec.find(':'))).append("}");
    pos = close + 1;
  }
  return out;
}

std::vector<std::string> undocumented_routes(const json::value& document,
                                             const std::vector<rest::Router::RouteInfo>& routes) {
  const json::object* paths = nullptr;
  if (const json::object* root = document.if_object())
    if (const json::value* p = root->if_contains("paths")) paths = p->if_object();
  std::vector<std::string> out;
  for (const auto& route : routes) {
    std::string method(route.method);
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const json::value* item = paths ? paths->if_contains(openapi_path(route.pattern)) : nullptr;
    if (!item || !item->is_object() || !item->as_object().contains(method))
      out.push_back(std::string(route.method) + " " + std::string(route.pattern));
  }
  return out;
}

namespace {

const char* kind_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64: return "integer";
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "?";
}

bool type_matches(std::string_view type, const json::value& v) {
  if (type == "integer") return v.is_int64() || v.is_uint64();
  if (type == "number") return v.is_number();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_bool();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  return false;
}

constexpr size_t kMaxViolations = 50;

void check(const json::value& value, const json::value& schema_value, const json::value& document,
           const std::string& path, std::vector<std::string>& out, int depth) {
  if (out.size() >= kMaxViolations) return;
  if (depth > 64) return void(out.push_back(path + ": schema nests too deeply"));
  if (!schema_value.is_object()) return;
  const json::object& schema = schema_value.get_object();
  if (const json::value* ref = schema.if_contains("$ref")) {
    std::string_view target = ref->as_string();
    const json::value* resolved = nullptr;
    if (target.rfind(kSchemaRefPrefix, 0) == 0)
      if (const json::value* all = document.as_object().if_contains("components"))
        if (const json::value* schemas = all->as_object().if_contains("schemas"))
          resolved = schemas->as_object().if_contains(target.substr(kSchemaRefPrefix.size()));
    if (!resolved) return void(out.push_back(path + ": unresolved $ref " + std::string(target)));
    return check(value, *resolved, document, path, out, depth + 1);
  }
  bool nullable = schema.contains("nullable") && schema.at("nullable").as_bool();
  if (value.is_null() && nullable) return;
  if (const json::value* all = schema.if_contains("allOf"))
    for (const json::value& sub : all->as_array()) check(value, sub, document, path, out, depth + 1);
  if (const json::value* any = schema.if_contains("oneOf")) {
    bool fits = false;
    for (const json::value& sub : any->as_array()) {
      std::vector<std::string> trial;
      check(value, sub, document, path, trial, depth + 1);
      fits = fits || trial.empty();
    }
    if (!fits) out.push_back(path + ": fits none of the allowed types, got " + kind_name(value));
  }
  const json::value* type = schema.if_contains("type");
  if (!type) return;
  if (!type_matches(type->as_string(), value)) {
    out.push_back(path + ": expected " + std::string(type->as_string()) + (nullable ? " or null" : "") + ", got " +
                  kind_name(value) + (value.is_number() || value.is_string() ? " " + json::serialize(value) : ""));
    return;
  }
  if (const json::value* allowed = schema.if_contains("enum")) {
    bool listed = false;
    for (const json::value& v : allowed->as_array()) listed = listed || v == value;
    if (!listed) out.push_back(path + ": " + json::serialize(value) + " is not one of " + json::serialize(*allowed));
  }
  if (value.is_array()) {
    if (const json::value* items = schema.if_contains("items")) {
      size_t i = 0;
      for (const json::value& item : value.get_array())
        check(item, *items, document, path + "[" + std::to_string(i++) + "]", out, depth + 1);
    }
  } else if (value.is_object()) {
    const json::object& object = value.get_object();
    if (const json::value* required = schema.if_contains("required"))
      for (const json::value& key : required->as_array())
        if (!object.contains(key.as_string()))
          out.push_back(path + ": missing field \"" + std::string(key.as_string()) + "\"");
    const json::object* properties = nullptr;
    if (const json::value* p = schema.if_contains("properties")) properties = &p->as_object();
    const json::value* additional = schema.if_contains("additionalProperties");
    for (const auto& member : object) {
      std::string child = path + "." + std::string(member.key());
      if (properties && properties->contains(member.key()))
        check(member.value(), properties->at(member.key()), document, child, out, depth + 1);
      else if (additional && additional->is_object())
        check(member.value(), *additional, document, child, out, depth + 1);
    }
  }
}

}  // namespace

std::vector<std::string> check_schema(const json::value& value, const json::value& schema, const json::value& document,
                                      const std::string& path) {
  std::vector<std::string> out;
  check(value, schema, document, path, out, 0);
  return out;
}

}  // namespace pnode::api
