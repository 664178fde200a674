#include "app/config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "testing/temp_path.h"

namespace pnode::app {
namespace {

TEST(Config, DefaultsAreLoopbackOnly) {
  ServeConfig c = default_config();
  ASSERT_EQ(c.ip_nodes.size(), 9u);
  for (const auto& s : c.ip_nodes) EXPECT_TRUE(is_loopback_host(s.host)) << s.to_string();
  EXPECT_EQ(c.ip_nodes[0].port, 16001);
  EXPECT_EQ(c.cache_ttl, 60);
  EXPECT_EQ(c.port, 8080);
  EXPECT_EQ(c.database_url.rfind("sqlite:///", 0), 0u);
  EXPECT_TRUE(validate(c).ok());
}

TEST(Config, EnvironmentOverridesAndEmptyValuesAreUnset) {
  ServeConfig c = default_config();
  auto s = apply_environment(c, {{"IP_NODES", " 127.0.0.1:7001, localhost ,"}, {"CACHE_TTL", ""}, {"PORT", "9090"}});
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(c.ip_nodes.size(), 2u);
  EXPECT_EQ(c.ip_nodes[0].port, 7001);
  EXPECT_EQ(c.ip_nodes[1].host, "localhost");
  EXPECT_EQ(c.ip_nodes[1].port, 6000);
  EXPECT_EQ(c.cache_ttl, 60);
  EXPECT_EQ(c.port, 9090);
}

TEST(Config, RejectsBadValuesWithReadableMessages) {
  ServeConfig c = default_config();
  auto ttl = apply_environment(c, {{"CACHE_TTL", "0"}});
  ASSERT_FALSE(ttl.ok());
  EXPECT_NE(ttl.error().message.find("CACHE_TTL"), std::string::npos);
  EXPECT_FALSE(apply_environment(c, {{"CACHE_TTL", "abc"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"PORT", "70000"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"IP_NODES", " , "}}).ok());
}

TEST(Config, RefusesRealSeedsUnlessAllowed) {
  ServeConfig c = default_config();
  ASSERT_TRUE(apply_environment(c, {{"IP_NODES", "203.0.113.7"}}).ok());
  auto v = validate(c);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("ALLOW_REAL_NETWORK"), std::string::npos);
  c.allow_real_network = true;
  EXPECT_TRUE(validate(c).ok());
}

TEST(Config, ReadsTomlFileWithListsAndNumbers) {
  std::string path = pnode::testing::unique_temp_path("pnode-config-test.toml");
  std::ofstream(path) << "ip_nodes = [\"127.0.0.2:6000\", \"127.0.0.3\"]\ncache_ttl = 15\nlatest_version = \"1.2.0\"\n";
  ServeConfig c = default_config();
  auto s = apply_config_file(c, path);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(c.ip_nodes.size(), 2u);
  EXPECT_EQ(c.cache_ttl, 15);
  EXPECT_EQ(c.latest_version, "1.2.0");
  std::ofstream(path) << "nonsense = 1\n";
  EXPECT_FALSE(apply_config_file(c, path).ok());
}

TEST(Config, SeedDeadlineDefaultsToTheCallTimeoutAndRegistryLimitsAreBounded) {
  ServeConfig c = default_config();
  EXPECT_EQ(effective_seed_deadline_ms(c), c.rpc_total_timeout_ms);
  ASSERT_TRUE(apply_environment(c, {{"SEED_DEADLINE_MS", "2500"}, {"REGISTRY_MAX_NODES", "5000"},
                                    {"NEW_NODES_PER_SEED", "50"}}).ok());
  EXPECT_EQ(effective_seed_deadline_ms(c), 2500);
  EXPECT_EQ(c.registry_max_nodes, 5000);
  EXPECT_EQ(c.new_nodes_per_seed, 50);
  EXPECT_FALSE(apply_environment(c, {{"REGISTRY_MAX_NODES", "10"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"NEW_NODES_PER_SEED", "0"}}).ok());
  EXPECT_NE(describe(c).find("SEED_DEADLINE_MS=2500"), std::string::npos);
}

TEST(Config, DatabasePasswordsAreMaskedInTheDescription) {
  EXPECT_EQ(mask_url_password("postgres://analytics:s3cr3t@127.0.0.1:5432/pnode"),
            "postgres://analytics:***@127.0.0.1:5432/pnode");
  EXPECT_EQ(mask_url_password("postgresql://u:p@ss@host/db"), "postgresql://u:***@host/db");  // '@' in a password
  EXPECT_EQ(mask_url_password("postgres://user@host/db"), "postgres://user@host/db");  // no password
  EXPECT_EQ(mask_url_password("sqlite:///var/lib/x@y:z/db.sqlite"), "sqlite:///var/lib/x@y:z/db.sqlite");
  ServeConfig c = default_config();
  ASSERT_TRUE(apply_setting(c, "DATABASE_URL", "postgres://analytics:s3cr3t@127.0.0.1/pnode").ok());
  std::string text = describe(c);
  EXPECT_EQ(text.find("s3cr3t"), std::string::npos) << text;
  EXPECT_NE(text.find("DATABASE_URL=postgres://analytics:***@127.0.0.1/pnode"), std::string::npos) << text;
}

TEST(Config, ClientLimitsHaveSafeDefaultsAndAreSettable) {
  ServeConfig c = default_config();
  EXPECT_EQ(c.http_max_connections, 0);  // derived from the descriptor limit
  EXPECT_EQ(c.http_request_timeout, 10);
  EXPECT_EQ(c.http_max_url_length, 8192);
  EXPECT_GT(c.rate_limit_rps, 0);
  EXPECT_FALSE(c.rate_limit_loopback);
  EXPECT_EQ(c.admin_max_failures, 5);
  auto s = apply_environment(c, {{"HTTP_MAX_CONNECTIONS", "500"}, {"HTTP_IDLE_TIMEOUT", "5"},
                                 {"HTTP_REQUEST_TIMEOUT", "3"}, {"HTTP_MAX_HEADER_BYTES", "4096"},
                                 {"HTTP_MAX_URL_LENGTH", "2048"}, {"HTTP_MAX_BODY_BYTES", "1000"},
                                 {"WS_MAX_CLIENTS", "50"}, {"WS_MAX_QUEUE", "8"}, {"RATE_LIMIT_RPS", "2.5"},
                                 {"RATE_LIMIT_BURST", "10"}, {"RATE_LIMIT_LOOPBACK", "true"},
                                 {"RATE_LIMIT_MAX_CLIENTS", "99"}, {"ADMIN_MAX_FAILURES", "3"},
                                 {"ACCESS_LOG_MAX_LINES", "0"}});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(c.http_max_connections, 500);
  EXPECT_EQ(c.http_idle_timeout, 5);
  EXPECT_EQ(c.http_request_timeout, 3);
  EXPECT_EQ(c.http_max_header_bytes, 4096);
  EXPECT_EQ(c.http_max_url_length, 2048);
  EXPECT_EQ(c.http_max_body_bytes, 1000);
  EXPECT_EQ(c.ws_max_clients, 50);
  EXPECT_EQ(c.ws_max_queue, 8);
  EXPECT_EQ(c.rate_limit_rps, 2.5);
  EXPECT_EQ(c.rate_limit_burst, 10);
  EXPECT_TRUE(c.rate_limit_loopback);
  EXPECT_EQ(c.rate_limit_max_clients, 99);
  EXPECT_EQ(c.admin_max_failures, 3);
  EXPECT_EQ(c.access_log_max_lines, 0);
  EXPECT_FALSE(apply_environment(c, {{"RATE_LIMIT_RPS", "-1"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"RATE_LIMIT_RPS", "fast"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"HTTP_REQUEST_TIMEOUT", "0"}}).ok());
  std::string path = pnode::testing::unique_temp_path("pnode-config-limits.toml");
  std::ofstream(path) << "rate_limit_rps = 0.5\nws_max_clients = 7\n";
  ASSERT_TRUE(apply_config_file(c, path).ok());
  EXPECT_EQ(c.rate_limit_rps, 0.5);
  EXPECT_EQ(c.ws_max_clients, 7);
}

TEST(Config, ApiKeysAreHashesFromTheListAndTheFile) {
  const std::string one = rest::sha256_hex("one"), two = rest::sha256_hex("two");
  ServeConfig c = default_config();
  std::string path = pnode::testing::unique_temp_path("pnode-config-keys.txt");
  std::ofstream(path) << "# keys\n" << two << ":1:2\n";
  ASSERT_TRUE(apply_environment(c, {{"API_KEYS", one + ":50"}, {"API_KEYS_FILE", path}, {"RATE_LIMIT_BURST", "30"}}).ok());
  ASSERT_TRUE(validate(c).ok());
  auto keys = load_api_keys(c);
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].sha256_hex, one);
  EXPECT_EQ((*keys)[0].limit.per_second, 50);
  EXPECT_EQ((*keys)[0].limit.burst, 30);  // RATE_LIMIT_BURST when the entry has none
  EXPECT_EQ((*keys)[1].limit.burst, 2);
  EXPECT_EQ(describe(c).find(one), std::string::npos);
  ASSERT_TRUE(apply_environment(c, {{"API_KEYS", "plain-text-key"}}).ok());
  auto invalid = validate(c);
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.error().message.find("API_KEYS"), std::string::npos);
  EXPECT_EQ(invalid.error().message.find("plain-text-key"), std::string::npos);
}

