#include "app/serve.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <ctime>
#include <iostream>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

#include <unistd.h>

#include "api/api.h"
#include "api/event_hub.h"
#include "api/geography.h"
#include "collect/availability_recorder.h"
#include "collect/between_cycles.h"
#include "collect/credits_poller.h"
#include "collect/credits_recorder.h"
#include "notify/transport.h"
#include "api/live_updates.h"
#include "app/event_relay.h"
#include "app/notifier.h"
#include "app/subscription_json.h"
#include "broker/nats_publisher.h"
#include "api/metrics.h"
#include "api/snapshot_hub.h"
#include "app/config.h"
#include "app/live_feed.h"
#include "app/logging.h"
#include "app/web_root.h"
#include "collect/collector.h"
#include "collect/leadership.h"
#include "http/client.h"
#include "http/server.h"
#include "prpc/client.h"
#include "rest/access_log.h"
#include "rest/cors.h"
#include "rest/static_files.h"
#include "store/store.h"
#include "util/heap.h"

namespace pnode::app {
namespace {

Result<ServeConfig> load_config(int argc, char** argv) {
  CLI::App cli{"pnode-analytics serve: poll the seeds, keep history, serve the API"};
  std::string config_file;
  std::map<std::string, std::string> flags;
  cli.add_option("--config", config_file, "TOML config file (keys: the environment variable names, lower case)");
  struct Flag {
    const char* name;
    const char* env;
    const char* help;
  };
  const Flag known[] = {
      {"--ip-nodes", "IP_NODES", "seeds to poll: host[:port],... (default: the simulator's 127.0.0.1:16001-16009)"},
      {"--cache-ttl", "CACHE_TTL", "poll interval in seconds (default 60)"},
      {"--port", "PORT", "HTTP port (default 8080)"},
      {"--bind", "BIND", "HTTP listen address (default 127.0.0.1)"},
      {"--database-url", "DATABASE_URL", "sqlite:///absolute/path.db (default ./data/pnode-analytics.db)"},
      {"--latest-version", "LATEST_VERSION", "override the derived latest version"},
      {"--log-format", "LOG_FORMAT", "text or json"},
      {"--http-threads", "HTTP_THREADS", "HTTP I/O threads (default 2)"},
      {"--seed-quorum", "SEED_QUORUM", "seeds that must answer for a cycle to count (default: half, rounded up)"},
      {"--store-open-corrupt", "STORE_OPEN_CORRUPT",
       "a database that fails its integrity check: refuse (default) or read-only (serve what it holds)"},
      {"--web-root", "WEB_ROOT",
       "folder of the built dashboard (default: web/dist under the working directory, else beside the binary's "
       "build folder, else <prefix>/share/pnode-analytics/web when installed; the first with an index.html)"},
  };
  for (const auto& f : known) cli.add_option(f.name, flags[f.env], f.help);
  bool allow_real = false;
  cli.add_flag("--allow-real-network", allow_real, "allow seeds and bind addresses outside 127.0.0.0/8");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::exit(cli.exit(e));
  }

  ServeConfig config = default_config();
  if (!config_file.empty())
    if (auto s = apply_config_file(config, config_file); !s.ok()) return s.error();
  if (auto s = apply_environment(config, read_environment()); !s.ok()) return s.error();
  if (auto s = apply_environment(config, flags); !s.ok()) return s.error();
  if (allow_real) config.allow_real_network = true;
  if (auto s = validate(config); !s.ok()) return s.error();
  return config;
}

// This instance's name in the collector lease: host, pid and HTTP port.
std::string instance_name(uint16_t port) {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + std::to_string(port);
}

// Keeps the collector lease: ticks it when due on its own thread (renewals must not wait
// for a long cycle), and resigns it on shutdown so another instance takes over at once. A
// store without a lease (SQLite) needs no thread.
class LeaseKeeper {
 public:
  explicit LeaseKeeper(collect::Leadership& leadership) : leadership_(leadership) {
    auto next = leadership_.tick();
    if (leadership_.role() == collect::Role::kSoleInstance) return;
    thread_ = std::jthread([this, next](std::stop_token stop) mutable {
      std::mutex mutex;
      std::condition_variable_any wake;
      while (true) {
        std::unique_lock lock(mutex);
        if (wake.wait_until(lock, stop, next, [] { return false; }) || stop.stop_requested()) return;
        next = leadership_.tick();
      }
    });
  }
  void stop_and_resign() {
    if (thread_.joinable()) {
      thread_.request_stop();
      thread_.join();
    }
    leadership_.resign();
  }

