// The stored form of MonitorState (alert_lifecycle.h): what the collector keeps between
// attempts - each seed's reachability and every pending, firing and recently resolved
// alert state - as one compact JSON document, written with every cycle (and with an
// inconclusive attempt's events) so a restarted or newly leading instance continues the
// lifecycle instead of starting it over (docs/events.md, "Restarts and followers").
// Format: {"v":1,"seeds":{seed:[reachable,since]},"alerts":[[...fields in a fixed order]]}.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "analysis/alert_lifecycle.h"
#include "util/result.h"

namespace pnode::analysis {

std::string encode_monitor_state(const MonitorState& state);
// Refuses (kind "corrupt", saying what is wrong) a document of another format version, of
// the wrong shape, or whose alert states AlertStates::restore() refuses.
Result<MonitorState> decode_monitor_state(std::string_view encoded);

}  // namespace pnode::analysis
