// Reading recorded get-pods-with-stats answers (testdata/prpc, docs/protocol.md §7) for
// replay mode, with Boost.JSON. Accepts the full JSON-RPC envelope, a bare result object
// {"pods":[...]} or a bare array of pods. Converting rows to NodeSpecs applies the
// address rewrite (address_map.h) and measures each row's age from the newest
// last_seen_timestamp of the capture.
// Thread-safety: pure functions (the AddressMap argument is the caller's).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "prpc/types.h"
#include "sim/address_map.h"
#include "sim/node_spec.h"
#include "util/result.h"

namespace pnode::sim {

// The captured rows, with their real addresses.
Result<std::vector<prpc::Pod>> parse_capture(std::string_view json);
Result<std::vector<prpc::Pod>> load_capture_file(const std::string& path);

// The rows as NodeSpecs: addresses rewritten through `map` (IPs first seen get the next
// indices), ages measured from the newest last_seen_timestamp. A row whose IP already
// appeared earlier in the same capture is dropped (one row per IP, as gossip keeps).
// Rows with an unparsable address are dropped too.
Generation specs_from_capture(const std::vector<prpc::Pod>& pods, AddressMap& map);

}  // namespace pnode::sim
