// The load scenarios of sockjs-bench. Each runs on one I/O thread against
// 127.0.0.1, is bounded in messages and time, verifies what comes back,
// and measures the server process between "all sessions open" and "done".
#pragma once

#include "app/bench/measure.hpp"

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace sockjs::bench {

/// Websocket sessions a source address: the kernel finds a free port
/// faster in a sparse range.
inline constexpr std::size_t sessions_per_source = 5000;

struct options {
  std::string scenario = "ws-echo";
  std::uint16_t port = 8081;
  std::string prefix; // default depends on the scenario
  std::size_t sessions = 100;
  std::size_t messages = 100000;
  std::size_t size = 32;
  std::size_t depth = 1;  // messages in flight per session
  double duration_s = 30; // upper bound on the measured phase
  bool unicode = false;
  /// Websocket sessions come from 127.0.0.first_source and up (several
  /// sockjs-bench processes: a range each, or they share source ports).
  unsigned first_source = 1;
  /// The server's processes (several for a cluster): CPU and RSS summed.
  std::vector<pid_t> server_pid;
};

struct outcome {
  std::size_t messages = 0; // echoes (or deliveries, handshakes) verified
  std::size_t errors = 0;
  latency_log latencies;
  double seconds = 0;
  std::uint64_t server_cpu_us = 0;
  std::uint64_t client_cpu_us = 0;     // this load generator's own
  std::uint64_t rss_kb = 0;            // server RSS at the end of the phase
  std::uint64_t rss_per_session_b = 0; // idle only
  std::size_t heartbeats = 0;          // idle only: `h` frames received
};

outcome run_ws_echo(const options& opt, bool raw);
outcome run_broadcast(const options& opt);
outcome run_idle(const options& opt);
outcome run_handshakes(const options& opt);
outcome run_xhr_echo(const options& opt, bool streaming);

} // namespace sockjs::bench
