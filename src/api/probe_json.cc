#include "api/probe_json.h"

#include <map>

namespace pnode::api {
namespace {

void write_optional_text(JsonWriter& w, std::string_view key, const std::string& text) {
  w.key(key);
  text.empty() ? w.null() : w.value(text);
}

void write_probe_stats(JsonWriter& w, const model::NodeStats& s) {
  w.begin_object();
  w.field("cpu_percent", s.cpu_percent);
  w.field("ram_used", s.ram_used);
  w.field("ram_total", s.ram_total);
  w.field("active_streams", s.active_streams);
  w.field("packets_received", s.packets_received);
  w.field("packets_sent", s.packets_sent);
  w.field("file_size", s.file_size);
  w.field("uptime", s.uptime);
  w.end_object();
}

}  // namespace

void write_pod_probe(JsonWriter& w, const model::PodProbe& p, uint64_t round) {
  w.begin_object();
  w.field("reachable", p.reachable);
  write_optional_text(w, "failure", p.failure);
  write_optional_text(w, "detail", p.detail);
  w.field("endpoint", p.endpoint);
  w.field("connect_ms", p.connect_ms).field("total_ms", p.total_ms);
  w.field("version", p.version);
  w.key("stats");
  if (p.stats)
    write_probe_stats(w, *p.stats);
  else
    w.null();
  write_optional_text(w, "stats_failure", p.stats_failure);
  w.field("pods_listed", static_cast<uint64_t>(p.pods_listed));
  w.field("discovered", p.discovered);
  w.field("probed_at", p.probed_at);
  w.field("round", round);
  w.end_object();
}

void write_node_probe_field(JsonWriter& w, const std::string& address, const model::Snapshot& snapshot) {
  if (!snapshot.probe) return;
  w.key("probe");
  const model::PodProbe* probe = snapshot.probe->find(address);
  if (probe)
    write_pod_probe(w, *probe, snapshot.probe->round);
  else
    w.null();
}

void write_availability_state(JsonWriter& w, const model::PodAvailability* a) {
  w.key("state");
  if (a && a->up_since)
    w.value("up");
  else if (a && a->down_since)
    w.value("down");
  else
    w.null();
}

void write_node_availability_field(JsonWriter& w, const std::string& address, const model::Snapshot& snapshot) {
  if (!snapshot.availability) return;
  w.key("availability");
  const model::PodAvailability* a = snapshot.availability->find(address);
  if (!a) {
    w.null();
    return;
  }
  w.begin_object();
  write_availability_state(w, a);
  w.field("uptime_24h", a->uptime_24h).field("uptime_7d", a->uptime_7d).field("uptime_30d", a->uptime_30d);
  w.field("up_since", a->up_since).field("down_since", a->down_since);
  w.field("latency_p95_ms", a->latency_p95_ms);
  w.end_object();
}

std::string probe_coverage_text(const model::ProbeRound* round) {
  if (!round) return "no probe round has finished yet";
  return "probed " + std::to_string(round->probed) + " of " + std::to_string(round->public_pods) +
         " public pods, " + std::to_string(round->answered) + " answered";
}

BodyTemplate network_probe_body(const model::Snapshot& snapshot) {
  const model::ProbeRound* round = snapshot.probe.get();
  BodyTemplate body;
  JsonWriter& w = body.writer();
  w.begin_object();
  w.field("coverage", probe_coverage_text(round));
  w.key("round");
  round ? w.value(round->round) : w.null();
  w.field("public_pods", static_cast<uint64_t>(round ? round->public_pods : 0));
  w.field("probed", static_cast<uint64_t>(round ? round->probed : 0));
  w.field("answered", static_cast<uint64_t>(round ? round->answered : 0));
  w.field("unreachable", static_cast<uint64_t>(round ? round->probed - round->answered : 0));
  w.field("denied", static_cast<uint64_t>(round ? round->denied : 0));
  w.field("discovered_next", static_cast<uint64_t>(round ? round->discovered_next : 0));
  w.key("failures").begin_object();
  if (round) {
    std::map<std::string, uint64_t> failures;  // sorted by kind
    for (const auto& r : round->results)
      if (!r.failure.empty()) ++failures[r.failure];
    for (const auto& [kind, count] : failures) w.field(kind, count);
  }
  w.end_object();
  w.key("started_at");
  round ? w.value(round->started_at) : w.null();
  w.key("finished_at");
  round ? w.value(round->finished_at) : w.null();
  w.key("duration_ms");
  round ? w.value(round->duration_ms) : w.null();
  w.field("concurrency", static_cast<uint64_t>(round ? round->concurrency : 0));
  w.key("timestamp");
  body.hole(0);
  w.end_object();
  return std::move(body.finish());
}

}  // namespace pnode::api
