#include "collect/alert_store.h"

#include <utility>

#include "analysis/monitor_state_codec.h"

namespace pnode::collect {

store::SilenceRecord to_silence_record(const analysis::Silence& s) {
  store::SilenceRecord r;
  r.id = s.id;
  r.address = s.address;
  r.pubkey = s.pubkey;
  if (s.rule) r.rule = analysis::alert_type_name(*s.rule);
  r.starts_at = s.starts_at;
  r.ends_at = s.ends_at;
  r.created_at = s.created_at;
  r.comment = s.comment;
  r.author = s.author;
  return r;
}

analysis::Silence to_silence(const store::SilenceRecord& r) {
  analysis::Silence s;
  s.id = r.id;
  s.address = r.address;
  s.pubkey = r.pubkey;
  if (r.rule) s.rule = analysis::parse_alert_type(*r.rule);
  s.starts_at = r.starts_at;
  s.ends_at = r.ends_at;
  s.created_at = r.created_at;
  s.comment = r.comment;
  s.author = r.author;
  return s;
}

analysis::SilenceSet to_silence_set(const std::vector<store::SilenceRecord>& records) {
  analysis::SilenceSet set;
  for (const auto& r : records)
    if (!r.rule || analysis::parse_alert_type(*r.rule)) set.silences.push_back(to_silence(r));
  return set;
}

void merge_acknowledgements(analysis::AlertStates& states, const std::vector<store::AckRecord>& acks) {
  for (const auto& ack : acks) {
    auto rule = analysis::parse_alert_type(ack.rule);
    if (!rule) continue;
    auto it = states.states.find(analysis::AlertKeyRef{*rule, ack.address});
    if (it == states.states.end()) continue;
    analysis::AlertState& s = it->second;
    if (s.phase == analysis::AlertPhase::kFiring && s.firing_since == ack.firing_since)
      s.acknowledgement = analysis::Acknowledgement{ack.author, ack.comment, ack.at};
  }
}

void mark_silences(analysis::AlertStates& states, const analysis::SilenceSet& silences, int64_t now) {
  for (auto& [key, s] : states.states) {
    if (s.phase != analysis::AlertPhase::kPending && s.phase != analysis::AlertPhase::kFiring) continue;
    const analysis::Silence* silence = silences.matching(s.rule, s.address, s.pubkey, now);
    s.silenced = silence != nullptr;
    s.silence_id = silence ? silence->id : "";
  }
}

Result<analysis::AlertStates> load_served_alert_states(store::Store& store, int64_t now) {
  auto body = store.monitor_state();
  if (!body.ok()) return body.error();
  if (body->empty()) return analysis::AlertStates{};
  auto monitor = analysis::decode_monitor_state(*body);
  if (!monitor.ok()) return monitor.error();
  auto acks = store.acks();
  if (!acks.ok()) return acks.error();
  auto silences = store.silences(now);
  if (!silences.ok()) return silences.error();
  analysis::AlertStates states = std::move(monitor->alerts);
  merge_acknowledgements(states, *acks);
  mark_silences(states, to_silence_set(*silences), now);
  return states;
}

}  // namespace pnode::collect
