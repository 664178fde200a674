#include "api/openapi.h"

#include <algorithm>
#include <optional>
#include <boost/json.hpp>
#include <stdexcept>
#include <variant>

#include "api/errors.h"
#include "api/openapi_docs.h"
#include "util/json_writer.h"
#include "util/strings.h"

namespace pnode::api {
namespace {

namespace json = boost::json;
using openapi_docs::ParamDoc;
using openapi_docs::ResponseDoc;
using openapi_docs::RouteDoc;

constexpr std::string_view kSchemaRefPrefix = "#/components/schemas/";

// Removes the whitespace outside strings, so examples written readably in the table
// are served compactly.
std::string minify_json(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false, escaped = false;
  for (char c : text) {
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

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    size_t at = s.find(separator, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

bool is_plain_type(std::string_view t) {
  return t == "integer" || t == "number" || t == "string" || t == "boolean" || t == "object" || t == "array";
}

void write_plain_type(JsonWriter& w, std::string_view t) {
  w.field("type", t);
  if (t == "array") w.key("items").begin_object().end_object();
}

// One leaf of the shape notation: "type", "type?", "$Name", "enum:a|b", "a|b", each
// optionally followed by " // description".
void write_leaf(JsonWriter& w, std::string_view leaf) {
  std::string_view type = leaf, description;
  if (size_t at = leaf.find(" // "); at != std::string_view::npos) {
    type = trim(leaf.substr(0, at), " ");
    description = trim(leaf.substr(at + 4), " ");
  }
  bool nullable = !type.empty() && type.back() == '?';
  if (nullable) type.remove_suffix(1);
  w.begin_object();
  if (!type.empty() && type.front() == '$') {
    std::string ref = std::string(kSchemaRefPrefix) + std::string(type.substr(1));
    if (!nullable && description.empty()) {
      w.field("$ref", ref).end_object();
      return;
    }
    // OpenAPI 3.0 ignores siblings of $ref: wrap it to carry nullable and a description.
    w.key("allOf").begin_array().begin_object().field("$ref", ref).end_object().end_array();
  } else if (type.rfind("enum:", 0) == 0) {
    w.field("type", "string").key("enum").begin_array();
    for (std::string_view v : split(type.substr(5), '|')) w.value(v);
    w.end_array();
  } else if (type.find('|') != std::string_view::npos) {
    w.key("oneOf").begin_array();
    for (std::string_view t : split(type, '|')) {
      if (!is_plain_type(t)) throw std::logic_error("openapi shape: bad type in union: " + std::string(leaf));
      w.begin_object();
      write_plain_type(w, t);
      w.end_object();
    }
    w.end_array();
  } else if (is_plain_type(type)) {
    write_plain_type(w, type);
  } else if (type != "any") {
    throw std::logic_error("openapi shape: unknown type: " + std::string(leaf));
  }
  if (nullable) w.field("nullable", true);
  if (!description.empty()) w.field("description", description);
  w.end_object();
}

void write_shape(JsonWriter& w, const json::value& shape) {
  if (shape.is_string()) return write_leaf(w, shape.get_string());
  if (shape.is_array()) {
    const json::array& items = shape.get_array();
    if (items.size() > 1) throw std::logic_error("openapi shape: an array shape holds one item shape");
    w.begin_object().field("type", "array").key("items");
    if (items.empty()) w.begin_object().end_object();
    else write_shape(w, items[0]);
    return void(w.end_object());
  }
  if (!shape.is_object()) throw std::logic_error("openapi shape: expected an object, array or string");
  const json::object& fields = shape.get_object();
  w.begin_object().field("type", "object");
  if (auto it = fields.find("//"); it != fields.end()) w.field("description", std::string_view(it->value().as_string()));
  std::vector<std::string_view> required;
  bool has_properties = false;
  for (const auto& field : fields) {
    std::string_view key = field.key();
    if (key == "//" || key == "*") continue;
    if (!has_properties) w.key("properties").begin_object();
    has_properties = true;
    if (key.front() == '?') key.remove_prefix(1);
    else required.push_back(key);
    w.key(key);
    write_shape(w, field.value());
  }
  if (has_properties) w.end_object();
  if (auto it = fields.find("*"); it != fields.end()) {
    w.key("additionalProperties");
    write_shape(w, it->value());
  }
  if (!required.empty()) {
    w.key("required").begin_array();
    for (std::string_view key : required) w.value(key);
    w.end_array();
  }
  w.end_object();
}

void write_shape_text(JsonWriter& w, std::string_view text) {
  boost::system::error_code ec;
  json::value shape = json::parse(text, ec);
  if (ec) throw std::logic_error("openapi shape is not JSON: " + std::string(text.substr(0, 80)));
  write_shape(w, shape);
}

const RouteDoc* find_doc(std::string_view method, std::string_view pattern) {
  for (const RouteDoc& doc : openapi_docs::routes())
    if (doc.method == method && doc.pattern == pattern) return &doc;
  return nullptr;
}

const ParamDoc* find_param_doc(const RouteDoc* doc, std::string_view name) {
  if (!doc) return nullptr;
  for (const ParamDoc& p : doc->params)
    if (p.name == name) return &p;
  return nullptr;
}

struct PathParam {
  std::string name;
  bool any_path = false;
};

std::vector<PathParam> path_params(std::string_view pattern) {
  std::vector<PathParam> out;
  for (size_t open = pattern.find('{'); open != std::string_view::npos; open = pattern.find('{', open + 1)) {
    size_t close = pattern.find('}', open);
    std::string_view spec = pattern.substr(open + 1, close - open - 1);
    size_t colon = spec.find(':');
    out.push_back(PathParam{std::string(spec.substr(0, colon)), colon != std::string_view::npos && spec.substr(colon + 1) == "path"});
  }
  return out;
}

std::string operation_id(std::string_view method, std::string_view path) {
  std::string id;
  for (char c : method) id.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  bool underscore = true;
  for (char c : path) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum) {
      if (underscore) id.push_back('_');
      id.push_back(c);
      underscore = false;
    } else {
      underscore = true;
    }
  }
  return path == "/" ? id + "_root" : id;
}

void write_bound(JsonWriter& w, std::string_view key, const Bound& b) {
  if (b.integral) w.field(key, static_cast<int64_t>(b.value));
  else w.field(key, b.value);
}

void write_query_param_schema(JsonWriter& w, const ParamSpec& spec) {
  w.key("schema").begin_object();
  switch (spec.type()) {
    case ParamType::kInt: w.field("type", "integer"); break;
    case ParamType::kFloat: w.field("type", "number"); break;
    case ParamType::kBool: w.field("type", "boolean"); break;
    case ParamType::kString: w.field("type", "string"); break;
  }
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (!std::is_same_v<T, std::monostate>) w.field("default", v);
      },
      spec.default_value());
  if (spec.min()) write_bound(w, "minimum", *spec.min());
  if (spec.max()) write_bound(w, "maximum", *spec.max());
  if (!spec.pattern_text().empty()) {
    w.field("pattern", spec.pattern_text()).key("enum").begin_array();
    for (const std::string& v : spec.allowed()) w.value(v);
    w.end_array();
  }
  w.end_object();
}

void write_parameters(JsonWriter& w, const Router::RouteInfo& route, const RouteDoc* doc) {
  auto in_path = path_params(route.pattern);
  const auto& specs = route.query->specs();
  if (in_path.empty() && specs.empty()) return;
  w.key("parameters").begin_array();
  for (const PathParam& p : in_path) {
    w.begin_object().field("name", p.name).field("in", "path").field("required", true);
    const ParamDoc* pd = find_param_doc(doc, p.name);
    std::string description = pd ? std::string(pd->description) : std::string();
    if (p.any_path)
      description += std::string(description.empty() ? "" : " ") +
                     "Matched as a path: it may contain '/' and may be percent-encoded (%3A for ':').";
    if (!description.empty()) w.field("description", description);
    w.key("schema").begin_object().field("type", "string").end_object();
    if (pd && !pd->example.empty()) w.field("example", pd->example);
    w.end_object();
  }
  for (const ParamSpec& spec : specs) {
    w.begin_object().field("name", spec.name()).field("in", "query").field("required", spec.is_required());
    const ParamDoc* pd = find_param_doc(doc, spec.name());
    if (pd && !pd->description.empty()) w.field("description", pd->description);
    write_query_param_schema(w, spec);
    if (pd && !pd->example.empty()) w.field("example", pd->example);
    w.end_object();
  }
  w.end_array();
}

void write_response(JsonWriter& w, const ResponseDoc& r) {
  w.key(std::to_string(r.status)).begin_object().field("description", r.description);
  if (!r.shape.empty()) {
    w.key("content").begin_object().key(r.content_type).begin_object().key("schema");
    write_shape_text(w, r.shape);
    if (!r.example.empty()) {
      w.key("example");
      if (r.content_type == "application/json") w.raw(minify_json(r.example));
      else w.value(r.example);
    }
    w.end_object().end_object();
  }
  w.end_object();
}

// A query value the parameter rejects, or nullopt when it accepts anything (a free
// string) or rejects only its absence (required: the value is then left out).
std::optional<std::string> rejected_value(const ParamSpec& spec) {
  auto beyond = [](const Bound& b, double step) {
    return b.integral ? std::to_string(static_cast<int64_t>(b.value) + static_cast<int64_t>(step))
                      : format_double(b.value + step / 2);
  };
  if (spec.max()) return beyond(*spec.max(), 1);
  if (spec.min()) return beyond(*spec.min(), -1);
  if (!spec.allowed().empty()) return "bogus";
  switch (spec.type()) {
    case ParamType::kInt:
    case ParamType::kFloat: return "abc";
    case ParamType::kBool: return "maybe";
    case ParamType::kString: return std::nullopt;
  }
  return std::nullopt;
}

bool rejectable(const ParamSpec& spec) { return spec.is_required() || rejected_value(spec).has_value(); }

// The route's real 422 body for its first parameter that can be invalid, made by the
// same validation and error code that answer requests. "" when no parameter can be.
std::string validation_example(const QuerySchema& schema) {
  for (const ParamSpec& spec : schema.specs()) {
    if (!rejectable(spec)) continue;
    QueryPairs query;
    if (auto bad = rejected_value(spec)) query.emplace_back(spec.name(), *bad);
    Params ignored;
    auto issues = schema.parse(query, ignored);
    if (!issues.empty()) return *validation_failed(issues).body;
  }
  return {};
}

void write_operation(JsonWriter& w, const Router::RouteInfo& route, std::string_view path) {
  const RouteDoc* doc = find_doc(route.method, route.pattern);
  std::string method(route.method);
  for (char& c : method) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  w.key(method).begin_object();
  w.key("tags").begin_array().value(doc ? doc->tag : std::string_view("undocumented")).end_array();
  if (doc) w.field("summary", doc->summary);
  if (doc && !doc->description.empty()) w.field("description", doc->description);
  w.field("operationId", operation_id(route.method, path));
  write_parameters(w, route, doc);
  if (doc && doc->admin) {
    w.key("security").begin_array().begin_object().key("adminToken").begin_array().end_array().end_object().end_array();
  }
  std::vector<ResponseDoc> responses;
  if (doc) responses = doc->responses;
  else responses.push_back(ResponseDoc{200, "Undocumented."});
  // Every route with a parameter that can be invalid can answer 422.
  std::string example = validation_example(*route.query);
  bool has_422 = std::any_of(responses.begin(), responses.end(), [](const ResponseDoc& r) { return r.status == 422; });
  if (!has_422 && !example.empty()) {
    responses.push_back(ResponseDoc{422, "A query parameter is invalid: every invalid one is listed (pydantic v2 shape).",
                                    "\"$HTTPValidationError\"", example});
  }
  std::stable_sort(responses.begin(), responses.end(),
                   [](const ResponseDoc& a, const ResponseDoc& b) { return a.status < b.status; });
  w.key("responses").begin_object();
  for (const ResponseDoc& r : responses) write_response(w, r);
  w.end_object();
  w.end_object();
}

}  // namespace

