// The dedupe subcommand: plan, print, apply, re-check. See dedupe.h.
#include "app/dedupe.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <tuple>

#include "analysis/readable_time.h"
#include "app/config.h"
#include "util/loopback.h"

namespace pnode::app {
namespace {

// Unknown rows are listed one by one up to this many, then counted.
constexpr size_t kMaxListedSkips = 20;

DedupeRow row_of(const store::StoredRegistryRow& r) {
  return DedupeRow{r.node_id, r.entry.address, r.entry.pubkey, r.entry.last_seen, r.entry.last_checked};
}

// The row to keep sorts first: newest last_seen, then newest last_checked, then the
// smallest node id (the address seen first), which makes the choice deterministic.
bool keep_before(const DedupeRow& a, const DedupeRow& b) {
  return std::tuple(-a.last_seen, -a.last_checked, a.node_id) < std::tuple(-b.last_seen, -b.last_checked, b.node_id);
}

bool is_ipv6_literal(std::string_view host) {
  return host.find(':') != std::string_view::npos &&
         std::all_of(host.begin(), host.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; });
}

std::string seen_text(int64_t unix_seconds) {
  return analysis::utc_readable(unix_seconds) + " (" + std::to_string(unix_seconds) + ")";
}

Status check_database_exists(const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (!std::string_view(url).starts_with(kSqlite)) return ok_status();  // open_store() judges other URLs
  const std::string path = url.substr(kSqlite.size());
  std::error_code ec;
  if (!path.empty() && !std::filesystem::exists(path, ec)) {
    // open_store() would create an empty database: that is never what dedupe wants.
    return make_error(
        ErrorCode::kCannotOpen,
        "no database at " + path + " (run dedupe where serve runs, or pass --database-url / DATABASE_URL)");
  }
  return ok_status();
}

}  // namespace

std::optional<std::string> ip_of_address(const std::string& address) {
  auto parsed = parse_host_port(address, 0);
  if (!parsed.ok() || parsed->port == 0) return std::nullopt;  // port 0 here means none was given
  const std::string& host = parsed->host;
  if (auto ip = parse_ipv4(host)) {
    // Only the canonical form: "01.2.3.4" is not what a node gossips, so it is not ours to judge.
    if (format_ipv4(*ip) != host) return std::nullopt;
    return host;
  }
  if (address.starts_with('[') && is_ipv6_literal(host)) return host;
  return std::nullopt;
}

size_t DedupePlan::duplicate_rows() const {
  size_t n = 0;
  for (const auto& g : groups) n += g.removed.size();
  return n;
}

size_t DedupePlan::skipped_count(SkipReason reason) const {
  return static_cast<size_t>(
      std::count_if(skipped.begin(), skipped.end(), [&](const SkippedRow& s) { return s.reason == reason; }));
}

std::vector<store::RegistryRowMatch> DedupePlan::deletions() const {
  std::vector<store::RegistryRowMatch> out;
  for (const auto& g : groups)
    for (const auto& r : g.removed) out.push_back({r.address, r.pubkey, r.last_seen, r.last_checked});
  return out;
}

DedupePlan plan_dedupe(const std::vector<store::StoredRegistryRow>& rows) {
  DedupePlan plan;
  plan.total_rows = rows.size();
  std::map<std::pair<std::string, std::string>, std::vector<DedupeRow>> by_node;  // (ip, pubkey), sorted
  for (const auto& stored : rows) {
    DedupeRow row = row_of(stored);
    if (row.pubkey.empty() || row.pubkey == row.address) {
      plan.skipped.push_back({std::move(row), SkipReason::kNoPubkey});
      continue;
    }
    std::optional<std::string> ip = ip_of_address(row.address);
    if (!ip) {
      plan.skipped.push_back({std::move(row), SkipReason::kNotIpPort});
      continue;
    }
    by_node[{*ip, row.pubkey}].push_back(std::move(row));
  }
  for (auto& [key, group_rows] : by_node) {
    if (group_rows.size() < 2) continue;
    std::sort(group_rows.begin(), group_rows.end(), keep_before);
    DuplicateGroup g;
    g.ip = key.first;
    g.pubkey = key.second;
    g.kept = group_rows.front();
    g.removed.assign(group_rows.begin() + 1, group_rows.end());
    plan.groups.push_back(std::move(g));
  }
  std::sort(plan.skipped.begin(), plan.skipped.end(),
            [](const SkippedRow& a, const SkippedRow& b) { return a.row.address < b.row.address; });
  return plan;
}

std::string format_dedupe_plan(const DedupePlan& plan) {
  std::string out;
  if (plan.groups.empty()) {
    out += "No duplicate rows: no node has more than one row at the same IP.\n";
  }
  for (const auto& g : plan.groups) {
    out += fmt::format("Node {} at {}: {} rows\n", g.pubkey, g.ip, g.removed.size() + 1);
    out += fmt::format("  keep    {:<24} last_seen {}\n", g.kept.address, seen_text(g.kept.last_seen));
    for (const auto& r : g.removed)
      out += fmt::format("  delete  {:<24} last_seen {}\n", r.address, seen_text(r.last_seen));
  }
  // Rows without a pubkey are ordinary (nodes that never told it); odd addresses are
  // worth a look, so those are listed.
  std::vector<const SkippedRow*> odd;
  for (const auto& s : plan.skipped)
    if (s.reason == SkipReason::kNotIpPort) odd.push_back(&s);
  if (!odd.empty()) {
    out += "Rows whose address is not IP:port (never touched; look at them yourself):\n";
    for (size_t i = 0; i < odd.size() && i < kMaxListedSkips; ++i) {
      out += fmt::format("  \"{}\"  pubkey {}  last_seen {}\n", odd[i]->row.address, odd[i]->row.pubkey,
                         seen_text(odd[i]->row.last_seen));
    }
    if (odd.size() > kMaxListedSkips) out += fmt::format("  ... and {} more\n", odd.size() - kMaxListedSkips);
  }
  return out;
}

