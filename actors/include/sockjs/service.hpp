// The service API: what a user writes to serve SockJS under a prefix. A
// service is a prefix, options, and a behaviour, written either as an
// Erlang-style callback or as a CAF actor spawned per session.
#pragma once

#include "sockjs/connection.hpp"

#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/message.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sockjs {

/// One line of the per-request log, handed to service_options::logger.
struct request_log_entry {
  /// GET, POST, ...
  std::string method;
  /// Path and query as requested.
  std::string target;
  /// The response status (101 for a websocket).
  unsigned status = 0;
  /// From the request's first byte to the response's end.
  std::chrono::microseconds duration{0};
  /// The client's address.
  std::string peer_address;
  /// For a session's request, its transport ("xhr-streaming", ...; for a
  /// send, the action: "xhr_send", "jsonp_send"); else empty.
  std::string transport;
  /// For a session's request, the client's session id; else empty.
  std::string session;
};

/// How a service behaves towards its clients; every field has the
/// protocol's usual default (sockjs-node's).
struct service_options {
  /// Bytes a streaming response may carry before the server ends it.
  std::size_t response_limit = 128 * 1024;
  /// Transports this service does not offer, by sockjs-client's names:
  /// "websocket" (reported in /info; the raw websocket goes with it),
  /// "xhr-streaming", "xhr-polling", "eventsource", "htmlfile",
  /// "jsonp-polling". Their routes answer 404.
  std::vector<std::string> disabled_transports;
  /// Set the JSESSIONID cookie (reported as cookie_needed).
  bool jsessionid = false;
  /// Idle time before a heartbeat frame.
  std::chrono::milliseconds heartbeat_delay{25000};
  /// How long a session lives with no receiver attached.
  std::chrono::milliseconds disconnect_delay{5000};
  /// Script URL loaded by the iframe page.
  std::string sockjs_url = "/lib/sockjs.min.js";
  /// Bytes of encoded messages a session queues for a slow or absent client;
  /// past it the session is closed with 1013.
  std::size_t max_queued_bytes = 1024 * 1024;
  /// Sessions of this service at once on this server (0: no limit); past
  /// it, a new session gets 503 (a websocket, close 1013).
  std::size_t max_sessions = 0;
  /// Origins whose pages may use this service, as browsers send them
  /// (`https://example.com`, `http://localhost:8080`); empty or `*`: any.
  /// Others get 403 on every route, websocket handshakes included (a
  /// request without Origin, or from the server's own host, always
  /// passes). A restricted list also switches off htmlfile, jsonp-polling
  /// and the iframe page, which cross origins without CORS.
  std::vector<std::string> allowed_origins;
  /// Called once per HTTP request (and once per websocket) when it ends.
  std::function<void(const request_log_entry&)> logger;
};

/// Checks every option; returns an empty string when all are valid,
/// otherwise one sentence naming the first bad option.
std::string validate(const service_options& options);

/// What happened to a session, for callback-style services.
struct event {
  /// The kinds of event, in the order a session has them.
  enum kind_t {
    init,   ///< the session opened (the client has received `o`)
    recv,   ///< a message arrived: `data`
    info,   ///< a message sent to the session actor that is not SockJS's own
    closed, ///< the session closed; no more events follow
  };
  /// Which event this is.
  kind_t kind;
  /// The client's message (recv).
  std::string data;
  /// The message (info).
  caf::message message;
};

/// Runs inside a session actor, one per session: receives its events in
/// order. Implemented by the two styles below.
class session_handler {
public:
  virtual ~session_handler();
  /// Handles one event of the session `session`, whose handle is `conn`.
  virtual void handle(caf::local_actor* session, const connection& conn,
                      event ev) = 0;
};

/// Makes the handler of each new session: what add_service takes.
using handler_factory = std::function<std::unique_ptr<session_handler>()>;

/// An Erlang-style service: `State callback(connection&, const event&,
/// State)`, called inside the session actor with a per-session state that
/// starts as `initial` (sockjs-erlang's init_state/4 and service_echo/3).
template <class State, class Callback>
handler_factory callback_service(Callback callback, State initial) {
  class handler : public session_handler {
  public:
    handler(Callback f, State s) : f_(std::move(f)), state_(std::move(s)) {}
    void handle(caf::local_actor*, const connection& conn, event ev) override {
      state_ = f_(conn, ev, std::move(state_));
    }

  private:
    Callback f_;
    State state_;
  };
  return [callback = std::move(callback), initial = std::move(initial)] {
    return std::make_unique<handler>(callback, initial);
  };
}

/// (recv_atom, std::string message): a client message, to a service actor.
using recv_atom = caf::atom_constant<caf::atom("recv")>;
/// (closed_atom): the session closed, to a service actor, which quits after.
using closed_atom = caf::atom_constant<caf::atom("closed")>;

namespace detail {

/// `user` with a (closed_atom) handler in front: it hands the message to
/// `user`, should it have a handler for it, then ends the actor.
caf::behavior ending_on_closed(caf::event_based_actor* self,
                               caf::behavior user);

/// A service whose session spawns its actor with `spawn` when it opens.
handler_factory actor_service_of(
    std::function<caf::actor(caf::local_actor* session, connection)> spawn);

} // namespace detail

/// An actor-style service: `init(self, connection)` returns the behaviour of
/// an actor spawned when the session opens. It receives
/// `(recv_atom, std::string)` per message and `(closed_atom)` at the end,
/// after which it quits; any other message is the service's own business.
using actor_init =
    std::function<caf::behavior(caf::event_based_actor*, connection)>;

/// A service whose sessions each spawn an actor with `init`.
handler_factory actor_service(actor_init init);

/// The same with per-session state: the actor is a
/// `caf::stateful_actor<State>`, its state in `self->state`.
template <class State>
handler_factory actor_service(
    std::function<caf::behavior(caf::stateful_actor<State>*, connection)>
        init) {
  return detail::actor_service_of(
      [init = std::move(init)](caf::local_actor* session, connection conn) {
        return session->spawn<caf::linked>(
            [init](caf::stateful_actor<State>* self, connection c) {
              return detail::ending_on_closed(self, init(self, std::move(c)));
            },
            std::move(conn));
      });
}

/// Runs `work` on a thread of its own, off the I/O threads that run every
/// service and socket: for blocking calls (files, databases, slow
/// computations). `work` may use a connection it captured: send and close
/// work from any thread. `conn`'s session names the actor system.
void run_blocking(const connection& conn, std::function<void()> work);
/// The same, in `system` (for actor services: self->system()).
void run_blocking(caf::actor_system& system, std::function<void()> work);

} // namespace sockjs
