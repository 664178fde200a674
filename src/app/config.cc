#include "app/config.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <toml++/toml.h>

#include "collect/probe_guard.h"

#include "rest/cors.h"
#include "util/json_writer.h"
#include "util/strings.h"

namespace pnode::app {
namespace {

Result<int> parse_int(const std::string& name, const std::string& text, int min, int max) {
  int v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size())
    return make_error(ErrorCode::kConfig, name + " must be an integer, got \"" + text + "\"");
  if (v < min || v > max)
    return make_error(ErrorCode::kConfig, name + " must be between " + std::to_string(min) + " and " +
                                              std::to_string(max) + ", got " + text);
  return v;
}

Result<double> parse_number(const std::string& name, const std::string& text, double min, double max) {
  double v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size())
    return make_error(ErrorCode::kConfig, name + " must be a number, got \"" + text + "\"");
  if (!(v >= min && v <= max))
    return make_error(ErrorCode::kConfig, name + " must be between " + std::to_string(min) + " and " +
                                              std::to_string(max) + ", got " + text);
  return v;
}

Result<bool> parse_bool(const std::string& name, const std::string& text) {
  if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
  if (text == "0" || text == "false" || text == "no" || text == "off") return false;
  return make_error(ErrorCode::kConfig, name + " must be true or false, got \"" + text + "\"");
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t a = item.find_first_not_of(" \t"), b = item.find_last_not_of(" \t");
    if (a != std::string::npos) out.push_back(item.substr(a, b - a + 1));
  }
  return out;
}

constexpr std::string_view kAlertPrefix = "ALERTS_";
constexpr std::string_view kAlertKeys[] = {"_ENABLED", "_FOR", "_THRESHOLD"};

// ALERTS_<RULE>_<KEY>: one key of a rule ([alerts.<rule>] in the config file).
Status apply_alert_setting(analysis::RuleSet& rules, const std::string& name, const std::string& value) {
  std::string_view rest = std::string_view(name).substr(kAlertPrefix.size());
  for (std::string_view key : kAlertKeys) {
    if (rest.size() <= key.size() || rest.substr(rest.size() - key.size()) != key) continue;
    std::string rule = ascii_lower(rest.substr(0, rest.size() - key.size()));
    analysis::RuleOverride values;
    if (key == "_ENABLED") {
      auto b = parse_bool(name, value);
      if (!b.ok()) return b.error();
      values.enabled = *b;
    } else if (key == "_FOR") {
      values.for_duration = value;
    } else {
      values.threshold = value;
    }
    if (auto s = analysis::apply_rule_override(rules, rule, values); !s.ok())
      return make_error(ErrorCode::kConfig, name + ": " + s.error().message);
    return ok_status();
  }
  return make_error(ErrorCode::kConfig, "unknown setting " + name + " (alert rules take ENABLED, FOR and THRESHOLD)");
}

}  // namespace

