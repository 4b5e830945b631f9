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

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace sockjs {

/// Error code of a lookup for an id the registry does not know.
enum class registry_error : std::uint8_t {
  /// A sender's session that does not exist (404).
  unknown_session = 1,
  /// service_options::max_sessions reached (503).
  too_many_sessions,
};

caf::error make_error(registry_error x);

/// Session id -> session actor of one registry, readable from any thread.
class session_directory {
public:
  /// The session for `id`, or an invalid handle.
  session_actor find(const std::string& id) const;

  /// Live sessions of the registry, websocket ones included; from any
  /// thread, without a message.
  std::size_t live() const { return live_.load(std::memory_order_relaxed); }
  /// New sessions refused at max_sessions, since the start.
  std::uint64_t refused() const {
    return refused_.load(std::memory_order_relaxed);
  }

  // For the registry only.
  void insert(const std::string& id, session_actor session);
  void erase(const std::string& id);
  void clear();
  void count_up() { live_.fetch_add(1, std::memory_order_relaxed); }
  void count_down() { live_.fetch_sub(1, std::memory_order_relaxed); }
  void count_refused() { refused_.fetch_add(1, std::memory_order_relaxed); }

private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, session_actor> sessions_;
  std::atomic<std::size_t> live_{0};
  std::atomic<std::uint64_t> refused_{0};
};

registry_actor spawn_registry(caf::actor_system& system, session_config config,
                              handler_factory make_handler,
                              std::shared_ptr<session_directory> directory =
                                  std::make_shared<session_directory>());

} // namespace sockjs
