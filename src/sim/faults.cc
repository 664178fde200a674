#include "sim/faults.h"

#include <array>
#include <charconv>
#include <string>
#include <utility>

namespace pnode::sim {
namespace {

constexpr std::array<std::pair<FaultKind, std::string_view>, 8> kNames{{
    {FaultKind::kNone, "none"},
    {FaultKind::kSlow, "slow"},
    {FaultKind::kHang, "hang"},
    {FaultKind::kHttp500, "http500"},
    {FaultKind::kGarbage, "garbage"},
    {FaultKind::kWrongShape, "wrong_shape"},
    {FaultKind::kPre07, "pre07"},
    {FaultKind::kDrop, "drop"},
}};

std::optional<int64_t> parse_int(std::string_view text) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string_view fault_name(FaultKind kind) {
  for (const auto& [k, name] : kNames)
    if (k == kind) return name;
  return "none";
}

std::optional<FaultKind> parse_fault_kind(std::string_view name) {
  for (const auto& [k, n] : kNames)
    if (n == name) return k;
  return std::nullopt;
}

Fault make_fault(FaultKind kind, std::optional<int64_t> delay_ms) {
  Fault f;
  f.kind = kind;
  if (kind == FaultKind::kSlow) f.delay = delay_ms ? std::chrono::milliseconds(*delay_ms) : kDefaultSlowDelay;
  if (kind == FaultKind::kHang) f.delay = kHangDelay;
  return f;
}

Result<SeedFault> parse_fault_spec(std::string_view spec) {
  const std::string usage = "expected seed=<i>:<kind>[:<ms>], got \"" + std::string(spec) + "\"";
  if (!spec.starts_with("seed=")) return make_error(ErrorCode::kInvalidFault, usage);
  spec.remove_prefix(5);
  size_t colon = spec.find(':');
  if (colon == std::string_view::npos) return make_error(ErrorCode::kInvalidFault, usage);
  auto seed = parse_int(spec.substr(0, colon));
  std::string_view rest = spec.substr(colon + 1);
  size_t colon2 = rest.find(':');
  std::string_view kind_text = rest.substr(0, colon2);
  auto kind = parse_fault_kind(kind_text);
  std::optional<int64_t> delay;
  if (colon2 != std::string_view::npos) {
    delay = parse_int(rest.substr(colon2 + 1));
    if (!delay || *delay < 0)
      return make_error(ErrorCode::kInvalidFault, "invalid delay in \"" + std::string(spec) + "\"");
  }
  if (!seed || *seed < 0) return make_error(ErrorCode::kInvalidFault, usage);
  if (!kind) {
    return make_error(ErrorCode::kInvalidFault,
                      "unknown fault \"" + std::string(kind_text) +
                          "\" (none, slow, hang, http500, garbage, wrong_shape, pre07, drop)");
  }
  return SeedFault{static_cast<int>(*seed), make_fault(*kind, delay)};
}

}  // namespace pnode::sim
