// sockjs-server: the standard test services (spec §8) and a demo page.
//
//   sockjs-server [--host 127.0.0.1] [--port 8081] [--threads N]
//                 [--sockjs-url /lib/sockjs.min.js] [--config-file FILE]
//                 [--cluster-port P --cluster-peers HOST:PORT,...] ...
//
// Every option can also be set in a CAF config file (INI), see
// config/sockjs-server.conf. --help lists them all.
#include "app/demo_page.hpp"
#include "app/test_services.hpp"
#include "sockjs/actors/log.hpp"
#include "sockjs/admin.hpp"
#include "sockjs/io_scheduler.hpp"
#include "sockjs/message_types.hpp"
#include "sockjs/run.hpp"
#include "sockjs/server.hpp"

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>

#include <csignal>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <sys/resource.h>
#include <system_error>
#include <thread>

namespace {

struct server_app_config : caf::actor_system_config {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8081;
  bool reuse_port = false;
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::string sockjs_url = "/lib/sockjs.min.js";
  std::string client_dir = SOCKJS_CLIENT_DIR;
  std::size_t response_limit = 128 * 1024;
  std::size_t echo_response_limit = 4096;
  std::size_t heartbeat_delay_ms = 25000;
  std::size_t disconnect_delay_ms = 5000;
  std::size_t max_queued_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_websocket_message_bytes = 1024 * 1024;
  std::size_t max_connections = 0;
  std::size_t max_sessions = 0;
  std::string allowed_origins;
  std::size_t request_timeout_ms = 10000;
  std::size_t keep_alive_timeout_ms = 60000;
  bool quiet = false;
  std::string log_format = "text";
  std::string log_level = "info";
  std::int32_t admin_port = -1;
  std::string admin_host = "127.0.0.1";
  std::size_t drain_timeout_ms = 5000;
  std::string tls_cert;
  std::string tls_key;
  std::uint16_t cluster_port = 0;
  std::string cluster_host; // default: host
  std::string cluster_peers;
  std::size_t cluster_timeout_ms = 2000;

  server_app_config() {
    sockjs::announce_message_types(*this);
    load<sockjs::io_scheduler>();
    opt_group{custom_options_, "global"}
        .add(host, "host", "address to listen on")
        .add(port, "port", "TCP port to listen on (0 picks a free one)")
        .add(reuse_port, "reuse-port",
             "share the port with other sockjs-server processes "
             "(SO_REUSEPORT): the kernel spreads connections over them")
        .add(threads, "threads",
             "threads serving sockets and actors alike (one per core)")
        .add(sockjs_url, "sockjs-url", "script URL loaded by the iframe page")
        .add(client_dir, "client-dir",
             "node_modules folder with sockjs-client and websocket-multiplex, "
             "served under /lib/")
        .add(response_limit, "response-limit",
             "bytes per streaming response (all services but /echo)")
        .add(echo_response_limit, "echo-response-limit",
             "bytes per streaming response of /echo")
        .add(heartbeat_delay_ms, "heartbeat-delay",
             "idle ms before a heartbeat")
        .add(disconnect_delay_ms, "disconnect-delay",
             "ms a session lives without a receiver")
        .add(max_queued_bytes, "max-queued-bytes",
             "bytes a session queues for its client before closing with 1013")
        .add(max_header_bytes, "max-header-bytes", "request header limit (431)")
        .add(max_body_bytes, "max-body-bytes", "request body limit (413)")
        .add(max_websocket_message_bytes, "max-websocket-message-bytes",
             "websocket message limit (close 1009)")
        .add(max_connections, "max-connections",
             "open connections at most (0: no limit); past it the oldest "
             "connection waiting for a request goes, else 503")
        .add(max_sessions, "max-sessions",
             "sessions per service at most (0: no limit); past it 503, or "
             "close 1013 for a websocket")
        .add(allowed_origins, "allowed-origins",
             "origins whose pages may connect, e.g. "
             "https://example.com,http://localhost:3000 (default: any); "
             "others get 403, and htmlfile, jsonp and the iframe page are off")
        .add(request_timeout_ms, "request-timeout",
             "ms from accept until the first request head is complete")
        .add(keep_alive_timeout_ms, "keep-alive-timeout",
             "ms an idle keep-alive connection waits for its next request")
        .add(quiet, "quiet", "do not log one line per request")
        .add(log_format, "log-format",
             "text, or json: one object per line (time, level, msg; request "
             "lines: method, path, status, duration_us, peer, transport, "
             "session)")
        .add(log_level, "log-level", "error, warning, info or debug")
        .add(admin_port, "admin-port",
             "port of the operators' endpoint: /metrics (Prometheus), "
             "/healthz, /readyz (-1: none; 0 picks a free one)")
        .add(admin_host, "admin-host",
             "address of the operators' endpoint (keep it private)")
        .add(tls_cert, "tls-cert",
             "PEM certificate chain: the port then speaks https and wss only "
             "(SIGHUP reloads it)")
        .add(tls_key, "tls-key", "PEM private key of --tls-cert")
        .add(drain_timeout_ms, "drain-timeout",
             "ms that SIGTERM/SIGINT give sessions to get their close frame "
             "c[1001] before the process exits")
        .add(cluster_port, "cluster-port",
             "port of this node's cluster endpoint (0: no cluster)")
        .add(cluster_host, "cluster-host",
             "address of the cluster endpoint, as the other nodes dial it "
             "(default: --host)")
        .add(cluster_peers, "cluster-peers",
             "the other nodes' cluster endpoints, HOST:PORT,HOST:PORT")
        .add(cluster_timeout_ms, "cluster-timeout",
             "ms before a silent node counts as down and a request to it "
             "fails (the same on every node)");
  }