Status apply_setting(ServeConfig& c, const std::string& name, const std::string& value) {
  if (name.rfind(kAlertPrefix, 0) == 0) return apply_alert_setting(c.alert_rules, name, value);
  auto set_int = [&](int& field, int min, int max) -> Status {
    auto v = parse_int(name, value, min, max);
    if (!v.ok()) return v.error();
    field = *v;
    return ok_status();
  };
  auto set_bool = [&](bool& field) -> Status {
    auto b = parse_bool(name, value);
    if (!b.ok()) return b.error();
    field = *b;
    return ok_status();
  };
  if (name == "IP_NODES") {
    auto seeds = parse_ip_nodes(value);
    if (!seeds.ok()) return seeds.error();
    c.ip_nodes = std::move(*seeds);
  } else if (name == "CACHE_TTL") {
    return set_int(c.cache_ttl, 1, 86400);
  } else if (name == "PORT") {
    int port = 0;
    if (auto s = set_int(port, 0, 65535); !s.ok()) return s;
    c.port = static_cast<uint16_t>(port);
  } else if (name == "BIND") {
    c.bind = value;
  } else if (name == "DATABASE_URL") {
    c.database_url = value;
  } else if (name == "ALLOW_REAL_NETWORK") {
    return set_bool(c.allow_real_network);
  } else if (name == "LATEST_VERSION") {
    c.latest_version = value;
  } else if (name == "CORS_ORIGINS") {
    c.cors_origins = split_list(value);
  } else if (name == "ADMIN_TOKEN") {
    c.admin_token = value;
  } else if (name == "HTTP_THREADS") {
    return set_int(c.http_threads, 1, 64);
  } else if (name == "RETENTION_DAYS") {
    return set_int(c.retention_days, 1, 3650);
  } else if (name == "SEED_QUORUM") {
    return set_int(c.seed_quorum, 0, 1000);
  } else if (name == "RPC_CONNECT_TIMEOUT_MS") {
    return set_int(c.rpc_connect_timeout_ms, 10, 600000);
  } else if (name == "RPC_TIMEOUT_MS") {
    return set_int(c.rpc_total_timeout_ms, 10, 600000);
  } else if (name == "SEED_DEADLINE_MS") {
    return set_int(c.seed_deadline_ms, 0, 600000);
  } else if (name == "REGISTRY_MAX_NODES") {
    return set_int(c.registry_max_nodes, 100, 10000000);
  } else if (name == "NEW_NODES_PER_SEED") {
    return set_int(c.new_nodes_per_seed, 1, 10000000);
  } else if (name == "LOG_FORMAT") {
    if (value != "text" && value != "json") return make_error(ErrorCode::kConfig, "LOG_FORMAT must be text or json");
    c.log_format = value;
  } else if (name == "WEB_ROOT") {
    c.web_root = value;
  } else if (name == "HTTP_MAX_CONNECTIONS") {
    return set_int(c.http_max_connections, 0, 1000000);
  } else if (name == "HTTP_IDLE_TIMEOUT") {
    return set_int(c.http_idle_timeout, 1, 3600);
  } else if (name == "HTTP_REQUEST_TIMEOUT") {
    return set_int(c.http_request_timeout, 1, 3600);
  } else if (name == "HTTP_MAX_HEADER_BYTES") {
    return set_int(c.http_max_header_bytes, 1024, 1 << 20);
  } else if (name == "HTTP_MAX_URL_LENGTH") {
    return set_int(c.http_max_url_length, 64, 1 << 20);
  } else if (name == "HTTP_MAX_BODY_BYTES") {
    return set_int(c.http_max_body_bytes, 0, 1 << 30);
  } else if (name == "WS_MAX_CLIENTS") {
    return set_int(c.ws_max_clients, 0, 1000000);
  } else if (name == "WS_MAX_QUEUE") {
    return set_int(c.ws_max_queue, 1, 100000);
  } else if (name == "RATE_LIMIT_RPS") {
    auto v = parse_number(name, value, 0, 1e6);
    if (!v.ok()) return v.error();
    c.rate_limit_rps = *v;
  } else if (name == "RATE_LIMIT_BURST") {
    return set_int(c.rate_limit_burst, 1, 1000000);
  } else if (name == "RATE_LIMIT_LOOPBACK") {
    return set_bool(c.rate_limit_loopback);
  } else if (name == "RATE_LIMIT_MAX_CLIENTS") {
    return set_int(c.rate_limit_max_clients, 1, 10000000);
  } else if (name == "API_KEYS") {
    c.api_keys = split_list(value);
  } else if (name == "API_KEYS_FILE") {
    c.api_keys_file = value;
  } else if (name == "ADMIN_MAX_FAILURES") {
    return set_int(c.admin_max_failures, 1, 1000);
  } else if (name == "ACCESS_LOG_MAX_LINES") {
    return set_int(c.access_log_max_lines, 0, 1000000);
  } else if (name == "STORE_INTEGRITY_CHECK") {
    if (value != "quick" && value != "full" && value != "off")
      return make_error(ErrorCode::kConfig, "STORE_INTEGRITY_CHECK must be quick, full or off, got \"" + value + "\"");
    c.store_integrity_check = value;
  } else if (name == "STORE_OPEN_CORRUPT") {
    if (value != "refuse" && value != "read-only")
      return make_error(ErrorCode::kConfig, "STORE_OPEN_CORRUPT must be refuse or read-only, got \"" + value + "\"");
    c.store_open_corrupt = value;
  } else if (name == "STORE_MAX_PAGE_COUNT") {
    return set_int(c.store_max_page_count, 0, 2147483647);
  } else if (name == "FOLLOWER_POLL_MS") {
    return set_int(c.follower_poll_ms, 100, 3600000);
  } else if (name == "NATS_URL") {
    if (!value.empty() && value.rfind("nats://", 0) != 0)
      return make_error(ErrorCode::kConfig, "NATS_URL must start with nats:// (got \"" + value + "\")");
    c.nats_url = value;
  } else if (name == "CREDITS_MAINNET_URL" || name == "CREDITS_DEVNET_URL") {
    if (!value.empty() && value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0)
      return make_error(ErrorCode::kConfig, name + " must start with http:// or https:// (got \"" + value + "\")");
    (name == "CREDITS_MAINNET_URL" ? c.credits_mainnet_url : c.credits_devnet_url) = value;
  } else if (name == "CREDITS_INTERVAL") {
    return set_int(c.credits_interval, 30, 86400);
  } else if (name == "CREDITS_PERCENTILE") {
    return set_int(c.credits_percentile, 1, 100);
  } else if (name == "CREDITS_FRACTION_PERCENT") {
    return set_int(c.credits_fraction_percent, 1, 100);
  } else if (name == "GEO_DATABASE") {
    c.geo_database = (value == "off") ? std::string() : value;
  } else if (name == "COLLECTOR_LEASE_MS") {
    // Below 1 s a renewal (every third) races ordinary database latency; above 10 min a
    // dead leader leaves the network unpolled for too long.
    return set_int(c.collector_lease_ms, 1000, 600000);
  } else if (name == "PROBE_ENABLED") {
    return set_bool(c.probe_enabled);
  } else if (name == "PROBE_CONCURRENCY") {
    return set_int(c.probe_concurrency, 1, 1024);
  } else if (name == "PROBE_CONNECT_TIMEOUT_MS") {
    return set_int(c.probe_connect_timeout_ms, 10, 60000);
  } else if (name == "PROBE_TIMEOUT_MS") {
    return set_int(c.probe_timeout_ms, 10, 600000);
  } else if (name == "PROBE_ALLOW" || name == "PROBE_DENY") {
    if (auto networks = collect::parse_cidr_list(value); !networks.ok())
      return make_error(ErrorCode::kConfig, name + ": " + networks.error().message);
    (name == "PROBE_ALLOW" ? c.probe_allow : c.probe_deny) = value;
  } else if (name == "PROBE_MAX_DISCOVERED") {
    return set_int(c.probe_max_discovered, 0, 1000000);
  } else if (name == "AVAILABILITY_DOWN_AFTER") {
    return set_int(c.availability_down_after, 1, 100);
  } else if (name == "AVAILABILITY_MAX_GAP") {
    return set_int(c.availability_max_gap, 60, 86400);
  } else if (name == "PROBE_HISTORY_DAYS") {
    return set_int(c.probe_history_days, 1, 3650);
  } else {
    return make_error(ErrorCode::kConfig, "unknown setting " + name);
  }
  return ok_status();
}