std::string format_dedupe_summary(const DedupePlan& plan, std::optional<int64_t> removed) {
  const size_t found = plan.duplicate_rows();
  std::string out = "Summary\n";
  out += fmt::format("  Total registry rows:     {}\n", plan.total_rows);
  out += fmt::format("  Duplicate rows found:    {} (of {} {})\n", found, plan.groups.size(),
                     plan.groups.size() == 1 ? "node" : "nodes");
  if (removed) {
    out += fmt::format("  Duplicate rows removed:  {}\n", *removed);
    out += fmt::format("  Rows left:               {}\n", plan.total_rows - static_cast<size_t>(*removed));
  } else {
    out += fmt::format("  Duplicate rows removed:  0 (dry run: pass --apply to delete them)\n");
    out += fmt::format("  Rows left after --apply: {}\n", plan.total_rows - found);
  }
  out += fmt::format("  Not touched:             {} ({} without a pubkey, {} whose address is not IP:port)\n",
                     plan.skipped.size(), plan.skipped_count(SkipReason::kNoPubkey), plan.skipped_count(SkipReason::kNotIpPort));
  return out;
}

std::string choose_database_url(const std::string& flag_value, const char* environment_value) {
  if (!flag_value.empty()) return flag_value;
  if (environment_value != nullptr && *environment_value != '\0') return environment_value;
  return default_database_url();
}

int run_dedupe(store::Store& store, bool apply, std::ostream& out, std::ostream& err) {
  auto rows = store.registry_rows();
  if (!rows.ok()) {
    err << "pnode-analytics dedupe: " << rows.error().message << "\n";
    return 1;
  }
  const DedupePlan plan = plan_dedupe(*rows);
  out << (apply ? "Mode: apply (the rows marked \"delete\" are deleted in one transaction)\n"
                : "Mode: dry run (nothing is changed; pass --apply to delete the rows marked \"delete\")\n");
  out << format_dedupe_plan(plan);
  if (!apply || plan.groups.empty()) {
    out << format_dedupe_summary(plan, apply ? std::optional<int64_t>(0) : std::nullopt);
    return 0;
  }

  auto deleted = store.delete_registry_rows(plan.deletions());
  if (!deleted.ok()) {
    err << "pnode-analytics dedupe: nothing was deleted: " << deleted.error().message << "\n";
    return 1;
  }
  const int64_t planned = static_cast<int64_t>(plan.duplicate_rows());
  out << "Deleted " << *deleted << " of " << planned << " planned rows (their history is kept).\n";
  if (*deleted < planned) {
    out << (planned - *deleted)
        << " planned rows changed since they were read (is serve running?) and were kept.\n";
  }
  // Re-check, as the reference did, from what is stored now.
  auto after = store.registry_rows();
  if (!after.ok()) {
    err << "pnode-analytics dedupe: re-reading the registry: " << after.error().message << "\n";
    return 1;
  }
  const size_t remaining = plan_dedupe(*after).duplicate_rows();
  out << format_dedupe_summary(plan, *deleted);
  if (remaining > 0) {
    out << "Re-check: " << remaining << " duplicate rows remain; run dedupe again (stop serve first if it keeps "
        << "changing them).\n";
    return 1;
  }
  out << "Re-check: no duplicate rows left.\n";
  return 0;
}

int run_dedupe_command(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App cli{"pnode-analytics dedupe: find the stale registry rows of NAT nodes (same pubkey at the same IP, "
               "another gossip port) and, with --apply, delete all but the newest of each node. Rows without a "
               "pubkey or with an address that is not IP:port are never touched; history rows are kept. A running "
               "serve keeps deleted rows in memory until it restarts.\n"
               "Exit codes: 0 done (or nothing to do), 1 error or duplicates left after --apply, 2 usage error."};
  cli.name("pnode-analytics dedupe");
  std::string url_flag;
  bool apply = false;
  cli.add_option("--database-url", url_flag,
                 "sqlite:///absolute/path.db (default: $DATABASE_URL, else ./data/pnode-analytics.db, as serve)");
  cli.add_flag("--apply", apply, "delete the duplicate rows (default: a dry run that changes nothing)");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e, out, err);
    return code == 0 ? 0 : 2;
  }

  const std::string url = choose_database_url(url_flag, std::getenv("DATABASE_URL"));
  if (auto st = check_database_exists(url); !st.ok()) {
    err << "pnode-analytics dedupe: " << st.error().message << "\n";
    return 1;
  }
  auto store = store::open_store(url);
  if (!store.ok()) {
    err << "pnode-analytics dedupe: " << store.error().message << "\n";
    return 1;
  }
  // Only a file path is shown: other URLs may carry credentials.
  if (url.starts_with("sqlite://")) out << "Database: " << url << "\n";
  return run_dedupe(**store, apply, out, err);
}

int run_dedupe_command(int argc, char** argv) { return run_dedupe_command(argc, argv, std::cout, std::cerr); }

}  // namespace pnode::app
