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
//
// The table itself is a session_directory that any thread may read: a
// transport finds an existing session without a message to the registry.
// Only the registry writes it, so the answers are the ones the registry
// would give.
#pragma once

#include "sockjs/actors/session.hpp"
#include "sockjs/service.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace sockjs {

/// Error code of a lookup for an id the registry does not know.
enum class registry_error : std::uint8_t { unknown_session = 1 };

caf::error make_error(registry_error x);

/// Session id -> session actor of one registry, readable from any thread.
class session_directory {
public:
  /// The session for `id`, or an invalid handle.
  caf::actor find(const std::string& id) const;

  // For the registry only.
  void insert(const std::string& id, caf::actor session);
  void erase(const std::string& id);
  void clear();

private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, caf::actor> sessions_;
};

caf::actor spawn_registry(caf::actor_system& system, session_config config,
                          handler_factory make_handler,
                          std::shared_ptr<session_directory> directory =
                              std::make_shared<session_directory>());

} // namespace sockjs
