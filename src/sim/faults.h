// Faults a simulated seed can be told to show, to exercise the collector's timeouts and
// its handling of broken answers. A fault affects only its seed's /rpc answers (the
// /sim/* control endpoints keep working):
//   slow        answer after delay_ms (default 2000)
//   hang        answer after an hour (http::Response::delay; no thread blocks)
//   http500     HTTP 500 with a plain-text body
//   garbage     HTTP 200 whose body is not JSON (the answer cut in half)
//   wrong_shape HTTP 200, valid envelope, "result" of the wrong type (a string)
//   pre07       a v0.6 node: -32601 for get-pods-with-stats, get-pods works,
//               get-version says "0.6.0"
//   drop        close the connection without answering
//   none        healthy
// Thread-safety: pure functions and plain values.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "util/result.h"

namespace pnode::sim {

enum class FaultKind { kNone, kSlow, kHang, kHttp500, kGarbage, kWrongShape, kPre07, kDrop };

inline constexpr std::chrono::milliseconds kDefaultSlowDelay{2000};
inline constexpr std::chrono::milliseconds kHangDelay{3600 * 1000};

struct Fault {
  FaultKind kind = FaultKind::kNone;
  std::chrono::milliseconds delay{0};  // for kSlow
  bool operator==(const Fault&) const = default;
};

struct SeedFault {
  int seed = 0;
  Fault fault;
};

std::string_view fault_name(FaultKind kind);
std::optional<FaultKind> parse_fault_kind(std::string_view name);
// A fault with its delay defaulted (slow without a delay waits kDefaultSlowDelay).
Fault make_fault(FaultKind kind, std::optional<int64_t> delay_ms = std::nullopt);
// The --fault flag: "seed=<i>:<kind>[:<ms>]", e.g. "seed=2:slow:1500".
Result<SeedFault> parse_fault_spec(std::string_view spec);

}  // namespace pnode::sim
