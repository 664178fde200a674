#include "app/config.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <toml++/toml.h>

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

}  // namespace

Status apply_setting(ServeConfig& c, const std::string& name, const std::string& value) {
  auto set_int = [&](int& field, int min, int max) -> Status {
    auto v = parse_int(name, value, min, max);
    if (!v.ok()) return v.error();
    field = *v;
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
    auto b = parse_bool(name, value);
    if (!b.ok()) return b.error();
    c.allow_real_network = *b;
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
  } else if (name == "LOG_FORMAT") {
    if (value != "text" && value != "json") return make_error(ErrorCode::kConfig, "LOG_FORMAT must be text or json");
    c.log_format = value;
  } else if (name == "WEB_ROOT") {
    c.web_root = value;
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
                                     "STORE_INTEGRITY_CHECK", "STORE_OPEN_CORRUPT", "STORE_MAX_PAGE_COUNT"};

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

std::vector<std::string> default_cors_origins() {
  return {"http://localhost:3000", "http://localhost:3001", "http://localhost:8000",
          "http://localhost:8080", "https://*.vercel.app",  "https://*.github.dev"};
}

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

Status apply_config_file(ServeConfig& config, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return make_error(ErrorCode::kConfig, path + ": " + std::string(e.description()));
  }
  for (auto&& [key, node] : table) {
    std::string text;
    if (auto s = node.value<std::string>()) text = *s;
    else if (auto i = node.value<int64_t>()) text = std::to_string(*i);
    else if (auto b = node.value<bool>()) text = *b ? "true" : "false";
    else if (auto* arr = node.as_array()) {
      for (auto&& item : *arr)
        if (auto s = item.value<std::string>()) text += (text.empty() ? "" : ",") + *s;
    } else {
      return make_error(ErrorCode::kConfig, path + ": unsupported value for " + std::string(key.str()));
    }
    if (auto s = apply_setting(config, upper(std::string(key.str())), text); !s.ok())
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
  return env;
}

Status validate(const ServeConfig& c) {
  if (c.ip_nodes.empty()) return make_error(ErrorCode::kConfig, "no seeds configured (IP_NODES)");
  if (!c.allow_real_network) {
    for (const auto& s : c.ip_nodes)
      if (!is_loopback_host(s.host))
        return make_error(
            ErrorCode::kConfig,
            "seed " + s.to_string() + " is not on loopback; set ALLOW_REAL_NETWORK=true to poll a real network");
    if (!is_loopback_host(c.bind))
      return make_error(ErrorCode::kConfig,
                        "BIND " + c.bind + " is not loopback; set ALLOW_REAL_NETWORK=true to serve beyond it");
  }
  if (c.database_url.rfind("sqlite://", 0) != 0 && c.database_url.rfind("postgres", 0) != 0)
    return make_error(ErrorCode::kConfig, "DATABASE_URL must start with sqlite:// (got \"" + c.database_url + "\")");
  return ok_status();
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
      << "\nLOG_FORMAT=" << c.log_format << "\nWEB_ROOT=" << (c.web_root.empty() ? "(none)" : c.web_root)
      << "\nSTORE_INTEGRITY_CHECK=" << c.store_integrity_check << "\nSTORE_OPEN_CORRUPT=" << c.store_open_corrupt
      << "\nSTORE_MAX_PAGE_COUNT=" << (c.store_max_page_count == 0 ? std::string("(no cap)") : std::to_string(c.store_max_page_count));
  return out.str();
}

}  // namespace pnode::app