bool can_reject(const ParamSpec& spec) { return rejectable(spec); }

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

std::vector<std::string> undocumented_routes(const std::vector<Router::RouteInfo>& routes) {
  std::vector<std::string> out;
  for (const auto& route : routes)
    if (!find_doc(route.method, route.pattern)) out.push_back(std::string(route.method) + " " + std::string(route.pattern));
  return out;
}

std::string openapi_json(const std::vector<Router::RouteInfo>& routes) {
  JsonWriter w;
  w.begin_object().field("openapi", "3.0.3");
  w.key("info").begin_object().field("title", kApiTitle).field("version", kApiVersion);
  w.field("description", openapi_docs::api_description()).end_object();
  w.key("tags").begin_array();
  for (const auto& tag : openapi_docs::tags())
    w.begin_object().field("name", tag.name).field("description", tag.description).end_object();
  w.end_array();

  // Paths in registration order; the methods of one path together.
  std::vector<std::string> paths;
  for (const auto& route : routes) {
    std::string path = openapi_path(route.pattern);
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
  }
  w.key("paths").begin_object();
  for (const std::string& path : paths) {
    w.key(path).begin_object();
    for (const auto& route : routes)
      if (openapi_path(route.pattern) == path) write_operation(w, route, path);
    w.end_object();
  }
  w.end_object();

  w.key("components").begin_object().key("schemas").begin_object();
  for (const auto& schema : openapi_docs::schemas()) {
    w.key(schema.name);
    write_shape_text(w, schema.shape);
  }
  w.end_object();
  w.key("securitySchemes").begin_object().key("adminToken").begin_object();
  w.field("type", "http").field("scheme", "bearer");
  w.field("description", "The admin token configured on the server (ADMIN_TOKEN); without one DELETE /prune is disabled (403).");
  w.end_object().end_object();
  w.end_object();
  w.end_object();
  return w.take();
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
