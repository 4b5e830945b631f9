// The standard SockJS test services (spec §8) that sockjs-server runs and
// the integration tests use: echo, close, disabled_websocket_echo,
// cookie_needed_echo, amplify, broadcast, ticker; and multiplex (channels
// ann, bob, carl, as in sockjs-erlang's example).
#pragma once

#include "sockjs/server.hpp"
#include "sockjs/service.hpp"

#include <caf/actor_system.hpp>

namespace sockjs::app {

struct test_service_settings {
  /// Options of every service; each service then applies its own twist.
  service_options base;
  /// /echo's response_limit (the protocol suite relies on 4096).
  std::size_t echo_response_limit = 4096;
  std::chrono::milliseconds ticker_interval{1000};
};

void add_test_services(caf::actor_system& system, server& srv,
                       const test_service_settings& settings);

} // namespace sockjs::app