TEST(Config, StoreFaultSettingsHaveSafeDefaultsAndRefuseUnknownValues) {
  ServeConfig c = default_config();
  EXPECT_EQ(c.store_integrity_check, "quick");
  EXPECT_EQ(c.store_open_corrupt, "refuse");
  EXPECT_EQ(c.store_max_page_count, 0);
  ASSERT_TRUE(apply_environment(c, {{"STORE_INTEGRITY_CHECK", "full"},
                                    {"STORE_OPEN_CORRUPT", "read-only"},
                                    {"STORE_MAX_PAGE_COUNT", "500"}})
                  .ok());
  EXPECT_EQ(c.store_integrity_check, "full");
  EXPECT_EQ(c.store_open_corrupt, "read-only");
  EXPECT_EQ(c.store_max_page_count, 500);
  auto bad = apply_environment(c, {{"STORE_OPEN_CORRUPT", "readonly"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("refuse or read-only"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(apply_environment(c, {{"STORE_INTEGRITY_CHECK", "fast"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"STORE_MAX_PAGE_COUNT", "-1"}}).ok());
  std::string path = pnode::testing::unique_temp_path("pnode-config-store-test.toml");
  std::ofstream(path) << "store_open_corrupt = \"read-only\"\n";
  ServeConfig from_file = default_config();
  ASSERT_TRUE(apply_config_file(from_file, path).ok());
  EXPECT_EQ(from_file.store_open_corrupt, "read-only");
  EXPECT_NE(describe(from_file).find("STORE_OPEN_CORRUPT=read-only"), std::string::npos);
}

TEST(Config, FollowerPollIsAFewSecondsByDefaultAndBounded) {
  ServeConfig c = default_config();
  EXPECT_EQ(c.follower_poll_ms, 3000);
  ASSERT_TRUE(apply_environment(c, {{"FOLLOWER_POLL_MS", "60000"}}).ok());
  EXPECT_EQ(c.follower_poll_ms, 60000);
  EXPECT_FALSE(apply_environment(c, {{"FOLLOWER_POLL_MS", "10"}}).ok()) << "a follower must not hammer the store";
  EXPECT_FALSE(apply_environment(c, {{"FOLLOWER_POLL_MS", "3600001"}}).ok());
  std::string path = pnode::testing::unique_temp_path("pnode-config-follower-test.toml");
  std::ofstream(path) << "follower_poll_ms = 5000\n";
  ServeConfig from_file = default_config();
  ASSERT_TRUE(apply_config_file(from_file, path).ok());
  EXPECT_EQ(from_file.follower_poll_ms, 5000);
  EXPECT_NE(describe(from_file).find("FOLLOWER_POLL_MS=5000"), std::string::npos);
}

TEST(Config, CollectorLeaseIsFifteenSecondsAndSettableWithinASaneRange) {
  ServeConfig c = default_config();
  EXPECT_EQ(c.collector_lease_ms, 15000);
  ASSERT_TRUE(apply_environment(c, {{"COLLECTOR_LEASE_MS", "3000"}}).ok());
  EXPECT_EQ(c.collector_lease_ms, 3000);
  EXPECT_FALSE(apply_environment(c, {{"COLLECTOR_LEASE_MS", "999"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"COLLECTOR_LEASE_MS", "600001"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"COLLECTOR_LEASE_MS", "soon"}}).ok());
  std::string path = pnode::testing::unique_temp_path("pnode-config-lease.toml");
  std::ofstream(path) << "collector_lease_ms = 60000\n";
  ASSERT_TRUE(apply_config_file(c, path).ok());
  EXPECT_EQ(c.collector_lease_ms, 60000);
  EXPECT_NE(describe(c).find("COLLECTOR_LEASE_MS=60000"), std::string::npos);
}

TEST(Config, NatsUrlIsOffByDefaultAndMustBeANatsUrlOnLoopback) {
  ServeConfig c = default_config();
  EXPECT_TRUE(c.nats_url.empty());
  EXPECT_NE(describe(c).find("NATS_URL=(none)"), std::string::npos);
  ASSERT_TRUE(apply_environment(c, {{"NATS_URL", "nats://127.0.0.1:4222"}}).ok());
  EXPECT_EQ(c.nats_url, "nats://127.0.0.1:4222");
  EXPECT_TRUE(validate(c).ok());
  EXPECT_FALSE(apply_environment(c, {{"NATS_URL", "http://127.0.0.1:4222"}}).ok());
  ASSERT_TRUE(apply_environment(c, {{"NATS_URL", "nats://user:secret@broker.example:4222"}}).ok());
  EXPECT_FALSE(validate(c).ok()) << "not loopback";
  EXPECT_EQ(describe(c).find("secret"), std::string::npos) << "the password is masked";
  std::string path = pnode::testing::unique_temp_path("pnode-config-nats.toml");
  std::ofstream(path) << "nats_url = \"nats://localhost:4333\"\n";
  ASSERT_TRUE(apply_config_file(c, path).ok());
  EXPECT_EQ(c.nats_url, "nats://localhost:4333");
}

TEST(Config, GeoDatabaseDefaultsToDebiansLibLocFileAndCanBeTurnedOff) {
  ServeConfig c = default_config();
  EXPECT_EQ(c.geo_database, "/usr/share/libloc-location/location.db");
  ASSERT_TRUE(apply_environment(c, {{"GEO_DATABASE", "off"}}).ok());
  EXPECT_TRUE(c.geo_database.empty());
  EXPECT_NE(describe(c).find("GEO_DATABASE=off"), std::string::npos);
  std::string path = pnode::testing::unique_temp_path("pnode-config-geo.toml");
  std::ofstream(path) << "geo_database = \"/srv/location.db\"\n";
  ASSERT_TRUE(apply_config_file(c, path).ok());
  EXPECT_EQ(c.geo_database, "/srv/location.db");
}

TEST(Config, CreditsSourcesAreOffByDefaultHttpOnlyAndLoopbackUnlessRealNetworkIsAllowed) {
  ServeConfig c = default_config();
  c.ip_nodes = {HostPort{"127.0.0.1", 6000}};
  EXPECT_TRUE(c.credits_mainnet_url.empty());
  EXPECT_NE(describe(c).find("CREDITS_MAINNET_URL=(none)"), std::string::npos);
  ASSERT_TRUE(apply_environment(c, {{"CREDITS_MAINNET_URL", "http://127.0.0.1:6001/credits/mainnet"},
                                    {"CREDITS_DEVNET_URL", "http://[::1]:6001/credits/devnet"}})
                  .ok());
  EXPECT_TRUE(validate(c).ok());
  EXPECT_FALSE(apply_environment(c, {{"CREDITS_DEVNET_URL", "ftp://127.0.0.1/x"}}).ok());
  ASSERT_TRUE(apply_environment(c, {{"CREDITS_DEVNET_URL", "https://user@podcredits.example/api/pods-credits"}}).ok());
  EXPECT_FALSE(validate(c).ok()) << "not loopback";
  c.allow_real_network = true;
  EXPECT_TRUE(validate(c).ok());
  EXPECT_FALSE(apply_environment(c, {{"CREDITS_INTERVAL", "29"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"CREDITS_PERCENTILE", "101"}}).ok());
  std::string path = pnode::testing::unique_temp_path("pnode-config-credits.toml");
  std::ofstream(path) << "credits_interval = 600\ncredits_fraction_percent = 75\n";
  ASSERT_TRUE(apply_config_file(c, path).ok());
  EXPECT_EQ(c.credits_interval, 600);
  EXPECT_EQ(c.credits_fraction_percent, 75);
}

TEST(Config, ProbeSettingsHaveDefaultsAndComeFromEnvironmentAndFile) {
  ServeConfig c = default_config();
  EXPECT_TRUE(c.probe_enabled);
  EXPECT_EQ(c.probe_concurrency, 32);
  EXPECT_EQ(c.probe_connect_timeout_ms, 2000);
  EXPECT_EQ(c.probe_timeout_ms, 5000);
  EXPECT_EQ(c.probe_max_discovered, 10000);
  ASSERT_TRUE(apply_environment(c, {{"PROBE_ENABLED", "false"}, {"PROBE_CONCURRENCY", "8"},
                                    {"PROBE_CONNECT_TIMEOUT_MS", "500"}, {"PROBE_TIMEOUT_MS", "1500"},
                                    {"PROBE_ALLOW", "127.1.0.0/16"}, {"PROBE_DENY", "127.1.2.0/24, 127.1.3.4"},
                                    {"PROBE_MAX_DISCOVERED", "50"}})
                  .ok());
  EXPECT_FALSE(c.probe_enabled);
  EXPECT_EQ(c.probe_concurrency, 8);
  EXPECT_EQ(c.probe_connect_timeout_ms, 500);
  EXPECT_EQ(c.probe_timeout_ms, 1500);
  EXPECT_EQ(c.probe_allow, "127.1.0.0/16");
  EXPECT_EQ(c.probe_deny, "127.1.2.0/24, 127.1.3.4");
  EXPECT_EQ(c.probe_max_discovered, 50);
  EXPECT_NE(describe(c).find("PROBE_CONCURRENCY=8"), std::string::npos);
  EXPECT_FALSE(apply_environment(c, {{"PROBE_CONCURRENCY", "0"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"PROBE_ALLOW", "10.0.0.0/40"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"PROBE_DENY", "example.com"}}).ok());
  std::string path = pnode::testing::unique_temp_path("pnode-config-probe.toml");
  std::ofstream(path) << "probe_concurrency = 64\nprobe_deny = \"10.0.0.0/8\"\n";
  ASSERT_TRUE(apply_config_file(c, path).ok());
  EXPECT_EQ(c.probe_concurrency, 64);
  EXPECT_EQ(c.probe_deny, "10.0.0.0/8");
}

TEST(Config, AvailabilitySettingsHaveDefaultsBoundsAndComeFromEnvironmentAndFile) {
  ServeConfig c = default_config();
  EXPECT_EQ(c.availability_down_after, 2);
  EXPECT_EQ(c.availability_max_gap, 600);
  EXPECT_EQ(c.probe_history_days, 7);
  ASSERT_TRUE(apply_environment(c, {{"AVAILABILITY_DOWN_AFTER", "3"}, {"AVAILABILITY_MAX_GAP", "900"},
                                    {"PROBE_HISTORY_DAYS", "14"}})
                  .ok());
  EXPECT_EQ(c.availability_down_after, 3);
  EXPECT_EQ(c.availability_max_gap, 900);
  EXPECT_EQ(c.probe_history_days, 14);
  EXPECT_NE(describe(c).find("AVAILABILITY_DOWN_AFTER=3"), std::string::npos);
  EXPECT_FALSE(apply_environment(c, {{"AVAILABILITY_DOWN_AFTER", "0"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"AVAILABILITY_MAX_GAP", "59"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"PROBE_HISTORY_DAYS", "0"}}).ok());
  std::string path = pnode::testing::unique_temp_path("pnode-config-availability.toml");
  std::ofstream(path) << "availability_down_after = 4\nprobe_history_days = 3\n";
  ASSERT_TRUE(apply_config_file(c, path).ok());
  EXPECT_EQ(c.availability_down_after, 4);
  EXPECT_EQ(c.probe_history_days, 3);
}

TEST(Config, AlertRulesDefaultToTheLifecycleDefaultsAndComeFromAlertsTables) {
  ServeConfig c = default_config();
  EXPECT_EQ(c.alert_rules, analysis::RuleSet::defaults());
  std::string path = pnode::testing::unique_temp_path("pnode-config-alerts.toml");
  std::ofstream(path) << "cache_ttl = 30\n"
                         "[alerts.offline]\nfor = \"3 cycles\"\nthreshold = \"5m\"\n"
                         "[alerts.storage_warning]\nthreshold = 70\n"
                         "[alerts.underutilized]\nenabled = false\n";
  auto s = apply_config_file(c, path);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(c.cache_ttl, 30);
  const auto& offline = c.alert_rules.rule(analysis::AlertType::kOffline);
  EXPECT_EQ(offline.for_duration, (analysis::ForDuration{3, 0}));
  EXPECT_EQ(offline.threshold, 300);
  EXPECT_EQ(c.alert_rules.rule(analysis::AlertType::kStorageWarning).threshold, 70);
  EXPECT_FALSE(c.alert_rules.rule(analysis::AlertType::kUnderutilized).enabled);
  EXPECT_TRUE(c.alert_rules.rule(analysis::AlertType::kLowUptime).enabled) << "other rules keep their defaults";
  EXPECT_NE(describe(c).find("offline for 3 cycles at 300.0 seconds"), std::string::npos) << describe(c);
  EXPECT_NE(describe(c).find("underutilized off"), std::string::npos);
}

TEST(Config, AlertRulesComeFromTheEnvironmentAndBadOnesAreNamed) {
  ServeConfig c = default_config();
  ASSERT_TRUE(apply_environment(c, {{"ALERTS_LOW_UPTIME_FOR", "10m"}, {"ALERTS_GOSSIP_FLAPPING_ENABLED", "off"}}).ok());
  EXPECT_EQ(c.alert_rules.rule(analysis::AlertType::kLowUptime).for_duration, (analysis::ForDuration{0, 600}));
  EXPECT_FALSE(c.alert_rules.rule(analysis::AlertType::kGossipFlapping).enabled);

  auto bad_for = apply_environment(c, {{"ALERTS_OFFLINE_FOR", "two cycles"}});
  ASSERT_FALSE(bad_for.ok());
  EXPECT_EQ(bad_for.error().code, ErrorCode::kConfig);
  EXPECT_NE(bad_for.error().message.find("ALERTS_OFFLINE_FOR"), std::string::npos) << bad_for.error().message;
  EXPECT_FALSE(apply_environment(c, {{"ALERTS_NOPE_FOR", "2 cycles"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"ALERTS_OFFLINE_COLOUR", "red"}}).ok());
  EXPECT_FALSE(apply_environment(c, {{"ALERTS_STORAGE_CRITICAL_THRESHOLD", "101"}}).ok());

  std::string path = pnode::testing::unique_temp_path("pnode-config-alerts-bad.toml");
  std::ofstream(path) << "[alerts.offline]\nsilence = true\n";
  ServeConfig from_file = default_config();
  auto unknown_key = apply_config_file(from_file, path);
  ASSERT_FALSE(unknown_key.ok());
  EXPECT_NE(unknown_key.error().message.find("ALERTS_OFFLINE_SILENCE"), std::string::npos) << unknown_key.error().message;
  std::ofstream(path) << "[alerts]\noffline = 3\n";
  EXPECT_FALSE(apply_config_file(from_file, path).ok()) << "a rule is a table";
}

}  // namespace
}  // namespace pnode::app