 private:
  collect::Leadership& leadership_;
  std::jthread thread_;
};

// NATS_URL: the outbox's events go to NATS JetStream. The publisher connects at the first
// pass that needs it, and again after a failure (the relay retries every pass).
std::unique_ptr<EventRelay> nats_relay(const ServeConfig& config, store::Store& store) {
  if (config.nats_url.empty()) return nullptr;
  auto publisher = std::make_shared<std::unique_ptr<broker::NatsPublisher>>();
  broker::NatsOptions options;
  options.url = config.nats_url;
  return std::make_unique<EventRelay>(store, [publisher, options](const store::StoredEvent& e) -> Status {
    if (!*publisher) {
      auto connected = broker::NatsPublisher::connect(options);
      if (!connected.ok()) return connected.error();
      *publisher = std::move(*connected);
    }
    auto ack = (*publisher)->publish(e.event.type, e.event.id, e.event.body);
    if (!ack.ok()) return ack.error();
    return ok_status();
  });
}

// GEO_DATABASE: where nodes are. A missing or unreadable database leaves geography off
// with a warning; the rest of the service does not need it.
std::shared_ptr<const api::GeographyIndex> geography_index(const ServeConfig& config) {
  if (config.geo_database.empty()) return nullptr;
  auto locator = geo::Locator::open(config.geo_database);
  if (!locator.ok()) {
    spdlog::warn("no geography: cannot open the location database {}: {}", config.geo_database,
                 locator.error().message);
    return nullptr;
  }
  std::shared_ptr<const geo::Locator> shared = std::move(*locator);
  spdlog::info("location database {} ({}, made {})", config.geo_database, shared->vendor(),
               static_cast<int64_t>(shared->created_at()));
  return std::make_shared<const api::GeographyIndex>(std::move(shared));
}

// CREDITS_*_URL: the pod-credits sources, read over libcurl (https allowed; config
// validation keeps them on loopback unless ALLOW_REAL_NETWORK). Every instance reads them
// itself: two small GETs per interval. Null when no source is set.
std::unique_ptr<collect::CreditsPoller> credits_poller(const ServeConfig& config) {
  if (config.credits_mainnet_url.empty() && config.credits_devnet_url.empty()) return nullptr;
  analysis::CreditRules rules;
  rules.percentile = config.credits_percentile;
  rules.fraction = config.credits_fraction_percent / 100.0;
  auto fetch = [](const std::string& url) -> Result<std::string> {
    notify::HttpLimits limits;
    limits.total_timeout = std::chrono::seconds(20);
    limits.max_response_body = 32u << 20;  // ~450k rows: far above any network's pod count
    auto answer = notify::http_get(url, {"Accept: application/json"}, limits);
    if (!answer.ok()) return answer.error();
    if (answer->status != 200) return make_error(ErrorCode::kProtocol, "HTTP " + std::to_string(answer->status));
    return std::move(answer->body);
  };
  return std::make_unique<collect::CreditsPoller>(
      collect::CreditsSources{config.credits_mainnet_url, config.credits_devnet_url}, std::move(fetch), rules,
      [] { return static_cast<int64_t>(std::time(nullptr)); });
}

collect::CollectorConfig collector_config(const ServeConfig& config) {
  collect::CollectorConfig c;
  for (const auto& seed : config.ip_nodes) c.seeds.push_back({seed.to_string(), seed});
  c.interval = std::chrono::seconds(config.cache_ttl);
  c.cycle.views = analysis::ViewOptions{config.latest_version};
  c.cycle.retention_days = config.retention_days;
  c.seed_quorum = static_cast<size_t>(config.seed_quorum);
  c.seed_deadline = std::chrono::milliseconds(effective_seed_deadline_ms(config));
  c.follower_poll = std::chrono::milliseconds(config.follower_poll_ms);
  c.cycle.admission.max_nodes = static_cast<size_t>(config.registry_max_nodes);
  c.cycle.admission.new_nodes_per_seed = static_cast<size_t>(config.new_nodes_per_seed);
  c.alert_rules = config.alert_rules;
  return c;
}

collect::ProberConfig prober_config(const ServeConfig& config) {
  collect::ProberConfig p;
  p.enabled = config.probe_enabled;
  p.concurrency = static_cast<size_t>(config.probe_concurrency);
  p.connect_timeout = std::chrono::milliseconds(config.probe_connect_timeout_ms);
  p.total_timeout = std::chrono::milliseconds(config.probe_timeout_ms);
  p.policy.allow_real_network = config.allow_real_network;
  p.policy.allow = collect::parse_cidr_list(config.probe_allow).value();  // validated with the configuration
  p.policy.deny = collect::parse_cidr_list(config.probe_deny).value();
  p.max_discovered = static_cast<size_t>(config.probe_max_discovered);
  return p;
}

collect::AvailabilityConfig availability_config(const ServeConfig& config) {
  collect::AvailabilityConfig a;
  a.rules.down_after = config.availability_down_after;
  a.rules.max_gap_seconds = config.availability_max_gap;
  // The prober probes only pods the registry admitted, so its cap bounds the pods
  // followed too (the least recently probed addresses make room).
  a.rules.max_pods = static_cast<size_t>(config.registry_max_nodes);
  a.probe_retention_days = std::min(config.probe_history_days, config.retention_days);
  a.session_retention_days = std::max(config.retention_days, 30);  // the 30-day share needs 30 days
  return a;
}

store::OpenOptions store_options(const ServeConfig& config) {
  store::OpenOptions o;
  o.integrity_check = config.store_integrity_check == "full"  ? store::IntegrityCheck::kFull
                      : config.store_integrity_check == "off" ? store::IntegrityCheck::kOff
                                                              : store::IntegrityCheck::kQuick;
  o.on_corrupt = config.store_open_corrupt == "read-only" ? store::OnCorrupt::kReadOnly : store::OnCorrupt::kRefuse;
  o.max_page_count = config.store_max_page_count;
  return o;
}

// Opens the store, saying at once (and plainly) when it is damaged, not writable, or
// opened read-only.
Result<std::unique_ptr<store::Store>> open_configured_store(const ServeConfig& config) {
  auto opened = store::open_store(config.database_url, store_options(config));
  if (!opened.ok()) {
    std::string hint;
    if (opened.error().is(ErrorCode::kCorrupt))
      hint = "; restore a backup, move the file aside to start afresh, or set STORE_OPEN_CORRUPT=read-only to serve "
             "what it holds";
    spdlog::error("cannot open the store: {}{}", opened.error().message, hint);
    return opened.error();
  }
  if (std::string reason = (*opened)->read_only_reason(); !reason.empty())
    spdlog::error("the store at {} is open read-only: {}; the API serves what it holds and no cycle is recorded "
                  "(STORE_OPEN_CORRUPT=read-only)",
                  mask_url_password(config.database_url), reason);
  if (config.store_max_page_count > 0)
    spdlog::warn("the database is capped at {} pages (STORE_MAX_PAGE_COUNT, a diagnostic setting)",
                 config.store_max_page_count);
  return opened;
}

prpc::ClientOptions rpc_options(const ServeConfig& config) {
  prpc::ClientOptions o;
  o.connect_timeout = std::chrono::milliseconds(config.rpc_connect_timeout_ms);
  o.total_timeout = std::chrono::milliseconds(config.rpc_total_timeout_ms);
  return o;
}

// The built dashboard, when there is one. An explicitly configured WEB_ROOT that cannot
// be read is an error; a missing default one only means the API is served alone.
http::ServerOptions server_options(const ServeConfig& config) {
  http::ServerOptions o;
  o.listen = {http::Listen{config.bind, config.port}};
  o.threads = config.http_threads;
  o.max_connections = static_cast<size_t>(config.http_max_connections);
  o.idle_timeout = std::chrono::seconds(config.http_idle_timeout);
  o.request_timeout = std::chrono::seconds(config.http_request_timeout);
  o.max_header_bytes = static_cast<size_t>(config.http_max_header_bytes);
  o.max_target_length = static_cast<size_t>(config.http_max_url_length);
  o.max_request_body = static_cast<size_t>(config.http_max_body_bytes);
  return o;
}

// The live feed's clients: bounded in number and queue, and browser pages only from the
// CORS origins.
http::WebSocketOptions live_feed_options(const ServeConfig& config) {
  http::WebSocketOptions o;
  o.max_sessions = static_cast<size_t>(config.ws_max_clients);
  o.max_queued_messages = static_cast<size_t>(config.ws_max_queue);
  auto cors = std::make_shared<const rest::Cors>(config.cors_origins);
  o.allow_origin = [cors](std::string_view origin) { return cors->is_allowed_origin(origin); };
  return o;
}

rest::ClientRateLimitConfig rate_limit_config(const ServeConfig& config, std::vector<rest::ApiKey> api_keys) {
  rest::ClientRateLimitConfig r;
  r.per_client = rest::RateLimit{config.rate_limit_rps, static_cast<double>(config.rate_limit_burst)};
  r.limit_loopback = config.rate_limit_loopback;
  r.max_clients = static_cast<size_t>(config.rate_limit_max_clients);
  r.api_keys = std::move(api_keys);
  return r;
}

Result<std::shared_ptr<const rest::StaticFiles>> load_dashboard(const ServeConfig& config) {
  std::string web_root = find_web_root(config.web_root);
  if (web_root.empty()) {
    spdlog::info("no dashboard: web/dist not found (set WEB_ROOT); serving the API only");
    return std::shared_ptr<const rest::StaticFiles>();
  }
  auto dashboard = rest::StaticFiles::load(web_root);
  if (!dashboard.ok()) {
    spdlog::error("cannot serve the dashboard: {}", dashboard.error().message);
    if (!config.web_root.empty()) return dashboard.error();
    return std::shared_ptr<const rest::StaticFiles>();
  }
  spdlog::info("serving the dashboard from {} ({} files, {} bytes)", (*dashboard)->root(),
               (*dashboard)->paths().size(), (*dashboard)->total_bytes());
  return *dashboard;
}

// SIGINT and SIGTERM, caught from construction on (before any thread starts, so no
// thread dies of the default action); wait() blocks until one arrives.
class StopSignal {
 public:
  StopSignal() : signals_(io_, SIGINT, SIGTERM) {
    signals_.async_wait([](const boost::system::error_code& ec, int signal_number) {
      if (!ec) spdlog::info("stopping on signal {}", signal_number);
    });
  }
  void wait() { io_.run(); }

