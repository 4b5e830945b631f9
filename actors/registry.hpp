// The session table of one service: session id -> session actor. Its
// messages use only serializable types, so a registry or its sessions may
// live on another node and be used unchanged.
//
//   (open_atom, std::string id, connection_info) -> caf::actor
//       the session for `id`, created on demand (receivers, spec §6.1)
//   (lookup_atom, std::string id) -> caf::actor | error unknown_session
//       an existing session only (senders: unknown means 404)
//   (open_atom, connection_info) -> caf::actor
//       a new websocket session: not in the table, gone with its receiver
//   (count_atom) -> std::size_t
//       live sessions, websocket ones included
//   (shutdown_atom)
//       every session closes with 1001; the registry ends
//
// A session that ends is forgotten when its down message arrives; its id is
// then free for a brand-new session.
#pragma once

#include "actors/service.hpp"
#include "actors/session.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

namespace sockjs {

/// Error code of a lookup for an id the registry does not know.
enum class registry_error : std::uint8_t { unknown_session = 1 };

caf::error make_error(registry_error x);

caf::actor spawn_registry(caf::actor_system& system, session_config config,
                          handler_factory make_handler);

} // namespace sockjs
