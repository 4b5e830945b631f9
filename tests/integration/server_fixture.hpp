// Starts the standard test services (spec §8) in-process on an ephemeral
// 127.0.0.1 port, for integration tests that speak raw HTTP to them.
#pragma once

#include "app/test_services.hpp"
#include "sockjs/io_scheduler.hpp"
#include "sockjs/message_types.hpp"
#include "sockjs/server.hpp"
#include "tests/integration/client.hpp"

#include <caf/all.hpp>
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

namespace sockjs::test {

struct system_config : caf::actor_system_config {
  system_config() {
    announce_message_types(*this);
    load<io_scheduler>();
    set("scheduler.max-threads", 2);
  }
};

/// With SOCKJS_TEST_LOG set, servers log every request to stderr.
inline std::function<void(const request_log_entry&)> test_logger() {
  if (!std::getenv("SOCKJS_TEST_LOG")) return {};
  return [](const request_log_entry& e) {
    std::fprintf(stderr, "server: %s %s %u %lldus\n", e.method.c_str(),
                 e.target.c_str(), e.status,
                 static_cast<long long>(e.duration.count()));
  };
}

/// Whether RSS tells of our memory: sanitizers' quarantine and shadow
/// memory drown it.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool rss_meaningful = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool rss_meaningful = false;
#else
inline constexpr bool rss_meaningful = true;
#endif
#else
inline constexpr bool rss_meaningful = true;
#endif

/// Resident memory of this process in KiB.
inline std::size_t rss_kb() {
  std::ifstream in{"/proc/self/status"};
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
  return 0;
}

inline server_config test_server_config() {
  server_config cfg;
  cfg.host = "127.0.0.1";
  cfg.port = 0;
  cfg.logger = test_logger();
  return cfg;
}

inline app::test_service_settings test_settings() {
  app::test_service_settings settings;
  settings.base.logger = test_logger();
  return settings;
}

/// Opens a streaming receiver and returns the connection after its head.
inline tcp_client open_stream(std::uint16_t port, const std::string& method,
                              const std::string& url,
                              response* head = nullptr) {
  tcp_client client{port};
  client.send_request(method, url);
  auto res = client.read_head();
  if (head) *head = res;
  return client;
}

struct server_fixture {
  explicit server_fixture(app::test_service_settings settings = test_settings(),
                          server_config server_cfg = test_server_config())
      : system(config), srv(system, server_cfg) {
    app::add_test_services(system, srv, settings);
    port = srv.start();
  }

  ~server_fixture() {
    srv.stop(std::chrono::milliseconds{200});
    // A test must not hang on an actor that outlives its server: report it
    // and do not wait for it.
    for (int i = 0; i < 200 && system.registry().running() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    if (auto left = system.registry().running(); left > 0) {
      std::fprintf(stderr, "warning: %zu actors outlived the server\n", left);
      system.await_actors_before_shutdown(false);
    }
  }

  /// A fresh session URL below `prefix`: `<prefix>/000/<random id>`.
  std::string session_url(const std::string& prefix = "/echo") const {
    return prefix + "/000/" + unique_id();
  }

  /// Polls `pred` until true or 2 s have passed (no fixed sleeps).
  template <class Predicate>
  bool eventually(Predicate pred) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds{2};
    while (std::chrono::steady_clock::now() < deadline) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
    }
    return pred();
  }

  response get(const std::string& path,
               std::vector<std::pair<std::string, std::string>> headers = {}) {
    return http(port, "GET", path, headers);
  }

  response post(const std::string& path, const std::string& body = {},
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    return http(port, "POST", path, headers, body);
  }

  response
  options(const std::string& path,
          std::vector<std::pair<std::string, std::string>> headers = {}) {
    return http(port, "OPTIONS", path, headers);
  }

  system_config config;
  caf::actor_system system;
  server srv;
  std::uint16_t port = 0;
};

inline std::string strip_spaces(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

} // namespace sockjs::test
