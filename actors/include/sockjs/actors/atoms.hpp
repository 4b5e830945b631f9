// The message vocabulary between transports, sessions, registries and
// services. Atoms are at most 10 characters in CAF 0.17.
#pragma once

#include "sockjs/service.hpp"

#include <caf/atom.hpp>

namespace sockjs {

// receiver -> session: (attach_atom, receiver, bool streaming)
using attach_atom = caf::atom_constant<caf::atom("attach")>;
// session -> receiver: (frame_atom, std::string frame, bool last)
using frame_atom = caf::atom_constant<caf::atom("frame")>;
// receiver -> session, after writing a frame (the last one too, once the
// whole response is out): it may have the next; after the last, it is done
using ready_atom = caf::atom_constant<caf::atom("ready")>;
// streaming receiver -> session: response_limit reached, it ends
using detach_atom = caf::atom_constant<caf::atom("detach")>;
// session -> receiver: (probe_atom) -> bool, is the client still there?
using probe_atom = caf::atom_constant<caf::atom("probe")>;
// sender -> session: (deliver_atom, std::vector<std::string>) -> ok_atom
using deliver_atom = caf::atom_constant<caf::atom("deliver")>;
// websocket link -> session: (push_atom, std::vector<std::string>), one-way;
// the session acknowledges them in batches: (pushed_atom, uint32_t count)
// for every push_ack_every pushes. A link keeps at most push_window pushes
// unacknowledged (then it stops reading its socket), so a client that
// floods cannot grow the session's mailbox without bound.
using push_atom = caf::atom_constant<caf::atom("push")>;
using pushed_atom = caf::atom_constant<caf::atom("pushed")>;
inline constexpr unsigned push_window = 8;
inline constexpr unsigned push_ack_every = 4;

// application -> session: (send_atom, std::string payload)
using send_atom = caf::atom_constant<caf::atom("send")>;
// application -> session: (send_json_atom, std::string quoted), a message
// already quoted as a JSON string (prepared_message)
using send_json_atom = caf::atom_constant<caf::atom("sendjson")>;
// application -> session: (close_atom, int code, std::string reason)
using close_atom = caf::atom_constant<caf::atom("close")>;
// server -> session: close with 1001 and end at once
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;

// registry: (open_atom, ...), see registry.hpp
using open_atom = caf::atom_constant<caf::atom("open")>;
// recv_atom and closed_atom, for service actors: sockjs/service.hpp

// session timers: (heartbeat_atom | expire_atom, uint64_t generation)
using heartbeat_atom = caf::atom_constant<caf::atom("heartbeat")>;
using expire_atom = caf::atom_constant<caf::atom("expire")>;

// registry: (open_atom, id, connection_info) -> actor, creating on demand;
//           (lookup_atom, id) -> actor, or error unknown_session
using lookup_atom = caf::atom_constant<caf::atom("lookup")>;
// registry: (count_atom) -> size_t, live sessions
using count_atom = caf::atom_constant<caf::atom("count")>;

using ok_atom = caf::atom_constant<caf::atom("ok")>;

} // namespace sockjs