  /// With a cluster port: loads CAF's middleman, with BASP heartbeats so
  /// that a hung node is noticed within the cluster timeout.
  void prepare_cluster() {
    if (cluster_port == 0) return;
    if (cluster_host.empty()) cluster_host = host;
    load<caf::io::middleman>();
    const auto timeout = std::chrono::milliseconds{cluster_timeout_ms};
    set("middleman.connection-timeout", caf::timespan{timeout});
    set("middleman.heartbeat-interval", caf::timespan{timeout / 4});
  }

  static std::vector<std::string> split_list(const std::string& list) {
    std::vector<std::string> items;
    std::istringstream in{list};
    for (std::string item; std::getline(in, item, ',');) {
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      if (!item.empty()) items.push_back(item);
    }
    return items;
  }

  /// Parses the command line, accepting `--name value` as well as CAF's
  /// `--name=value`.
  caf::error parse_command_line(int argc, char** argv) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      const bool joinable = arg.size() > 2 && arg.compare(0, 2, "--") == 0 &&
                            arg.find('=') == std::string::npos && i + 1 < argc;
      if (joinable) {
        auto option = custom_options_.cli_long_name_lookup(arg.substr(2));
        if ((option && !option->is_flag()) || arg == "--config-file")
          arg += std::string{"="} + argv[++i];
      }
      args.push_back(std::move(arg));
    }
    return parse(std::move(args));
  }
};

std::string read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) return {};
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

void log_request(const sockjs::request_log_entry& entry) {
  namespace log = sockjs::log;
  if (log::current_format() == log::format::text) {
    log::info(entry.method, ' ', entry.target, ' ', entry.status, ' ',
              entry.duration.count(), "us ", entry.peer_address);
    return;
  }
  if (!log::enabled(log::level::info)) return;
  log::write(log::level::info, "request",
             {{"method", entry.method},
              {"path", entry.target},
              {"status", std::to_string(entry.status), true},
              {"duration_us", std::to_string(entry.duration.count()), true},
              {"peer", entry.peer_address},
              {"transport", entry.transport},
              {"session", entry.session}});
}

