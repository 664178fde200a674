// `pnode-analytics dedupe [--database-url URL] [--apply]`: removes the stale registry
// rows that NAT nodes leave behind, and nothing else (docs/reference-compat.md §8.2, adapted).
//
// Addresses are unique in our schema, so the reference's literal duplicates cannot exist.
// The real duplicates are NAT rows: a node behind a NAT router shows a new ephemeral
// gossip port almost every poll (docs/protocol.md §5.4), so the registry gains one row
// per port for one node. Duplicates are therefore registry rows that share the IP part
// of the address AND the pubkey, where the pubkey is real (not empty, not the address,
// which the collector stores when a node never told its key). In each group the row
// with the newest last_seen is kept (ties: newest last_checked, then the smallest node
// id, i.e. the address seen first); the others are deleted.
// Never touched: rows without a real pubkey, and rows whose address is not exactly
// "IP:port" (e.g. surrounding spaces, a host name, leading zeros, no port), which are
// listed so an operator can look at them. Different pubkeys behind one shared NAT IP are
// different nodes and are kept.
//
// Dry run by default: prints the plan and the summary and changes nothing. With
// --apply the planned rows are deleted in one transaction, each only if it is still
// what was planned (a row a running collector touched meanwhile is kept); then the
// registry is read again to confirm. History rows of deleted addresses are kept, as
// DELETE /prune does: they are real past observations and age out with retention.
// A running server keeps the deleted rows in memory until it restarts; rows it sees
// again are simply written back. Exit codes: 0 done (or nothing to do), 1 on an error
// or when duplicates remain after --apply, 2 on usage errors.
// Thread-safety: plain functions; run_dedupe() uses the store from the calling thread.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace pnode::app {

struct DedupeRow {
  int64_t node_id = 0;
  std::string address;
  std::string pubkey;
  int64_t last_seen = 0;
  int64_t last_checked = 0;
};

// One node's rows: the one kept and the stale ones to delete (newest first).
struct DuplicateGroup {
  std::string ip;
  std::string pubkey;
  DedupeRow kept;
  std::vector<DedupeRow> removed;
};

enum class SkipReason { kNoPubkey, kNotIpPort };

struct SkippedRow {
  DedupeRow row;
  SkipReason reason;
};

struct DedupePlan {
  size_t total_rows = 0;
  std::vector<DuplicateGroup> groups;  // sorted by IP, then pubkey
  std::vector<SkippedRow> skipped;     // rows that are never touched, in address order

  size_t duplicate_rows() const;
  size_t skipped_count(SkipReason reason) const;
  // What delete_registry_rows() gets for --apply.
  std::vector<store::RegistryRowMatch> deletions() const;
};

// The IP of an "IP:port" address ("1.2.3.4:9001" -> "1.2.3.4", "[::1]:9001" -> "::1"),
// or nullopt when the address is anything else.
std::optional<std::string> ip_of_address(const std::string& address);

DedupePlan plan_dedupe(const std::vector<store::StoredRegistryRow>& rows);

// The plan, then the summary. `removed` is how many rows --apply deleted (nullopt for a
// dry run).
std::string format_dedupe_plan(const DedupePlan& plan);
std::string format_dedupe_summary(const DedupePlan& plan, std::optional<int64_t> removed);

// --database-url, else $DATABASE_URL (when set and not empty), else serve's default.
std::string choose_database_url(const std::string& flag_value, const char* environment_value);

// Plans (and with `apply` deletes) on an open store; returns the exit code.
int run_dedupe(store::Store& store, bool apply, std::ostream& out, std::ostream& err);

// The subcommand; argv[0] is "dedupe".
int run_dedupe_command(int argc, char** argv, std::ostream& out, std::ostream& err);
int run_dedupe_command(int argc, char** argv);  // std::cout / std::cerr

}  // namespace pnode::app