namespace {

const char* const kSettingNames[] = {"IP_NODES",     "CACHE_TTL",   "PORT",           "BIND",
                                     "DATABASE_URL", "ALLOW_REAL_NETWORK", "LATEST_VERSION", "CORS_ORIGINS",
                                     "ADMIN_TOKEN",  "HTTP_THREADS", "RETENTION_DAYS", "RPC_CONNECT_TIMEOUT_MS",
                                     "RPC_TIMEOUT_MS", "LOG_FORMAT", "WEB_ROOT",   "SEED_QUORUM",
                                     "SEED_DEADLINE_MS", "REGISTRY_MAX_NODES", "NEW_NODES_PER_SEED",
                                     "HTTP_MAX_CONNECTIONS", "HTTP_IDLE_TIMEOUT", "HTTP_REQUEST_TIMEOUT",
                                     "HTTP_MAX_HEADER_BYTES", "HTTP_MAX_URL_LENGTH", "HTTP_MAX_BODY_BYTES",
                                     "WS_MAX_CLIENTS", "WS_MAX_QUEUE", "RATE_LIMIT_RPS", "RATE_LIMIT_BURST",
                                     "RATE_LIMIT_LOOPBACK", "RATE_LIMIT_MAX_CLIENTS", "API_KEYS", "API_KEYS_FILE",
                                     "ADMIN_MAX_FAILURES", "ACCESS_LOG_MAX_LINES",
                                     "STORE_INTEGRITY_CHECK", "STORE_OPEN_CORRUPT", "STORE_MAX_PAGE_COUNT",
                                     "FOLLOWER_POLL_MS", "COLLECTOR_LEASE_MS", "NATS_URL", "GEO_DATABASE",
                                     "CREDITS_MAINNET_URL", "CREDITS_DEVNET_URL", "CREDITS_INTERVAL",
                                     "CREDITS_PERCENTILE", "CREDITS_FRACTION_PERCENT",
                                     "PROBE_ENABLED", "PROBE_CONCURRENCY", "PROBE_CONNECT_TIMEOUT_MS",
                                     "PROBE_TIMEOUT_MS", "PROBE_ALLOW", "PROBE_DENY", "PROBE_MAX_DISCOVERED",
                                     "AVAILABILITY_DOWN_AFTER", "AVAILABILITY_MAX_GAP", "PROBE_HISTORY_DAYS"};

std::string upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace

ServeConfig default_config() {
  ServeConfig c;
  c.ip_nodes = default_seeds();
  c.database_url = default_database_url();
  c.cors_origins = default_cors_origins();
  return c;
}

std::vector<HostPort> default_seeds() {
  std::vector<HostPort> seeds;
  for (uint16_t i = 0; i < 9; ++i) seeds.push_back(HostPort{"127.0.0.1", static_cast<uint16_t>(16001 + i)});
  return seeds;
}

std::string default_database_url() {
  return "sqlite://" + (std::filesystem::current_path() / "data" / "pnode-analytics.db").string();
}

std::vector<std::string> default_cors_origins() { return rest::default_cors_origins(); }

Result<std::vector<HostPort>> parse_ip_nodes(const std::string& text) {
  std::vector<HostPort> seeds;
  for (const auto& item : split_list(text)) {
    auto hp = parse_host_port(item, 6000);
    if (!hp.ok()) return make_error(ErrorCode::kConfig, "IP_NODES: " + hp.error().message);
    seeds.push_back(*hp);
  }
  if (seeds.empty()) return make_error(ErrorCode::kConfig, "IP_NODES is empty: give at least one host[:port]");
  return seeds;
}

namespace {

// A TOML value as the text apply_setting() takes (arrays of strings: comma-separated).
std::optional<std::string> toml_text(const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (auto i = node.value<int64_t>()) return std::to_string(*i);
  if (auto d = node.value<double>()) return std::to_string(*d);
  if (auto b = node.value<bool>()) return std::string(*b ? "true" : "false");
  if (auto* arr = node.as_array()) {
    std::string text;
    for (auto&& item : *arr)
      if (auto s = item.value<std::string>()) text += (text.empty() ? "" : ",") + *s;
    return text;
  }
  return std::nullopt;
}

// [alerts.<rule>] tables: each key goes through apply_setting() as ALERTS_<RULE>_<KEY>.
Status apply_alert_tables(ServeConfig& config, const std::string& path, const toml::table& alerts) {
  for (auto&& [rule, rule_node] : alerts) {
    const std::string where = path + ": alerts." + std::string(rule.str());
    const toml::table* keys = rule_node.as_table();
    if (!keys) return make_error(ErrorCode::kConfig, where + " must be a table ([alerts." + std::string(rule.str()) + "])");
    for (auto&& [key, node] : *keys) {
      auto text = toml_text(node);
      if (!text) return make_error(ErrorCode::kConfig, where + ": unsupported value for " + std::string(key.str()));
      const std::string name = "ALERTS_" + upper(std::string(rule.str())) + "_" + upper(std::string(key.str()));
      if (auto s = apply_setting(config, name, *text); !s.ok())
        return make_error(ErrorCode::kConfig, path + ": " + s.error().message);
    }
  }
  return ok_status();
}

// [notify]: only its `subscription` array.
Status apply_notify_table(ServeConfig& config, const std::string& path, const toml::table& notify,
                          const EnvLookup& env) {
  for (auto&& [key, node] : notify) {
    if (key.str() != "subscription" || !node.is_array())
      return make_error(ErrorCode::kConfig, path + ": notify." + std::string(key.str()) +
                                                " is not known (subscriptions are [[notify.subscription]] tables)");
    auto subscriptions = parse_subscriptions(*node.as_array(), env, path);
    if (!subscriptions) return subscriptions.error();
    config.subscriptions = std::move(*subscriptions);
  }
  return ok_status();
}

}  // namespace

Status apply_config_file(ServeConfig& config, const std::string& path, const EnvLookup& env) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return make_error(ErrorCode::kConfig, path + ": " + std::string(e.description()));
  }
  for (auto&& [key, node] : table) {
    if (key.str() == "alerts" && node.is_table()) {
      if (auto s = apply_alert_tables(config, path, *node.as_table()); !s.ok()) return s;
      continue;
    }
    if (key.str() == "notify" && node.is_table()) {
      if (auto s = apply_notify_table(config, path, *node.as_table(), env); !s.ok()) return s;
      continue;
    }
    auto text = toml_text(node);
    if (!text) return make_error(ErrorCode::kConfig, path + ": unsupported value for " + std::string(key.str()));
    if (auto s = apply_setting(config, upper(std::string(key.str())), *text); !s.ok())
      return make_error(ErrorCode::kConfig, path + ": " + s.error().message);
  }
  return ok_status();
}

