#include "app/serve.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <malloc.h>

#include <csignal>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "analysis/node_view.h"
#include "api/access_log.h"
#include "api/api.h"
#include "api/live_updates.h"
#include "api/metrics.h"
#include "api/snapshot_hub.h"
#include "api/static_files.h"
#include "app/config.h"
#include "app/logging.h"
#include "collect/collector.h"
#include "http/client.h"
#include "http/server.h"
#include "http/websocket_hub.h"
#include "prpc/client.h"
#include "store/store.h"

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

// WEB_ROOT when set; otherwise the dashboard built in the source tree: web/dist under the
// working directory (make run starts from the repository), else <binary>/../web/dist (the
// binary lives in build/), else the installed one (<prefix>/bin/pnode-analytics ->
// <prefix>/share/pnode-analytics/web). Empty when there is none: the API is served alone.
std::string find_web_root(const std::string& configured) {
  if (!configured.empty()) return configured;
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> candidates{fs::current_path(ec) / "web" / "dist"};
  if (auto exe = fs::read_symlink("/proc/self/exe", ec); !ec) {
    fs::path prefix = exe.parent_path().parent_path();
    candidates.push_back(prefix / "web" / "dist");
    candidates.push_back(prefix / "share" / "pnode-analytics" / "web");
  }
  for (const auto& candidate : candidates) {
    if (fs::is_regular_file(candidate / "index.html", ec)) return candidate.string();
  }
  return {};
}

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop = true; }

}  // namespace

namespace {

// Each cycle allocates and frees tens of MB; glibc's defaults (an arena per thread,
// high trim thresholds) would keep all of it resident.
void limit_retained_heap() {
  mallopt(M_ARENA_MAX, 2);
  mallopt(M_MMAP_THRESHOLD, 64 * 1024);
  mallopt(M_TRIM_THRESHOLD, 64 * 1024);
}

}  // namespace

int run_serve_command(int argc, char** argv) {
  limit_retained_heap();
  auto loaded_config = load_config(argc, argv);
  if (!loaded_config.ok()) {
    std::cerr << "pnode-analytics serve: " << loaded_config.error().message << "\n";
    return 2;
  }
  const ServeConfig& config = *loaded_config;
  configure_logging(config.log_format);
  spdlog::info("effective configuration:\n{}", describe(config));

  auto opened = store::open_store(config.database_url);
  if (!opened.ok()) {
    spdlog::error("cannot open the store: {}", opened.error().message);
    return 1;
  }
  std::unique_ptr<store::Store> store = std::move(*opened);

  api::SnapshotHub hub;
  analysis::ViewOptions view_options{config.latest_version};
  store::LoadedState state;  // the collector completes and publishes it (restore below)
  if (auto loaded = store->load(); loaded.ok()) {
    state = std::move(*loaded);
  } else {
    spdlog::error("cannot load the stored state (starting empty): {}", loaded.error().message);
  }

  http::Client http_client(1);
  prpc::ClientOptions rpc_options;
  rpc_options.connect_timeout = std::chrono::milliseconds(config.rpc_connect_timeout_ms);
  rpc_options.total_timeout = std::chrono::milliseconds(config.rpc_total_timeout_ms);
  prpc::Client rpc(http_client, rpc_options);
  collect::CollectorConfig collector_config;
  for (const auto& seed : config.ip_nodes) collector_config.seeds.push_back({seed.to_string(), seed});
  collector_config.interval = std::chrono::seconds(config.cache_ttl);
  collector_config.cycle.views = view_options;
  collector_config.cycle.retention_days = config.retention_days;
  // The dashboard's live feed (/ws/pnodes): a client gets the current summary on connecting,
  // then one message per cycle with the nodes that changed, built once and shared.
  auto live = std::make_shared<http::WebSocketHub>(http::WebSocketOptions{}, [&hub] {
    return api::live_hello_message(hub.current().get(), api::system_unix_seconds());
  });
  std::shared_ptr<const model::Snapshot> previous_live = hub.current();  // collector thread only
  collect::Collector collector(
      collector_config, rpc, store.get(),
      [&hub, &live, &previous_live](std::shared_ptr<const model::Snapshot> s) {
        hub.publish(s);  // first, so a client reloading after the message reads this cycle
        if (auto message = api::live_update_message(*s, previous_live.get(), api::system_unix_seconds()))
          live->broadcast(std::move(message));
        previous_live = std::move(s);
      });
  collector.restore(state);

  auto process_start = static_cast<int64_t>(std::time(nullptr));
  api::Metrics metrics(static_cast<double>(process_start));  // outlives the Api and the collector
  collector.set_observer([&metrics](const collect::CycleReport& report) {
    metrics.record_cycle(report);
    malloc_trim(0);  // a cycle frees most of what it allocated: give it back to the OS
  });
  api::ApiConfig api_config;
  api_config.cache_ttl = config.cache_ttl;
  api_config.cors_origins = config.cors_origins;
  api_config.process_start = process_start;
  api_config.metrics = &metrics;
  api_config.admin_token = config.admin_token;
  api_config.prune = [&store, &collector](int64_t cutoff) -> Result<int64_t> {
    auto pruned = store->prune_registry(cutoff);
    if (pruned.ok()) collector.schedule_prune(cutoff);  // leaves what is served at the next cycle
    return pruned;
  };
  if (std::string web_root = find_web_root(config.web_root); !web_root.empty()) {
    auto dashboard = api::StaticFiles::load(web_root);
    if (!dashboard.ok()) {
      spdlog::error("cannot serve the dashboard: {}", dashboard.error().message);
      if (!config.web_root.empty()) return 1;  // asked for explicitly: a mistake to report
    } else {
      api_config.static_files = *dashboard;
      spdlog::info("serving the dashboard from {} ({} files, {} bytes)", (*dashboard)->root(),
                   (*dashboard)->paths().size(), (*dashboard)->total_bytes());
    }
  } else {
    spdlog::info("no dashboard: web/dist not found (set WEB_ROOT); serving the API only");
  }
  api::Api api(api_config, hub, store.get());

  http::ServerOptions server_options;
  server_options.listen = {http::Listen{config.bind, config.port}};
  server_options.threads = config.http_threads;
  http::Server server(server_options, api.handler());
  server.set_websocket("/ws/pnodes", live);
  server.set_observer(api::access_log_observer(config.log_format == "json" ? api::AccessLogFormat::kJson
                                                                         : api::AccessLogFormat::kText));
  auto ports = server.start();
  if (!ports.ok()) {
    spdlog::error("cannot listen on {}:{}: {}", config.bind, config.port, ports.error().message);
    return 1;
  }
  spdlog::info("serving http://{}:{}", config.bind, (*ports)[0]);
  std::thread collector_thread([&collector] { collector.run(); });

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  spdlog::info("stopping");
  collector.request_stop();
  collector_thread.join();
  server.stop();
  return 0;
}

}  // namespace pnode::app
