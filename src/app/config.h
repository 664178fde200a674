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

#include "analysis/alert_lifecycle.h"
#include "app/notify_config.h"
#include "rest/client_rate_limit.h"
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
  int seed_deadline_ms = 0;        // all of one seed's calls in a cycle; 0 = RPC_TIMEOUT_MS
  int registry_max_nodes = 100000;  // registry cap: the longest-offline entries make room
  int new_nodes_per_seed = 1000;    // per cycle, nodes one seed alone may add to the registry
  std::string log_format = "text";  // or "json"
  std::string web_root;             // built dashboard assets (empty: none)

  // Limits on clients (README "Limits"). 0 for http_max_connections: derived from the
  // descriptor limit (http::default_max_connections).
  int http_max_connections = 0;
  int http_idle_timeout = 30;         // s a connection may wait for its next request
  int http_request_timeout = 10;      // s a request's head (then body) may take to arrive
  int http_max_header_bytes = 16 * 1024;
  int http_max_url_length = 8 * 1024;
  int http_max_body_bytes = 1 << 20;
  int ws_max_clients = 1000;
  int ws_max_queue = 16;              // messages queued per WebSocket client
  double rate_limit_rps = 20;         // per client IP; 0: no limit
  int rate_limit_burst = 100;
  bool rate_limit_loopback = false;   // loopback clients are exempt unless set
  int rate_limit_max_clients = 10000; // client buckets tracked at once
  std::vector<std::string> api_keys;  // "<sha256 hex>[:<rps>[:<burst>]]" entries
  std::string api_keys_file;          // a file of such entries, one per line
  int admin_max_failures = 5;         // wrong admin tokens per client before 429 (one more a minute)
  int access_log_max_lines = 100;     // per second; 0: every line
  std::string store_integrity_check = "quick";  // at start: quick, full or off
  std::string store_open_corrupt = "refuse";    // a damaged database: refuse or read-only
  int store_max_page_count = 0;                 // diagnostic: caps the database in pages (0: no cap)
  int follower_poll_ms = 3000;  // a follower reads the latest stored cycle this often (besides notices)
  // The collector lease among instances sharing a PostgreSQL store: its length on the
  // server's clock; it is renewed every third of it (README "Running several instances").
  int collector_lease_ms = 15000;
  // nats://host:port: every event is published to NATS JetStream (empty: no broker).
  std::string nats_url;
  // The offline location database (libloc) for countries and ASNs; empty: no geography.
  std::string geo_database = "/usr/share/libloc-location/location.db";
  // The pod-credits sources (http:// or https://; empty: not read) and their rule.
  std::string credits_mainnet_url, credits_devnet_url;
  int credits_interval = 300;          // seconds between reads
  int credits_percentile = 95;         // of the network's credits (nearest rank)
  int credits_fraction_percent = 80;   // of that percentile, needed to be eligible
  // The prober (collect/prober.h): every public pod asked directly, beside the cycle.
  bool probe_enabled = true;
  int probe_concurrency = 32;           // pods probed at once
  int probe_connect_timeout_ms = 2000;  // each call's TCP connect
  int probe_timeout_ms = 5000;          // one pod's calls together
  std::string probe_allow;              // CIDR networks the prober may dial (empty: any; loopback guard applies)
  std::string probe_deny;               // CIDR networks it never dials (wins over allow)
  int probe_max_discovered = 10000;     // pods learnt from pods' lists, probed next round
  // Availability from probes (analysis/availability.h) and probe history.
  int availability_down_after = 2;      // failed probes in a row that make an up pod down
  int availability_max_gap = 600;       // seconds without a probe that end a pod's session (unknown)
  int probe_history_days = 7;           // probe history kept (sessions and credits: RETENTION_DAYS)
  // The alert rules ([alerts.<rule>] in the file; ALERTS_<RULE>_{ENABLED,FOR,THRESHOLD}).
  analysis::RuleSet alert_rules = analysis::RuleSet::defaults();
  // Who is told what ([[notify.subscription]] in the file only; app/notify_config.h).
  std::vector<Subscription> subscriptions;
};

// The API keys of API_KEYS and API_KEYS_FILE, parsed; entries without their own rate
// get RATE_LIMIT_RPS and RATE_LIMIT_BURST.
Result<std::vector<rest::ApiKey>> load_api_keys(const ServeConfig& config);

// Applies one setting by its environment-variable name (shared by the config file, the
// environment and the command-line flags).
Status apply_setting(ServeConfig& config, const std::string& name, const std::string& value);
// Defaults: the simulator's seeds, ./data SQLite file, the reference's CORS origins.
ServeConfig default_config();

// The simulator's default seeds: 127.0.0.1:16001..16009.
std::vector<HostPort> default_seeds();
std::string default_database_url();  // sqlite:///<cwd>/data/pnode-analytics.db
std::vector<std::string> default_cors_origins();

// Applies a TOML file's keys (same names as the environment variables, lower case), its
// [alerts.<rule>] tables (enabled, for, threshold: ALERTS_<RULE>_<KEY>) and its
// [[notify.subscription]] tables (secrets' *_env keys read through `env`).
Status apply_config_file(ServeConfig& config, const std::string& path, const EnvLookup& env = process_environment());
// Applies the environment variables present in `env` (name -> value).
Status apply_environment(ServeConfig& config, const std::map<std::string, std::string>& env);
// Reads the process environment into a map of the variables we know.
std::map<std::string, std::string> read_environment();
// Final checks (loopback guard, ranges).
Status validate(const ServeConfig& config);
// One line per setting, for the start-up log.
std::string describe(const ServeConfig& config);
// SEED_DEADLINE_MS, or RPC_TIMEOUT_MS when it is 0.
int effective_seed_deadline_ms(const ServeConfig& config);

// `url` with the password of its "user:password@" part replaced by "***", so logs never
// carry a database password ("postgres://u:***@host/db"); other URLs unchanged.
std::string mask_url_password(const std::string& url);

// "host[:port],host[:port]" -> seeds (default port 6000).
Result<std::vector<HostPort>> parse_ip_nodes(const std::string& text);

}  // namespace pnode::app
