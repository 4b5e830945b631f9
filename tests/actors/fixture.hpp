// Deterministic test setup for sessions: virtual time, probe receivers that
// record what a session sends them, and a callback service that records the
// events it gets.
#pragma once

#include "sockjs/actors/interfaces.hpp"
#include "sockjs/actors/registry.hpp"
#include "sockjs/actors/session.hpp"
#include "sockjs/actors/timers.hpp"
#include "sockjs/message_types.hpp"
#include "sockjs/service.hpp"

#include <caf/all.hpp>
#include <caf/test/dsl.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace sockjs::test {

using namespace std::chrono_literals;

struct typed_config : caf::actor_system_config {
  typed_config() { announce_message_types(*this); }
};

/// What a probe receiver saw.
struct probe_log {
  std::vector<std::string> frames;
  bool ended = false;
  /// Streaming probes answer each frame with `ready`, or with `detach` once
  /// they have seen this many bytes (a stand-in for response_limit).
  std::size_t limit = SIZE_MAX;
  std::size_t bytes = 0;
  /// When false, the probe holds its `ready` until poked with ready_atom.
  bool auto_ready = true;
  /// The answer to a session's probe: is the client still there?
  bool client_alive = true;
  /// When false, a last frame is not acknowledged until poked with
  /// ready_atom, and the probe stays alive meanwhile.
  bool ack_last = true;
};

inline caf::behavior probe_receiver(caf::event_based_actor* self,
                                    std::shared_ptr<probe_log> log,
                                    session_actor session) {
  return {
      [=](frame_atom, const protocol::frame& structured, bool last) {
        const auto frame = protocol::encode(structured);
        log->frames.push_back(frame);
        log->bytes += frame.size();
        if (last) {
          log->ended = true;
          if (!log->ack_last) return;
          self->send(session, ready_atom::value, std::uint32_t{1});
          self->quit();
        } else if (log->bytes >= log->limit) {
          self->send(session, detach_atom::value);
          log->ended = true;
          self->quit();
        } else if (log->auto_ready) {
          self->send(session, ready_atom::value, std::uint32_t{1});
        }
      },
      [=](ready_atom) {
        self->send(session, ready_atom::value, std::uint32_t{1});
      },
      [=](ready_atom, std::uint32_t frames) {
        self->send(session, ready_atom::value, frames);
      },
      [=](probe_atom) { return log->client_alive; },
  };
}

/// Events a recording service saw, in order, as text: "init", "recv:x",
/// "info", "closed".
using event_log = std::vector<std::string>;

/// An echo service that records its events; a message "close" closes the
/// session with 3000 "Go away!".
inline handler_factory recording_echo(std::shared_ptr<event_log> events,
                                      std::shared_ptr<connection> last_conn) {
  return callback_service<int>(
      [events, last_conn](const connection& conn, const event& ev, int state) {
        *last_conn = conn;
        switch (ev.kind) {
        case event::init:
          events->push_back("init");
          break;
        case event::recv:
          events->push_back("recv:" + ev.data);
          if (ev.data == "close")
            conn.close(3000, "Go away!");
          else
            conn.send(ev.data);
          break;
        case event::info:
          events->push_back("info");
          break;
        case event::closed:
          events->push_back("closed");
          break;
        }
        return state + 1;
      },
      0);
}

struct fixture : test_coordinator_fixture<typed_config> {
  session_config config = test_config();

  static session_config test_config() {
    session_config cfg;
    cfg.heartbeat_delay = 25000ms;
    cfg.disconnect_delay = 5000ms;
    cfg.max_queued_bytes = 1024;
    return cfg;
  }
  std::shared_ptr<event_log> events = std::make_shared<event_log>();
  std::shared_ptr<connection> conn = std::make_shared<connection>();
  std::vector<caf::actor> spawned;

  /// Keeps `handle` to kill at the end.
  template <class Handle>
  void keep(const Handle& handle) {
    spawned.push_back(caf::actor_cast<caf::actor>(handle));
  }
  caf::actor last_probe;

  fixture() {
    config.timers = spawn_timer_service(sys);
    keep(config.timers);
  }

  ~fixture() override {
    // Live sessions re-arm their heartbeat forever; the base destructor runs
    // every pending timer, so end them first.
    for (auto& actor : spawned)
      caf::anon_send_exit(actor, caf::exit_reason::kill);
    consume_messages();
  }

  session_actor make_session(session_config cfg, handler_factory service) {
    auto session = spawn_session(sys, cfg, std::move(service),
                                 std::make_shared<const connection_info>());
    keep(session);
    consume_messages();
    return session;
  }

  session_actor make_session(session_config cfg) {
    return make_session(cfg, recording_echo(events, conn));
  }

  session_actor make_session() { return make_session(config); }

  /// Attaches a new probe receiver and lets everything run.
  std::shared_ptr<probe_log> attach(const session_actor& session,
                                    bool streaming, bool auto_ready = true) {
    return attach(session,
                  streaming ? receiver_kind::streaming : receiver_kind::polling,
                  auto_ready);
  }

  std::shared_ptr<probe_log> attach(const session_actor& session,
                                    receiver_kind takes,
                                    bool auto_ready = true) {
    auto log = std::make_shared<probe_log>();
    log->auto_ready = auto_ready;
    last_probe = sys.spawn(probe_receiver, log, session);
    spawned.push_back(last_probe);
    caf::anon_send(session, attach_atom::value,
                   caf::actor_cast<receiver_actor>(last_probe), takes);
    consume_messages();
    return log;
  }

  /// Advances virtual time and lets every actor react to it.
  void wait(caf::timespan d) {
    advance_time(d);
    consume_messages();
  }

  void app_send(const session_actor& session, std::string payload) {
    caf::anon_send(session, send_atom::value, std::move(payload));
    consume_messages();
  }

  void deliver(const session_actor& session,
               std::vector<std::string> messages) {
    caf::anon_send(session, deliver_atom::value, std::move(messages));
    consume_messages();
  }

  template <class Handle>
  bool alive(const Handle& actor) {
    // A monitor on a dead actor reports down at once.
    bool down = false;
    auto watcher = sys.spawn([&](caf::event_based_actor* w) -> caf::behavior {
      w->monitor(actor);
      w->set_down_handler([&](caf::down_msg&) { down = true; });
      return {[](int) {}};
    });
    consume_messages();
    caf::anon_send_exit(watcher, caf::exit_reason::kill);
    consume_messages();
    return !down;
  }

  template <class T, class Handle, class... Ts>
  T ask(const Handle& dest, Ts&&... xs) {
    auto handle = self->request(dest, caf::infinite, std::forward<Ts>(xs)...);
    consume_messages();
    T result{};
    handle.receive([&](T& x) { result = std::move(x); },
                   [&](caf::error& err) {
                     CAF_FAIL("unexpected error: " << sys.render(err));
                   });
    return result;
  }
};

} // namespace sockjs::test
