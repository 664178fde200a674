#include "api/errors.h"

#include "util/json_writer.h"

namespace pnode::api {

http::Response json_response(int status, std::string body) { return http::Response::json(status, std::move(body)); }

http::Response not_found() { return json_response(404, R"({"detail":"Not Found"})"); }

http::Response method_not_allowed(std::string_view allow) {
  http::Response r = json_response(405, R"({"detail":"Method Not Allowed"})");
  r.headers.emplace_back("allow", std::string(allow));
  return r;
}

http::Response validation_failed(const std::vector<rest::ValidationIssue>& issues) {
  JsonWriter w;
  w.begin_object().key("detail").begin_array();
  for (const rest::ValidationIssue& i : issues) {
    w.begin_object();
    w.field("type", i.type);
    w.key("loc").begin_array().value("query").value(i.param).end_array();
    w.field("msg", i.msg);
    w.field("input", i.input);
    if (!i.ctx_key.empty()) w.key("ctx").begin_object().key(i.ctx_key).raw(i.ctx_json).end_object();
    w.end_object();
  }
  w.end_array().end_object();
  return json_response(422, w.take());
}

http::Response jsonrpc_error(int status, std::string_view message) {
  JsonWriter w;
  w.begin_object().field("jsonrpc", "2.0");
  w.key("error").begin_object().field("code", -32603).field("message", message).end_object();
  w.field("id", 1).end_object();
  return json_response(status, w.take());
}

http::Response snapshot_unavailable() { return jsonrpc_error(503, "Snapshot not available"); }

http::Response internal_error() { return http::Response::text(500, "Internal Server Error"); }

rest::RouterErrors reference_router_errors() {
  rest::RouterErrors e;
  e.not_found = [] { return not_found(); };
  e.method_not_allowed = [](std::string_view allow) { return method_not_allowed(allow); };
  e.invalid_query = [](const std::vector<rest::ValidationIssue>& issues) { return validation_failed(issues); };
  return e;
}

}  // namespace pnode::api