 private:
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
};

}  // namespace

int run_serve_command(int argc, char** argv) {
  limit_retained_heap();
  StopSignal stop_signal;
  auto loaded_config = load_config(argc, argv);
  if (!loaded_config.ok()) {
    std::cerr << "pnode-analytics serve: " << loaded_config.error().message << "\n";
    return 2;
  }
  const ServeConfig& config = *loaded_config;
  configure_logging(config.log_format);
  spdlog::info("effective configuration:\n{}", describe(config));
  // Client connections are capped below this, so the collector and the store keep theirs.
  const size_t open_file_limit = http::raise_open_file_limit();
  spdlog::info("open file limit {}; client connections capped at {}", open_file_limit,
               config.http_max_connections > 0 ? static_cast<size_t>(config.http_max_connections)
                                                : http::default_max_connections());
  auto api_keys = load_api_keys(config);
  if (!api_keys.ok()) {
    spdlog::error("{}", api_keys.error().message);
    return 2;
  }

  auto opened = open_configured_store(config);
  if (!opened.ok()) return 1;
  std::unique_ptr<store::Store> store = std::move(*opened);
  store::LoadedState state;  // the collector completes and publishes it (restore below)
  if (auto loaded = store->load(); loaded.ok()) {
    state = std::move(*loaded);
  } else {
    spdlog::error("cannot load the stored state (starting empty): {}", loaded.error().message);
  }

  api::SnapshotHub hub;
  LiveFeed live(hub, live_feed_options(config));
  http::Client http_client(1);
  prpc::Client rpc(http_client, rpc_options(config));
  collect::Collector collector(collector_config(config), rpc, store.get(),
                               [&live](std::shared_ptr<const model::Snapshot> s) { live.publish(std::move(s)); });
  collector.restore(state);
  state = {};  // restore() copied what it keeps; the loaded snapshot and registry would stay for good
  // Probes the public pods beside the cycle on its own threads and client (prober.h);
  // each round becomes availability and probe history on the prober's thread.
  collect::Prober prober(prober_config(config));
  collect::AvailabilityRecorder availability(store.get(), availability_config(config));
  if (config.probe_enabled) {
    if (auto st = availability.restore(static_cast<int64_t>(std::time(nullptr))); !st.ok())
      spdlog::warn("cannot restore availability sessions (starting afresh): {}", st.error().message);
    prober.set_round_listener([&availability](const model::ProbeRound& round) { availability.record(round); });
    collector.set_prober(&prober);
    collector.set_availability(&availability);
  }

  auto process_start = static_cast<int64_t>(std::time(nullptr));
  api::Metrics metrics(static_cast<double>(process_start));  // outlives the Api and the collector
  collector.set_observer([&metrics, &store](const collect::CycleReport& report) {
    metrics.record_cycle(report);
    collect::release_between_cycles(store.get());
  });
  metrics.set_collection_status([&collector] { return collector.status(); });
  // GET /events/stream: the outbox's events as the collector commits them.
  auto event_hub = std::make_shared<api::EventHub>();
  if (auto last = store->last_event_seq(); last.ok()) {
    event_hub->start_after(*last);
  } else {
    spdlog::warn("cannot read the event outbox (streams start from its beginning): {}", last.error().message);
  }
  // The dashboard's WebSocket carries the same events.
  event_hub->set_batch_listener([ws = live.websocket()](const std::vector<store::StoredEvent>& events) {
    for (auto& message : api::live_events_messages(events)) ws->broadcast(std::move(message));
  });
  std::unique_ptr<EventRelay> relay = nats_relay(config, *store);
  // One collector among the instances that share the store (SQLite: this one alone); the
  // lease keeper below keeps it. Only the collector delivers notifications.
  collect::Leadership leadership(*store,
                                 {instance_name(config.port), std::chrono::milliseconds(config.collector_lease_ms)});
  // A paused old leader's late probe round is refused like its late cycle.
  availability.set_write_fence([&leadership] { return leadership.write_fence(); });
  Notifier::Options notifier_options;
  notifier_options.allow_real_network = config.allow_real_network;
  Notifier notifier(*store, config.subscriptions, [&leadership] { return leadership.is_leader(); }, notifier_options);
  collector.set_events_committed([&store, event_hub, &relay, &notifier] {
    if (auto st = event_hub->publish_committed(*store); !st.ok())
      spdlog::warn("cannot stream the new events (sent with the next ones): {}", st.error().message);
    if (relay) relay->poke();
    notifier.poke();
  });
  // Always: subscriptions added through the API have their series too.
  metrics.set_notification_status([&notifier] { return notifier.status(); });
  auto dashboard = load_dashboard(config);
  if (!dashboard.ok()) return 1;
  api::ApiConfig api_config;
  api_config.cache_ttl = config.cache_ttl;
  api_config.cors_origins = config.cors_origins;
  api_config.process_start = process_start;
  api_config.metrics = &metrics;
  api_config.admin_token = config.admin_token;
  api_config.static_files = *dashboard;
  api_config.rate_limit = rate_limit_config(config, std::move(*api_keys));
  api_config.admin_failure_limit = rest::RateLimit{1.0 / 60, static_cast<double>(config.admin_max_failures)};
  api_config.collection_status = [&collector] { return collector.status(); };
  api_config.event_hub = event_hub;
  api_config.geography = geography_index(config);
  std::unique_ptr<collect::CreditsPoller> credits = credits_poller(config);
  // The credits history, kept by the instance that collects.
  collect::CreditsRecorder credits_history(store.get(), config.retention_days,
                                           [&leadership] { return leadership.write_fence(); });
  if (credits) {
    api_config.credits = [&credits] { return credits->current(); };
    credits->set_listener([&credits_history](const collect::CreditsState& state, int64_t now) {
      credits_history.record(state.view, now);
    });
  }
  // Scoring v2 reads each cycle's credits view (the state's own, kept alive with it).
  if (credits)
    collector.set_credits_source([&credits]() -> std::shared_ptr<const analysis::CreditsView> {
      auto state = credits->current();
      if (!state) return nullptr;
      return {state, &state->view};
    });
  api_config.notification_status = [&notifier] { return notifier.status(); };
  api_config.subscriptions = subscription_catalog(config.subscriptions, config.allow_real_network);
  api_config.subscriptions.changed = [&notifier] { notifier.reload(); };
  api_config.prune = [&store, &collector](int64_t cutoff) -> Result<int64_t> {
    auto pruned = store->prune_registry(cutoff);
    if (pruned.ok()) collector.schedule_prune(cutoff);  // leaves what is served at the next cycle
    return pruned;
  };
  api::Api api(api_config, hub, store.get());
  live.set_preparer([&api](const std::shared_ptr<const model::Snapshot>& next) { return api.prepare(next); });

  http::Server server(server_options(config), api.handler());
  server.set_websocket("/ws/pnodes", live.websocket());
  server.set_observer(rest::access_log_observer(
      config.log_format == "json" ? rest::AccessLogFormat::kJson : rest::AccessLogFormat::kText,
      static_cast<size_t>(config.access_log_max_lines)));
  auto ports = server.start();
  if (!ports.ok()) {
    spdlog::error("cannot listen on {}:{}: {}", config.bind, config.port, ports.error().message);
    return 1;
  }
  spdlog::info("serving http://{}:{}", config.bind, (*ports)[0]);
  LeaseKeeper lease_keeper(leadership);
  collector.set_leadership(&leadership);
  std::thread collector_thread([&collector] { collector.run(); });
  std::thread relay_thread;
  if (relay) relay_thread = std::thread([&relay] { relay->run(std::chrono::seconds(5)); });
  std::thread credits_thread;
  if (credits) {
    credits_thread = std::thread([&credits, &config] { credits->run(std::chrono::seconds(config.credits_interval)); });
  }
  if (auto started = notifier.start(); !started.ok()) {
    spdlog::error("cannot deliver notifications: {}", started.error().message);
  } else if (!config.subscriptions.empty()) {
    spdlog::info("delivering notifications to {} subscription(s) while this instance collects",
                 config.subscriptions.size());
  }

  stop_signal.wait();
  collector.request_stop();
  prober.stop();  // a round in progress ends at once
  collector_thread.join();
  if (relay) {
    relay->stop();
    relay_thread.join();
  }
  if (credits) {
    credits->stop();
    credits_thread.join();
  }
  notifier.stop();
  lease_keeper.stop_and_resign();
  event_hub->close_all();
  server.stop();
  return 0;
}

}  // namespace pnode::app
