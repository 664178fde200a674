// Configuration of `pnode-analytics serve`: defaults, then a TOML config file, then
// the environment (the reference's IP_NODES, CACHE_TTL, PORT, plus DATABASE_URL and
// ours), then command-line flags; each later source wins. Empty environment values
// count as unset. Validation errors are messages a user can act on.
// The defaults only ever point at loopback: seeds outside 127.0.0.0/8 are refused unless
// allow_real_network is set (only the example config file does that).
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "util/loopback.h"
#include "util/result.h"

namespace pnode::app {

struct ServeConfig {
  std::vector<HostPort> ip_nodes;  // the seeds to poll
  int cache_ttl = 60;              // seconds: poll interval; online/health threshold is 2x
  std::string bind = "127.0.0.1";
  uint16_t port = 8080;
  std::string database_url;        // sqlite:///absolute/path.db
  bool allow_real_network = false;
  std::string latest_version;      // empty: derive from the network
  std::vector<std::string> cors_origins;
  std::string admin_token;         // empty: DELETE /prune disabled
  int http_threads = 2;
  int retention_days = 30;
  int seed_quorum = 0;  // seeds that must answer for a conclusive cycle; 0 = half, rounded up
  int rpc_connect_timeout_ms = 3000;
  int rpc_total_timeout_ms = 8000;
  std::string log_format = "text";  // or "json"
  std::string web_root;             // built dashboard assets (empty: none)
  std::string store_integrity_check = "quick";  // at start: quick, full or off
  std::string store_open_corrupt = "refuse";    // a damaged database: refuse or read-only
  int store_max_page_count = 0;                 // diagnostic: caps the database in pages (0: no cap)
};

// Applies one setting by its environment-variable name (shared by the config file, the
// environment and the command-line flags).
Status apply_setting(ServeConfig& config, const std::string& name, const std::string& value);
// Defaults: the simulator's seeds, ./data SQLite file, the reference's CORS origins.
ServeConfig default_config();

// The simulator's default seeds: 127.0.0.1:16001..16009.
std::vector<HostPort> default_seeds();
std::string default_database_url();  // sqlite:///<cwd>/data/pnode-analytics.db
std::vector<std::string> default_cors_origins();

// Applies a TOML file's keys (same names as the environment variables, lower case).
Status apply_config_file(ServeConfig& config, const std::string& path);
// Applies the environment variables present in `env` (name -> value).
Status apply_environment(ServeConfig& config, const std::map<std::string, std::string>& env);
// Reads the process environment into a map of the variables we know.
std::map<std::string, std::string> read_environment();
// Final checks (loopback guard, ranges).
Status validate(const ServeConfig& config);
// One line per setting, for the start-up log.
std::string describe(const ServeConfig& config);

// `url` with the password of its "user:password@" part replaced by "***", so logs never
// carry a database password ("postgres://u:***@host/db"); other URLs unchanged.
std::string mask_url_password(const std::string& url);

// "host[:port],host[:port]" -> seeds (default port 6000).
Result<std::vector<HostPort>> parse_ip_nodes(const std::string& text);

}  // namespace pnode::app