// The logging options, applied before anything logs. False: a bad value.
bool configure_logging(const server_app_config& cfg) {
  sockjs::log::level level{};
  if (!sockjs::log::parse_level(cfg.log_level, level)) {
    std::cerr << "sockjs-server: --log-level must be error, warning, info or "
                 "debug, not '"
              << cfg.log_level << "'\n";
    return false;
  }
  sockjs::log::set_level(level);
  if (cfg.log_format == "json") {
    sockjs::log::set_format(sockjs::log::format::json);
  } else if (cfg.log_format != "text") {
    std::cerr << "sockjs-server: --log-format must be text or json, not '"
              << cfg.log_format << "'\n";
    return false;
  }
  return true;
}

// Every session holds a socket: let the process have as many as it may.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  rlimit wanted{1 << 20, 1 << 20}; // root may raise the hard limit too
  if (setrlimit(RLIMIT_NOFILE, &wanted) != 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int run(caf::actor_system& system, const server_app_config& cfg) {
  raise_open_file_limit();
  sockjs::server_config server_cfg;
  server_cfg.host = cfg.host;
  server_cfg.port = cfg.port;
  server_cfg.reuse_port = cfg.reuse_port;
  server_cfg.max_header_bytes = cfg.max_header_bytes;
  server_cfg.max_body_bytes = cfg.max_body_bytes;
  server_cfg.max_websocket_message_bytes = cfg.max_websocket_message_bytes;
  server_cfg.max_connections = cfg.max_connections;
  server_cfg.request_timeout =
      std::chrono::milliseconds{cfg.request_timeout_ms};
  server_cfg.keep_alive_timeout =
      std::chrono::milliseconds{cfg.keep_alive_timeout_ms};
  server_cfg.tls_certificate_file = cfg.tls_cert;
  server_cfg.tls_private_key_file = cfg.tls_key;
  if (!cfg.quiet) server_cfg.logger = log_request;
  if (cfg.cluster_port != 0) {
    server_cfg.cluster.port = cfg.cluster_port;
    server_cfg.cluster.host = cfg.cluster_host;
    server_cfg.cluster.peers = server_app_config::split_list(cfg.cluster_peers);
    server_cfg.cluster.timeout =
        std::chrono::milliseconds{cfg.cluster_timeout_ms};
  }

  sockjs::app::test_service_settings settings;
  settings.base.response_limit = cfg.response_limit;
  settings.base.sockjs_url = cfg.sockjs_url;
  settings.base.heartbeat_delay =
      std::chrono::milliseconds{cfg.heartbeat_delay_ms};
  settings.base.disconnect_delay =
      std::chrono::milliseconds{cfg.disconnect_delay_ms};
  settings.base.max_queued_bytes = cfg.max_queued_bytes;
  settings.base.max_sessions = cfg.max_sessions;
  settings.base.allowed_origins =
      server_app_config::split_list(cfg.allowed_origins);
  if (!cfg.quiet) settings.base.logger = log_request;
  settings.echo_response_limit = cfg.echo_response_limit;

  std::optional<sockjs::server> server;
  try {
    server.emplace(system, server_cfg);
    sockjs::app::add_test_services(system, *server, settings);
  } catch (const std::exception& e) {
    sockjs::log::error("bad configuration: ", e.what());
    return 2;
  }
  auto& srv = *server;
  srv.add_file("/", "text/html; charset=UTF-8",
               std::string{sockjs::app::demo_page});
  // The client scripts of the demo page (npm, scripts/fetch-client.sh).
  const std::pair<const char*, const char*> scripts[] = {
      {"sockjs-client/dist/sockjs.min.js", "/lib/sockjs.min.js"},
      {"sockjs-client/dist/sockjs.js", "/lib/sockjs.js"},
      {"websocket-multiplex/multiplex_client.js",
       "/lib/websocket-multiplex.js"},
  };
  for (const auto& [file, path] : scripts) {
    auto body = read_file(cfg.client_dir + "/" + file);
    if (body.empty())
      sockjs::log::warning("no ", cfg.client_dir, "/", file, ": ", path,
                           " is not served (scripts/fetch-client.sh "
                           "installs it)");
    else
      srv.add_file(path, "application/javascript; charset=UTF-8",
                   std::move(body));
  }

  std::uint16_t port = 0;
  try {
    port = srv.start();
  } catch (const std::system_error& e) {
    sockjs::log::error("cannot listen on ", cfg.host, ":", cfg.port, ": ",
                       e.what());
    return 1;
  } catch (const std::exception& e) {
    sockjs::log::error("bad configuration: ", e.what());
    return 2;
  }
  sockjs::log::info("sockjs-server listening on ",
                    srv.secure() ? "https://" : "http://", cfg.host, ":", port,
                    "/");
  if (cfg.cluster_port != 0)
    sockjs::log::info("cluster endpoint ", cfg.cluster_host, ":",
                      cfg.cluster_port, "; peers: ",
                      cfg.cluster_peers.empty() ? "none yet"
                                                : cfg.cluster_peers);
  std::optional<sockjs::admin_endpoint> admin;
  if (cfg.admin_port >= 0) {
    if (cfg.admin_port > 65535) {
      sockjs::log::error("--admin-port ", cfg.admin_port, " is no port");
      return 2;
    }
    sockjs::admin_config admin_cfg;
    admin_cfg.host = cfg.admin_host;
    admin_cfg.port = static_cast<std::uint16_t>(cfg.admin_port);
    admin.emplace(srv, admin_cfg);
    try {
      const auto admin_port = admin->start();
      sockjs::log::info("operators' endpoint on http://", cfg.admin_host, ":",
                        admin_port, "/metrics, /healthz, /readyz");
      std::cout << "admin on " << cfg.admin_host << ":" << admin_port
                << std::endl;
    } catch (const std::exception& e) {
      sockjs::log::error("cannot listen on ", cfg.admin_host, ":",
                         cfg.admin_port, ": ", e.what());
      return 1;
    }
  }
  // Tests read this line to learn an ephemeral port.
  std::cout << "listening on " << cfg.host << ":" << port << std::endl;

  const int signal = sockjs::wait_for_stop_signal(
      [&srv] { sockjs::reload_tls_on_hangup(srv); });
  sockjs::log::info("signal ", signal, ": draining (at most ",
                    cfg.drain_timeout_ms,
                    " ms): no new connections, "
                    "/readyz 503, every session closed with 1001");
  // The admin endpoint answers on meanwhile: /readyz says we are going.
  const auto drain = std::chrono::milliseconds{cfg.drain_timeout_ms};
  const auto deadline = std::chrono::steady_clock::now() + drain;
  srv.stop(drain);
  if (admin) admin->stop();
  // Exit within the drain bound even if some actor does not end (a request
  // still waiting for a reply, say): say so and go.
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  sockjs::let_actors_finish(system,
                            std::max(left, std::chrono::milliseconds{100}));
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  server_app_config cfg;
  if (auto err = cfg.parse_command_line(argc, argv)) {
    std::cerr << "sockjs-server: " << cfg.render(err) << "\n";
    return 2;
  }
  if (cfg.cli_helptext_printed) return 0;
  if (!configure_logging(cfg)) return 2;
  cfg.prepare_cluster();
  cfg.set("scheduler.max-threads", std::max<std::size_t>(cfg.threads, 1));
  // Blocked before any thread starts, so that every thread inherits the
  // mask and SIGINT/SIGTERM reach only the wait in run(): a signal taken by
  // another thread would kill the process without a clean stop.
  sockjs::block_stop_signals();
  int result = 0;
  {
    caf::actor_system system{cfg};
    result = run(system, cfg);
  }
  return result;
}
