#include "sockjs/run.hpp"

#include "sockjs/actors/log.hpp"
#include "sockjs/io_scheduler.hpp"
#include "sockjs/message_types.hpp"

#include <caf/actor_system_config.hpp>

#include <csignal>
#include <iostream>
#include <pthread.h>
#include <string>
#include <system_error>
#include <thread>

namespace sockjs {

namespace {

sigset_t stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  return signals;
}

struct run_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8081;
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::string tls_certificate;
  std::string tls_private_key;
};

constexpr const char* usage =
    "options: --host ADDRESS (127.0.0.1) --port N (8081; 0 picks one) "
    "--threads N (one per core) --tls-cert FILE --tls-key FILE (PEM; "
    "SIGHUP reloads them)\n";

bool parse(int argc, char** argv, run_options& out) {
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    if (i + 1 >= argc) return false;
    const std::string value = argv[++i];
    try {
      std::size_t used = 0;
      if (name == "--host") {
        out.host = value;
        continue;
      }
      if (name == "--tls-cert" || name == "--tls-key") {
        (name == "--tls-cert" ? out.tls_certificate : out.tls_private_key) =
            value;
        continue;
      }
      const auto number = std::stoul(value, &used);
      if (used != value.size()) return false;
      if (name == "--port" && number <= 65535)
        out.port = static_cast<std::uint16_t>(number);
      else if (name == "--threads" && number > 0)
        out.threads = number;
      else
        return false;
    } catch (const std::exception&) {
      return false;
    }
  }
  return true;
}

} // namespace

void block_stop_signals() {
  const auto signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int wait_for_stop_signal(const std::function<void()>& on_hangup) {
  const auto signals = stop_signals();
  for (;;) {
    int signal = 0;
    sigwait(&signals, &signal);
    if (signal != SIGHUP) return signal;
    if (on_hangup) on_hangup();
  }
}

void reload_tls_on_hangup(server& srv) {
  if (!srv.secure()) {
    log::info("SIGHUP: nothing to reload (no TLS)");
    return;
  }
  if (auto problem = srv.reload_tls(); problem.empty())
    log::info("SIGHUP: TLS certificate reloaded; new connections use it");
  else
    log::error("SIGHUP: TLS certificate not reloaded, the old one stays: ",
               problem);
}

void let_actors_finish(caf::actor_system& system,
                       std::chrono::milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (system.registry().running() > 0 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  if (auto left = system.registry().running(); left > 0) {
    log::warning(left, " actors still running at exit; not waiting");
    system.await_actors_before_shutdown(false);
  }
}

int run_server(int argc, char** argv,
               std::function<void(caf::actor_system&, server&)> setup) {
  run_options options;
  if (!parse(argc, argv, options)) {
    std::cerr << argv[0] << ": " << usage;
    return 2;
  }
  block_stop_signals();
  caf::actor_system_config cfg;
  announce_message_types(cfg);
  cfg.load<io_scheduler>();
  cfg.set("scheduler.max-threads", options.threads);
  caf::actor_system system{cfg};
  server_config server_cfg;
  server_cfg.host = options.host;
  server_cfg.port = options.port;
  server_cfg.tls_certificate_file = options.tls_certificate;
  server_cfg.tls_private_key_file = options.tls_private_key;
  int result = 0;
  {
    server srv{system, server_cfg};
    try {
      setup(system, srv);
    } catch (const std::exception& e) {
      log::error("setup failed: ", e.what());
      return 2;
    }
    std::uint16_t port = 0;
    try {
      port = srv.start();
    } catch (const std::system_error& e) {
      log::error("cannot listen on ", options.host, ":", options.port, ": ",
                 e.what());
      return 1;
    } catch (const std::exception& e) {
      log::error("cannot start: ", e.what());
      return 2;
    }
    std::cout << "listening on " << options.host << ":" << port << std::endl;
    const int signal =
        wait_for_stop_signal([&srv] { reload_tls_on_hangup(srv); });
    log::info("signal ", signal, ": stopping");
    srv.stop();
  }
  let_actors_finish(system);
  return result;
}

} // namespace sockjs
