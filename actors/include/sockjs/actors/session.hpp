// One SockJS session as one actor (spec §6), the Erlang process-per-
// session design. Its messages are session_actor's (interfaces.hpp); this
// is its life, and who holds which piece of it.
//
//                 first receiver         close, queue overflow,
//   ┌────────────┐  gets "o"   ┌──────┐   receiver lost, shutdown   ┌─────────┐
//   │ connecting ├────────────▶│ open ├────────────────────────────▶│ closing │
//   └─────┬──────┘             └──┬───┘                             └────┬────┘
//         │ no receiver for       │ no receiver for                      │ no
//         receiver for │ first_attach_timeout  │ disconnect_delay │
//         disconnect_delay ▼                       ▼ ▼
//       ended: the registry forgets the id, the service's actor quits
//
// * The queue: encoded messages joined by ',', at most max_queued_bytes (a
//   send past it closes with 1013 and is dropped). Filled by the
//   application while open; emptied into one messages frame whenever a
//   receiver is idle; cleared when a receiver is lost, as what followed a
//   lost frame would reach the client after a gap. Frames go out
//   structured (protocol::frame): each transport encodes them its own way,
//   and the messages ready-quoted, as all but the raw websocket write them.
// * The close frame: stored on entering closing; every later receiver gets
//   it (after what was queued before, unless a receiver was lost) and ends.
// * The receiver: at most one, monitored, from attach until its last frame
//   is written (ready) or it dies (a client abort, §6.7: closing with 1002;
//   it may also be on a cluster node that died). Frames in flight are
//   bounded by its receiver_kind (interfaces.hpp): one for an HTTP
//   response, frame_window for a websocket; messages meanwhile are batched
//   into the next frame. A polling receiver's frame is its last. A second
//   receiver: the session probes the first, and the newcomer gets 2010 if
//   its client is still there, or takes over; while the first finishes its
//   last frame, the newcomer waits.
// * The timers (one timer service per registry): heartbeat while a
//   receiver is attached (`h` after heartbeat_delay without a frame),
//   expiry while none is (first_attach_timeout, then disconnect_delay).
//   Each is re-armed lazily: at most one of each is pending.
// * The push window: a websocket link's pushes, at most push_window
//   unacknowledged, acknowledged every push_ack_every.
// * The service: events init (after "o"), recv, info (any other message),
//   closed (on leaving open), one at a time, never nested.
#pragma once

#include "sockjs/actors/interfaces.hpp"
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
  /// Sessions the registry keeps at once (0: no limit).
  std::size_t max_sessions = 0;
  /// The timer service (timers.hpp) the session's timers run on.
  timer_actor timers;
};

session_config make_session_config(const service_options& options);

/// Spawns a session. Its handler comes from `make_handler`; `info` describes
/// the request that created it. Throws std::invalid_argument without
/// `config.timers`.
session_actor spawn_session(caf::actor_system& system, session_config config,
                            handler_factory make_handler,
                            std::shared_ptr<const connection_info> info);

namespace detail {

/// For connection::send: when called from inside `session`'s own service
/// callback, queues the payload directly (no message) and returns true.
bool send_inline(const caf::actor& session, std::string& payload);

/// Whether this thread is inside some session's service callback now.
bool inside_a_service();

} // namespace detail

} // namespace sockjs
