#include "sim/render.h"

namespace pnode::sim {

void write_pod_with_stats(JsonWriter& w, const LivePod& pod) {
  const NodeSpec& s = *pod.spec;
  w.begin_object();
  w.key("address").value(pod.address());
  w.field("is_public", s.is_public);
  w.field("last_seen_timestamp", pod.last_seen_timestamp);
  w.field("pubkey", s.pubkey);
  w.field("rpc_port", s.rpc_port);
  w.field("storage_committed", s.storage_committed);
  w.field("storage_usage_percent", pod.storage_usage_percent());
  w.field("storage_used", pod.storage_used);
  w.field("uptime", pod.uptime);
  w.key("version").value(pod.version);
  w.end_object();
}

void write_pod_basic(JsonWriter& w, const LivePod& pod) {
  w.begin_object();
  w.key("address").value(pod.address());
  w.field("last_seen_timestamp", pod.last_seen_timestamp);
  w.field("pubkey", pod.spec->pubkey);
  w.key("version").value(pod.version);
  w.end_object();
}

std::string render_stats_result(const prpc::NodeStats& s) {
  JsonWriter w(DoubleStyle::kSerde);
  w.begin_object();
  w.field("active_streams", s.active_streams);
  w.field("cpu_percent", s.cpu_percent);
  w.field("current_index", s.current_index);
  w.field("file_size", s.file_size);
  w.field("last_updated", s.last_updated);
  w.field("packets_received", s.packets_received);
  w.field("packets_sent", s.packets_sent);
  w.field("ram_total", s.ram_total);
  w.field("ram_used", s.ram_used);
  w.field("total_bytes", s.total_bytes);
  w.field("total_pages", s.total_pages);
  w.field("uptime", s.uptime);
  w.end_object();
  return w.take();
}

std::string render_version_result(std::string_view version) {
  JsonWriter w(DoubleStyle::kSerde);
  w.begin_object().key("version").value(version).end_object();
  return w.take();
}

namespace {
constexpr std::string_view kOkHead = "{\"error\":null,\"id\":";
constexpr std::string_view kOkMiddle = ",\"jsonrpc\":\"2.0\",\"result\":";
}  // namespace

void append_envelope_ok_head(std::string& out, std::string_view id_json) {
  out.append(kOkHead).append(id_json).append(kOkMiddle);
}

std::string envelope_ok(std::string_view id_json, std::string_view result_json) {
  std::string out;
  out.reserve(kOkHead.size() + id_json.size() + kOkMiddle.size() + result_json.size() + 1);
  append_envelope_ok_head(out, id_json);
  out.append(result_json).push_back('}');
  return out;
}

std::string envelope_error(std::string_view id_json, int code, std::string_view message) {
  JsonWriter w(DoubleStyle::kSerde);
  w.begin_object();
  w.key("error").begin_object().field("code", code).key("message").value(message).end_object();
  w.key("id").raw(id_json);
  w.key("jsonrpc").value("2.0");
  w.end_object();
  return w.take();
}

}  // namespace pnode::sim
