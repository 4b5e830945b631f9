// The life of a server program, for those that need nothing more: an
// actor system on the io_scheduler, one server, services added by the
// caller, and a clean stop on SIGINT or SIGTERM.
//
//   int main(int argc, char** argv) {
//     return sockjs::run_server(argc, argv, [](caf::actor_system&,
//                                              sockjs::server& srv) {
//       srv.add_service("/echo", {}, my_echo_service);
//     });
//   }
#pragma once

#include "sockjs/server.hpp"

#include <caf/actor_system.hpp>

#include <chrono>
#include <functional>

namespace sockjs {

/// Parses --host (127.0.0.1), --port (8081; 0 picks a free one),
/// --threads (one per core) and --tls-cert/--tls-key (PEM files: https and
/// wss; SIGHUP reloads them); blocks SIGINT, SIGTERM and SIGHUP; builds the
/// actor system; calls `setup` to add services and files; starts; prints
/// "listening on HOST:PORT" on stdout; serves until a stop signal; stops.
/// Returns the exit code: 0, 1 when it cannot listen, 2 for bad arguments,
/// unusable TLS files or a `setup` that throws.
int run_server(int argc, char** argv,
               std::function<void(caf::actor_system&, server&)> setup);

/// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread and every thread
/// started after, so that only wait_for_stop_signal() takes them: call it
/// before the actor system starts its threads.
void block_stop_signals();

/// Waits for SIGINT or SIGTERM (blocked before); returns which. Each SIGHUP
/// meanwhile runs `on_hangup` (none: SIGHUP is ignored).
int wait_for_stop_signal(const std::function<void()>& on_hangup = {});

/// What SIGHUP does to a server: reloads its TLS certificate and key, and
/// logs how that went.
void reload_tls_on_hangup(server& srv);

/// After server::stop: waits up to `bound` for the system's actors to end,
/// then lets the system go without waiting for the others (with a warning),
/// so that the process exits in bounded time.
void let_actors_finish(
    caf::actor_system& system,
    std::chrono::milliseconds bound = std::chrono::milliseconds{2000});

} // namespace sockjs
