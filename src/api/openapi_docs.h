// The hand-written half of the OpenAPI document (openapi.h): per route its tag, summary,
// description, parameter descriptions and documented responses, plus the shared schemas
// and tags. What the Router already knows (paths, query parameter types, defaults,
// bounds, patterns) is never repeated here.
//
// Response shapes use a compact notation, expanded to JSON Schema by openapi.cc:
//   - an object lists its fields in the order they are sent: {"status":"string", ...};
//     a key starting with '?' is optional ("?offline_duration"), the key "*" gives the
//     shape of the other keys ({"*":"integer"} is a map with integer values) and the key
//     "//" describes the object;
//   - an array holds the shape of its items: ["$UnifiedNode"] ([] for any items);
//   - a string is a type: integer, number, string, boolean, object (free-form), array,
//     any, "$Name" (a shared schema), "enum:a|b|c" (a string enum) or "integer|object"
//     (one of several plain types); a trailing '?' adds null ("integer?"), and
//     " // text" after the type describes the field.
// Examples are trimmed real responses (captured from the simulator, docs/API.md has the
// same ones), stored as JSON text and inserted verbatim (minified).
// Internal to api/. Thread-safety: immutable tables built on first use.
#pragma once

#include <string_view>
#include <vector>

namespace pnode::api::openapi_docs {

struct ResponseDoc {
  int status = 200;
  std::string_view description;
  std::string_view shape;        // "" means no body (a 307, say)
  std::string_view example;      // JSON text, "" when none
  std::string_view content_type = "application/json";  // shape and example are JSON text either way
};

struct ParamDoc {
  std::string_view name;
  std::string_view description;
  std::string_view example = {};  // for parameters without a default: what to try
};

struct RouteDoc {
  std::string_view method;
  std::string_view pattern;  // exactly as registered in the Router
  std::string_view tag;
  std::string_view summary;
  std::string_view description;
  std::vector<ParamDoc> params;  // path and query parameters
  std::vector<ResponseDoc> responses;
  bool admin = false;  // needs "Authorization: Bearer <admin token>"
};

struct SchemaDoc {
  std::string_view name;
  std::string_view shape;
};

struct TagDoc {
  std::string_view name;
  std::string_view description;
};

std::string_view api_description();
const std::vector<TagDoc>& tags();
const std::vector<SchemaDoc>& schemas();
const std::vector<RouteDoc>& routes();

}  // namespace pnode::api::openapi_docs
