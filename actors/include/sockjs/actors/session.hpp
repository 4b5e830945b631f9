// One SockJS session as one actor (spec §6): it owns the state, the
// outgoing queue, the heartbeat and disconnect timers, the stored close
// frame, and the one attached receiver.
//
// Receivers (transport-side connection actors) talk to it like this:
//   receiver -> session  (attach_atom, receiver, bool streaming)
//   session  -> receiver (frame_atom, std::string frame, bool last)
//   receiver -> session  (ready_atom)   a frame is written (every frame)
//   receiver -> session  (detach_atom)  streaming: response_limit reached
// The session sends one frame at a time and waits for `ready`, so messages
// that arrive meanwhile are batched into the next `a[...]` frame and nothing
// is ever sent to a receiver that is ending. After a frame marked `last`
// the receiver ends its response; the session lets go of it once that frame
// is written. A receiver that dies while attached (its last frame not yet
// written included: it may have been on a cluster node that died) is a
// client abort: the session closes with 1002.
//   session  -> receiver (probe_atom) -> bool
// asks, when a second receiver arrives, whether the first one's client is
// still there: if so the newcomer gets 2010, if not it takes over. A
// newcomer while the first is finishing waits until it is done.
//
// Senders deliver client messages with (deliver_atom, messages) -> ok_atom.
// Applications use the connection handle: (send_atom, payload) and
// (close_atom, code, reason). Every other message is handed to the service
// as an `info` event.
//
// Overflow policy: encoded messages waiting for a receiver are bounded by
// max_queued_bytes. A send past it closes the session with
// c[1013,"Outgoing queue overflow"], logs a warning, and drops the payload;
// what was queued before is still delivered ahead of the close frame.
#pragma once

#include "sockjs/connection.hpp"
#include "sockjs/service.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <chrono>
#include <cstddef>
#include <memory>

namespace sockjs {

struct session_config {
  std::chrono::milliseconds heartbeat_delay{25000};
  /// Lifetime without a receiver. Websocket sessions use zero: their one
  /// receiver leaving ends them.
  std::chrono::milliseconds disconnect_delay{5000};
  std::size_t max_queued_bytes = 1024 * 1024;
  /// How long a new session waits for its first receiver.
  std::chrono::milliseconds first_attach_timeout{5000};
  /// The timer service (actors/timers.hpp) the session's timers run on.
  caf::actor timers;
};

session_config make_session_config(const service_options& options);

/// Spawns a session. Its handler comes from `make_handler`; `info` describes
/// the request that created it. Throws std::invalid_argument without
/// `config.timers`.
caf::actor spawn_session(caf::actor_system& system, session_config config,
                         handler_factory make_handler,
                         std::shared_ptr<const connection_info> info);

namespace detail {

/// For connection::send: when called from inside `session`'s own service
/// callback, queues the payload directly (no message) and returns true.
bool send_inline(const caf::actor& session, std::string& payload);

} // namespace detail

} // namespace sockjs