Status apply_environment(ServeConfig& config, const std::map<std::string, std::string>& env) {
  for (const auto& [name, value] : env) {
    if (value.empty()) continue;  // the reference's .env.example ships empty values
    if (auto s = apply_setting(config, name, value); !s.ok()) return s;
  }
  return ok_status();
}

std::map<std::string, std::string> read_environment() {
  std::map<std::string, std::string> env;
  for (const char* name : kSettingNames)
    if (const char* v = std::getenv(name)) env[name] = v;
  for (analysis::AlertType rule : analysis::all_alert_types())
    for (std::string_view key : kAlertKeys) {
      std::string name = std::string(kAlertPrefix) + upper(analysis::alert_type_name(rule)) + std::string(key);
      if (const char* v = std::getenv(name.c_str())) env[name] = v;
    }
  return env;
}

namespace {

// The host of a nats:// URL (after any user:password@).
// The host of an http(s):// URL (credits sources).
std::string http_url_host(const std::string& url) {
  std::string rest = url.substr(url.find("://") + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') return rest.substr(1, rest.find(']') - 1);
  return rest.substr(0, rest.find(':'));
}

std::string nats_host(const std::string& url) {
  std::string rest = url.substr(std::string("nats://").size());
  if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  return rest.substr(0, rest.find_first_of(":/"));
}

}  // namespace

