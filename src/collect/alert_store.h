// The alert lifecycle's shared state between the store's records and the lifecycle's
// values (docs/events.md, "Silences and acknowledgements"): silences and
// acknowledgements are written by the API of any instance and kept in the store; the
// collector applies them every cycle, and the API merges them into the states it serves,
// so every instance shows and applies the same.
// Thread-safety: pure functions, except load_served_alert_states(), which reads the given
// Store (safe from any thread).
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/alert_lifecycle.h"
#include "store/store.h"
#include "util/result.h"

namespace pnode::collect {

store::SilenceRecord to_silence_record(const analysis::Silence& silence);
// The stored silences as a SilenceSet (a record naming an unknown rule is skipped: it
// cannot match any alert).
analysis::SilenceSet to_silence_set(const std::vector<store::SilenceRecord>& records);
analysis::Silence to_silence(const store::SilenceRecord& record);

// Acknowledges each firing state an acknowledgement names by (rule, address,
// firing_since); an acknowledgement of an earlier firing (the alert resolved since) is
// ignored.
void merge_acknowledgements(analysis::AlertStates& states, const std::vector<store::AckRecord>& acks);
// Marks each pending and firing state silenced (or not) as `silences` say at `now`, so a
// silence made since the latest cycle shows at once.
void mark_silences(analysis::AlertStates& states, const analysis::SilenceSet& silences, int64_t now);

// The states as every instance serves them: the stored monitor state's alerts with the
// stored acknowledgements merged and the silences active at `now` marked. Empty when
// nothing is stored yet.
Result<analysis::AlertStates> load_served_alert_states(store::Store& store, int64_t now);

}  // namespace pnode::collect
