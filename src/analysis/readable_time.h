// Human-readable UTC times for API fields such as `last_drop_readable` and
// `start_time_readable`: "YYYY-MM-DD HH:MM:SS UTC". The reference printed some of these in
// server local time; we always use UTC and say so (docs/reference-compat.md §9.24).
// Thread-safety: pure function (no clock, no locale, no libc time state).
#pragma once

#include <cstdint>
#include <string>

namespace pnode::analysis {

// 1703001234 -> "2023-12-19 15:53:54 UTC". Works for times before 1970 as well.
std::string utc_readable(int64_t unix_seconds);

}  // namespace pnode::analysis
