// Version strings as pNodes report them ("0.8.0", "0.7.0-trynet.20251208141952.3b3bb24",
// "unknown", "1.0.0"), how far one is behind another, and which version the network has
// converged on. The "latest" version is derived from what online nodes run, never
// hard-coded: the highest plain release run by at least kMeaningfulShare of the online
// nodes that report a parsable version (an operator override wins).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace pnode::analysis {

struct SemVer {
  int major = 0;
  int minor = 0;
  int patch = 0;
  std::string suffix;  // "-trynet.2025…" etc.; empty for plain releases

  auto core() const { return std::tie(major, minor, patch); }
};

std::optional<SemVer> parse_version(std::string_view text);

// How many release lines `version` is behind `latest`: 0 when on the same major.minor
// (or newer), the minor difference within one major, and 2 ("very old") for an older
// major. Unparsable versions are nullopt. Suffixed builds count as their core version.
std::optional<int> version_gap(std::string_view version, std::string_view latest);

inline constexpr double kMeaningfulShare = 0.10;

// The highest plain release run by at least kMeaningfulShare of the online versions
// given (one entry per online node); falls back to the most common plain release, then
// to "unknown" when nothing parses. `override_version` wins when non-empty.
std::string derive_latest_version(const std::vector<std::string_view>& online_versions,
                                  std::string_view override_version = {});

}  // namespace pnode::analysis
