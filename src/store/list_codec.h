// How both backends store a registry entry's string lists in one text column:
// comma-separated. Source IPs are configured seeds, where a comma cannot occur, so a list
// with one is refused rather than stored corrupt; previous addresses come from the
// network, so one with a comma is left out rather than failing the cycle.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pnode::store {

// nullopt when an entry is empty or holds the separator.
std::optional<std::string> join_source_ips(const std::vector<std::string>& ips);
// Entries that are empty or hold the separator are left out.
std::string join_addresses(const std::vector<std::string>& addresses);
// The list back ("" gives an empty list).
std::vector<std::string> split_list(std::string_view text);

}  // namespace pnode::store