Status validate(const ServeConfig& c) {
  if (c.ip_nodes.empty()) return make_error(ErrorCode::kConfig, "no seeds configured (IP_NODES)");
  if (!c.allow_real_network) {
    for (const auto& s : c.ip_nodes)
      if (!is_loopback_host(s.host))
        return make_error(
            ErrorCode::kConfig,
            "seed " + s.to_string() + " is not on loopback; set ALLOW_REAL_NETWORK=true to poll a real network");
    if (!c.nats_url.empty() && !is_loopback_host(nats_host(c.nats_url)))
      return make_error(ErrorCode::kConfig,
                        "NATS_URL is not on loopback; set ALLOW_REAL_NETWORK=true to publish beyond it");
    if (!is_loopback_host(c.bind))
      return make_error(ErrorCode::kConfig,
                        "BIND " + c.bind + " is not loopback; set ALLOW_REAL_NETWORK=true to serve beyond it");
    for (const auto* url : {&c.credits_mainnet_url, &c.credits_devnet_url})
      if (!url->empty() && !is_loopback_host(http_url_host(*url)))
        return make_error(ErrorCode::kConfig, "the credits source " + *url +
                                                  " is not on loopback; set ALLOW_REAL_NETWORK=true to read it");
  }
  if (c.database_url.rfind("sqlite://", 0) != 0 && c.database_url.rfind("postgres", 0) != 0)
    return make_error(ErrorCode::kConfig, "DATABASE_URL must start with sqlite:// (got \"" + c.database_url + "\")");
  if (auto keys = load_api_keys(c); !keys.ok()) return keys.error();
  return validate_subscriptions(c.subscriptions, c.allow_real_network);
}

