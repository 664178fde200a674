#include "analysis/monitor_state_codec.h"

#include <simdjson.h>

#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "util/json_writer.h"

namespace pnode::analysis {
namespace {

namespace dom = simdjson::dom;

constexpr int64_t kFormatVersion = 1;

// Thrown (and caught in decode_monitor_state) when the document has the wrong shape.
struct Malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---- encoding --------------------------------------------------------------------------

// An AlertValue keeps its alternative: ["i", 5], ["d", 95.5] or ["s", "0.7.0"].
void write_value(JsonWriter& w, const AlertValue& value) {
  w.begin_array();
  if (const auto* i = std::get_if<int64_t>(&value)) w.value("i").value(*i);
  else if (const auto* d = std::get_if<double>(&value)) w.value("d").value(*d);
  else w.value("s").value(std::get<std::string>(value));
  w.end_array();
}

// The order here is the format: read_state() reads the same positions.
void write_state(JsonWriter& w, const AlertState& s) {
  w.begin_array()
      .value(alert_type_name(s.rule))
      .value(s.address)
      .value(s.pubkey)
      .value(alert_phase_name(s.phase))
      .value(s.cycles_held)
      .value(s.active_since)
      .value(s.firing_since)
      .value(s.resolved_at)
      .value(s.last_cycle)
      .value(s.silenced)
      .value(s.silence_id)
      .value(severity_name(s.alert.severity))
      .value(s.alert.message)
      .value(s.alert.metric);
  write_value(w, s.alert.value);
  write_value(w, s.alert.threshold);
  w.value(s.alert.recommendation).value(s.alert.last_seen);
  if (s.acknowledgement)
    w.begin_array().value(s.acknowledgement->author).value(s.acknowledgement->comment).value(s.acknowledgement->at).end_array();
  else
    w.null();
  w.end_array();
}

// ---- decoding --------------------------------------------------------------------------

std::string text(dom::element e) { return std::string(std::string_view(e)); }

AlertValue read_value(dom::element e) {
  dom::array a = e;
  if (a.size() != 2) throw Malformed("an alert value is not [kind, value]");
  const std::string_view kind = a.at(0);
  if (kind == "i") return int64_t(a.at(1));
  if (kind == "d") return a.at(1).is_null() ? std::numeric_limits<double>::quiet_NaN() : double(a.at(1));
  if (kind == "s") return text(a.at(1));
  throw Malformed("unknown alert value kind \"" + std::string(kind) + "\"");
}

template <class T, class Parse>
T parse_name(dom::element e, Parse parse, const char* what) {
  const std::string_view name = e;
  auto parsed = parse(name);
  if (!parsed) throw Malformed(std::string("unknown ") + what + " \"" + std::string(name) + "\"");
  return *parsed;
}

constexpr size_t kStateFields = 19;

AlertState read_state(dom::element e) {
  dom::array a = e;
  if (a.size() != kStateFields) throw Malformed("an alert state has " + std::to_string(a.size()) + " fields");
  AlertState s;
  s.rule = parse_name<AlertType>(a.at(0), parse_alert_type, "alert rule");
  s.address = text(a.at(1));
  s.pubkey = text(a.at(2));
  s.phase = parse_name<AlertPhase>(a.at(3), parse_alert_phase, "alert state");
  s.cycles_held = int64_t(a.at(4));
  s.active_since = int64_t(a.at(5));
  s.firing_since = int64_t(a.at(6));
  s.resolved_at = int64_t(a.at(7));
  s.last_cycle = uint64_t(a.at(8));
  s.silenced = bool(a.at(9));
  s.silence_id = text(a.at(10));
  s.alert.type = s.rule;
  s.alert.severity = parse_name<Severity>(a.at(11), parse_severity, "severity");
  s.alert.message = text(a.at(12));
  s.alert.metric = lasting_alert_text(std::string_view(a.at(13)));
  s.alert.value = read_value(a.at(14));
  s.alert.threshold = read_value(a.at(15));
  s.alert.recommendation = lasting_alert_text(std::string_view(a.at(16)));
  if (!a.at(17).is_null()) s.alert.last_seen = int64_t(a.at(17));
  if (!a.at(18).is_null()) {
    dom::array ack = a.at(18);
    if (ack.size() != 3) throw Malformed("an acknowledgement is not [author, comment, at]");
    s.acknowledgement = Acknowledgement{text(ack.at(0)), text(ack.at(1)), int64_t(ack.at(2))};
  }
  return s;
}

Error corrupt(std::string_view detail) {
  return make_error(ErrorCode::kCorrupt, "stored alert states are unreadable: " + std::string(detail));
}

}  // namespace

std::string encode_monitor_state(const MonitorState& state) {
  JsonWriter w;
  w.begin_object().field("v", kFormatVersion);
  w.key("seeds").begin_object();
  for (const auto& [seed, s] : state.seeds.seeds) w.key(seed).begin_array().value(s.reachable).value(s.since).end_array();
  w.end_object();
  w.key("alerts").begin_array();
  for (const auto& [key, s] : state.alerts.states) write_state(w, s);
  w.end_array().end_object();
  return w.take();
}

Result<MonitorState> decode_monitor_state(std::string_view encoded) {
  dom::parser parser;
  simdjson::padded_string padded(encoded);
  dom::element root;
  if (auto err = parser.parse(padded).get(root)) return corrupt(simdjson::error_message(err));
  MonitorState out;
  std::vector<AlertState> records;
  try {
    dom::object o = root;
    const int64_t version = int64_t(o["v"]);
    if (version != kFormatVersion)
      return corrupt("format version " + std::to_string(version) + " is not supported (this build reads " +
                     std::to_string(kFormatVersion) + ")");
    for (auto [seed, value] : dom::object(o["seeds"])) {
      dom::array pair = value;
      if (pair.size() != 2) throw Malformed("a seed state is not [reachable, since]");
      out.seeds.seeds[std::string(seed)] = SeedState{bool(pair.at(0)), int64_t(pair.at(1))};
    }
    for (dom::element e : dom::array(o["alerts"])) records.push_back(read_state(e));
  } catch (const simdjson::simdjson_error& e) {
    return corrupt(e.what());
  } catch (const Malformed& e) {
    return corrupt(e.what());
  }
  auto alerts = AlertStates::restore(std::move(records));
  if (!alerts.ok()) return corrupt(alerts.error().message);
  out.alerts = std::move(*alerts);
  return out;
}

}  // namespace pnode::analysis
