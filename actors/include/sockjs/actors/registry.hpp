// The session table of one service: session id -> session actor. Its
// messages are registry_actor's (interfaces.hpp). A session that ends is
// forgotten when its down message arrives; its id is then free for a
// brand-new session.
//
// The table itself is a session_directory that any thread may read: a
// transport finds an existing session without a message to the registry.
// Only the registry writes it, so the answers are the ones the registry
// would give.
#pragma once

#include "sockjs/actors/interfaces.hpp"
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
  session_actor find(const std::string& id) const;

  // For the registry only.
  void insert(const std::string& id, session_actor session);
  void erase(const std::string& id);
  void clear();

private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, session_actor> sessions_;
};

registry_actor spawn_registry(caf::actor_system& system, session_config config,
                              handler_factory make_handler,
                              std::shared_ptr<session_directory> directory =
                                  std::make_shared<session_directory>());

} // namespace sockjs