Result<std::vector<rest::ApiKey>> load_api_keys(const ServeConfig& c) {
  const rest::RateLimit default_limit{c.rate_limit_rps, static_cast<double>(c.rate_limit_burst)};
  std::vector<rest::ApiKey> keys;
  for (const std::string& entry : c.api_keys) {
    auto key = rest::parse_api_key(entry, default_limit);
    if (!key.ok()) return make_error(ErrorCode::kConfig, "API_KEYS: " + key.error().message);
    keys.push_back(std::move(*key));
  }
  if (!c.api_keys_file.empty()) {
    auto from_file = rest::read_api_keys_file(c.api_keys_file, default_limit);
    if (!from_file.ok()) return make_error(ErrorCode::kConfig, "API_KEYS_FILE: " + from_file.error().message);
    keys.insert(keys.end(), from_file->begin(), from_file->end());
  }
  return keys;
}

std::string mask_url_password(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  size_t authority = scheme + 3;
  size_t end = url.find('/', authority);  // the authority ends at the path
  size_t at = url.rfind('@', end == std::string::npos ? std::string::npos : end);
  if (at == std::string::npos || at < authority) return url;
  size_t colon = url.find(':', authority);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

int effective_seed_deadline_ms(const ServeConfig& c) {
  return c.seed_deadline_ms > 0 ? c.seed_deadline_ms : c.rpc_total_timeout_ms;
}

namespace {

// "offline for 2 cycles at 0 seconds, ..." for the start-up log.
std::string describe_alert_rules(const analysis::RuleSet& rules) {
  std::string out;
  for (const analysis::Rule& r : rules.rules) {
    out += out.empty() ? "" : ", ";
    out += std::string(analysis::alert_type_name(r.type)) + " ";
    if (!r.enabled) {
      out += "off";
      continue;
    }
    out += "for " + analysis::format_for_duration(r.for_duration) + " at " + format_double(r.threshold) + " " +
           analysis::rule_threshold_unit(r.type);
  }
  return out;
}

}  // namespace

std::string describe(const ServeConfig& c) {
  std::string seeds;
  for (const auto& s : c.ip_nodes) seeds += (seeds.empty() ? "" : ",") + s.to_string();
  std::string origins;
  for (const auto& o : c.cors_origins) origins += (origins.empty() ? "" : ",") + o;
  std::ostringstream out;
  out << "IP_NODES=" << seeds << "\nCACHE_TTL=" << c.cache_ttl << "\nBIND=" << c.bind << "\nPORT=" << c.port
      << "\nDATABASE_URL=" << mask_url_password(c.database_url) << "\nALLOW_REAL_NETWORK=" << (c.allow_real_network ? "true" : "false")
      << "\nLATEST_VERSION=" << (c.latest_version.empty() ? "(derived from the network)" : c.latest_version)
      << "\nCORS_ORIGINS=" << origins << "\nADMIN_TOKEN=" << (c.admin_token.empty() ? "(unset: /prune disabled)" : "(set)")
      << "\nHTTP_THREADS=" << c.http_threads << "\nRETENTION_DAYS=" << c.retention_days
      << "\nSEED_QUORUM=" << (c.seed_quorum == 0 ? std::string("(half of the seeds, rounded up)") : std::to_string(c.seed_quorum))
      << "\nRPC_CONNECT_TIMEOUT_MS=" << c.rpc_connect_timeout_ms << "\nRPC_TIMEOUT_MS=" << c.rpc_total_timeout_ms
      << "\nSEED_DEADLINE_MS=" << effective_seed_deadline_ms(c) << "\nREGISTRY_MAX_NODES=" << c.registry_max_nodes
      << "\nNEW_NODES_PER_SEED=" << c.new_nodes_per_seed
      << "\nLOG_FORMAT=" << c.log_format << "\nWEB_ROOT=" << (c.web_root.empty() ? "(none)" : c.web_root)
      << "\nHTTP_MAX_CONNECTIONS="
      << (c.http_max_connections == 0 ? std::string("(descriptor limit less 128)") : std::to_string(c.http_max_connections))
      << "\nHTTP_IDLE_TIMEOUT=" << c.http_idle_timeout << "\nHTTP_REQUEST_TIMEOUT=" << c.http_request_timeout
      << "\nHTTP_MAX_HEADER_BYTES=" << c.http_max_header_bytes << "\nHTTP_MAX_URL_LENGTH=" << c.http_max_url_length
      << "\nHTTP_MAX_BODY_BYTES=" << c.http_max_body_bytes << "\nWS_MAX_CLIENTS=" << c.ws_max_clients
      << "\nWS_MAX_QUEUE=" << c.ws_max_queue << "\nRATE_LIMIT_RPS=" << c.rate_limit_rps
      << "\nRATE_LIMIT_BURST=" << c.rate_limit_burst << "\nRATE_LIMIT_LOOPBACK=" << (c.rate_limit_loopback ? "true" : "false")
      << "\nRATE_LIMIT_MAX_CLIENTS=" << c.rate_limit_max_clients << "\nAPI_KEYS=(" << c.api_keys.size() << " entries)"
      << "\nAPI_KEYS_FILE=" << (c.api_keys_file.empty() ? "(none)" : c.api_keys_file)
      << "\nADMIN_MAX_FAILURES=" << c.admin_max_failures << "\nACCESS_LOG_MAX_LINES=" << c.access_log_max_lines
      << "\nSTORE_INTEGRITY_CHECK=" << c.store_integrity_check << "\nSTORE_OPEN_CORRUPT=" << c.store_open_corrupt
      << "\nSTORE_MAX_PAGE_COUNT=" << (c.store_max_page_count == 0 ? std::string("(no cap)") : std::to_string(c.store_max_page_count))
      << "\nFOLLOWER_POLL_MS=" << c.follower_poll_ms
      << "\nCOLLECTOR_LEASE_MS=" << c.collector_lease_ms
      << "\nNATS_URL=" << (c.nats_url.empty() ? std::string("(none)") : mask_url_password(c.nats_url))
      << "\nGEO_DATABASE=" << (c.geo_database.empty() ? std::string("off") : c.geo_database)
      << "\nCREDITS_MAINNET_URL=" << (c.credits_mainnet_url.empty() ? std::string("(none)") : c.credits_mainnet_url)
      << "\nCREDITS_DEVNET_URL=" << (c.credits_devnet_url.empty() ? std::string("(none)") : c.credits_devnet_url)
      << "\nCREDITS_INTERVAL=" << c.credits_interval << "\nCREDITS_PERCENTILE=" << c.credits_percentile
      << "\nCREDITS_FRACTION_PERCENT=" << c.credits_fraction_percent
      << "\nPROBE_ENABLED=" << (c.probe_enabled ? "true" : "false") << "\nPROBE_CONCURRENCY=" << c.probe_concurrency
      << "\nPROBE_CONNECT_TIMEOUT_MS=" << c.probe_connect_timeout_ms << "\nPROBE_TIMEOUT_MS=" << c.probe_timeout_ms
      << "\nPROBE_ALLOW=" << (c.probe_allow.empty() ? "(any)" : c.probe_allow)
      << "\nPROBE_DENY=" << (c.probe_deny.empty() ? "(none)" : c.probe_deny)
      << "\nPROBE_MAX_DISCOVERED=" << c.probe_max_discovered
      << "\nAVAILABILITY_DOWN_AFTER=" << c.availability_down_after << "\nAVAILABILITY_MAX_GAP=" << c.availability_max_gap
      << "\nPROBE_HISTORY_DAYS=" << c.probe_history_days;
  out << "\nALERTS=" << describe_alert_rules(c.alert_rules);
  for (const Subscription& s : c.subscriptions) out << "\nNOTIFY " << s.name << " via " << channel_type(s.channel);
  return out.str();
}

}  // namespace pnode::app
