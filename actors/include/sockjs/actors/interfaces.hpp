// The messages between the parts of a server, as typed actor interfaces: a
// message a part does not take fails to compile. What the types cannot say
// is in the comments here; the session's life is drawn in session.hpp.
//
//   transports ──open/lookup──▶ locator (registry, or the cluster node)
//        │                          │ creates
//        ▼ attach, ready, ...       ▼
//   receiver ◀──frame, probe──── session ──arm──▶ timers
//   (a connection's link)           │  ◀──heartbeat, expire──
//                                   ▼
//                                service (callback or actor)
//
// Every type here serializes: a session, its receiver and its registry may
// live on different nodes of a cluster.
#pragma once

#include "sockjs/connection.hpp"
#include "sockjs/protocol/frames.hpp"
#include "sockjs/service.hpp"

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sockjs {

// Atoms are at most 10 characters in CAF 0.17.
using attach_atom = caf::atom_constant<caf::atom("attach")>;
using frame_atom = caf::atom_constant<caf::atom("frame")>;
using ready_atom = caf::atom_constant<caf::atom("ready")>;
using detach_atom = caf::atom_constant<caf::atom("detach")>;
using probe_atom = caf::atom_constant<caf::atom("probe")>;
using deliver_atom = caf::atom_constant<caf::atom("deliver")>;
using push_atom = caf::atom_constant<caf::atom("push")>;
using pushed_atom = caf::atom_constant<caf::atom("pushed")>;
using send_atom = caf::atom_constant<caf::atom("send")>;
using send_json_atom = caf::atom_constant<caf::atom("sendjson")>;
using close_atom = caf::atom_constant<caf::atom("close")>;
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;
using heartbeat_atom = caf::atom_constant<caf::atom("heartbeat")>;
using expire_atom = caf::atom_constant<caf::atom("expire")>;
using open_atom = caf::atom_constant<caf::atom("open")>;
using lookup_atom = caf::atom_constant<caf::atom("lookup")>;
using count_atom = caf::atom_constant<caf::atom("count")>;
using arm_atom = caf::atom_constant<caf::atom("arm")>;
using disarm_atom = caf::atom_constant<caf::atom("disarm")>;
using wake_atom = caf::atom_constant<caf::atom("wake")>;
using ok_atom = caf::atom_constant<caf::atom("ok")>;
/// (channel_close_atom, name): a multiplexed channel's connection::close,
/// an info message for the session's multiplex service (not in
/// session_actor: it reaches the service like any other).
using channel_close_atom = caf::atom_constant<caf::atom("chanclose")>;

/// Where a session's frames go: the link of the HTTP response or websocket
/// that serves its client now.
///   frame(f, last)     encode and write it, then acknowledge it with ready
///                      (after `last`: once the whole response is out; then
///                      the receiver is done)
///   probe -> alive?    asked when a second receiver comes: is our client
///                      still connected? (spec §6.3 and §6.7)
///   pushed(n)          n of the websocket link's pushes are taken
using receiver_actor =
    caf::typed_actor<caf::reacts_to<frame_atom, protocol::frame, bool>,
                     caf::replies_to<probe_atom>::with<bool>,
                     caf::reacts_to<pushed_atom, std::uint32_t>>;

/// A websocket link keeps at most push_window pushes unacknowledged (then
/// it stops reading its socket); the session acknowledges every
/// push_ack_every. A client that floods cannot grow the mailbox unbounded.
inline constexpr unsigned push_window = 8;
inline constexpr unsigned push_ack_every = 4;

/// How a receiver takes its frames, and how many may be on their way to it.
///   polling    one frame, its last
///   streaming  one at a time, each acknowledged: its response limit may end
///              it between two (an HTTP streaming response)
///   websocket  up to frame_window unacknowledged, acknowledged every
///              frame_ack_every and after the last: it ends only with the
///              session. The session is not woken for every frame written.
enum class receiver_kind : std::uint8_t { polling, streaming, websocket };
inline constexpr std::uint32_t frame_window = 8;
inline constexpr std::uint32_t frame_ack_every = 4;

/// One SockJS session (session.hpp).
///   attach(receiver, kind)       from a receiver request
///   ready(n)                     the receiver wrote n more of its frames
///   detach                       a streaming receiver reached
///                                response_limit; it ends, the session stays
///   deliver(messages) -> ok      client messages of a sender request
///   push(messages)               client messages of a websocket, one-way
///   send(text), sendjson(quoted) from the application (connection::send)
///   close(code, reason)          from the application
///   shutdown                     the server stops: 1001, then end
///   heartbeat, expire            from the timer service
/// Any other message reaches the service as an `info` event.
using session_actor = caf::typed_actor<
    caf::reacts_to<attach_atom, receiver_actor, receiver_kind>,
    caf::reacts_to<ready_atom, std::uint32_t>, caf::reacts_to<detach_atom>,
    caf::replies_to<deliver_atom, std::vector<std::string>>::with<ok_atom>,
    caf::reacts_to<push_atom, std::vector<std::string>>,
    caf::reacts_to<send_atom, std::string>,
    caf::reacts_to<send_json_atom, std::string>,
    caf::reacts_to<close_atom, int, std::string>, caf::reacts_to<shutdown_atom>,
    caf::reacts_to<heartbeat_atom>, caf::reacts_to<expire_atom>>;

/// Finds sessions by id for the transports.
///   open(id, info) -> session     the session for `id`, made on demand by a
///                                 receiver request (spec §6.1)
///   lookup(id) -> session         an existing one only (a sender: 404 when
///                                 unknown, registry_error::unknown_session)
/// On one node the registry answers; in a cluster, the node's locator for
/// the service, which asks the session's owner.
using locator_actor = caf::typed_actor<
    caf::replies_to<open_atom, std::string,
                    connection_info>::with<session_actor>,
    caf::replies_to<lookup_atom, std::string>::with<session_actor>>;

/// The session table of one service (registry.hpp), a locator and more:
///   open(info) -> session         a websocket session: in no table, gone
///                                 with its receiver
///   count -> n                    live sessions, websocket ones included
///   shutdown                      every session ends with 1001; so does it
using registry_actor = locator_actor::extend<
    caf::replies_to<open_atom, connection_info>::with<session_actor>,
    caf::replies_to<count_atom>::with<std::size_t>,
    caf::reacts_to<shutdown_atom>>;

/// Timers for many actors behind one pending CAF timeout (timers.hpp).
///   arm(delay, tag)    send (tag) to the sender once `delay` has passed
///   disarm(owner)      forget every timer of `owner` (sent at its exit)
///   count -> n         timers pending
///   wake               (its own timeout)
using timer_actor =
    caf::typed_actor<caf::reacts_to<arm_atom, caf::timespan, caf::atom_value>,
                     caf::reacts_to<disarm_atom, caf::actor_addr>,
                     caf::replies_to<count_atom>::with<std::size_t>,
                     caf::reacts_to<wake_atom>>;

} // namespace sockjs
