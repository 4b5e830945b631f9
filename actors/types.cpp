#include "sockjs/actors/interfaces.hpp"
#include "sockjs/connection.hpp"
#include "sockjs/message_types.hpp"

namespace sockjs {

void announce_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<connection_info>("sockjs::connection_info");
  cfg.add_message_type<connection>("sockjs::connection");
  // A session's frame to a receiver on another node.
  cfg.add_message_type<protocol::frame>("sockjs::frame");
  cfg.add_message_type<receiver_kind>("sockjs::receiver_kind");
  // Handles in messages between nodes: a receiver attaching to a session
  // elsewhere, a session found elsewhere.
  cfg.add_message_type<receiver_actor>("sockjs::receiver_actor");
  cfg.add_message_type<session_actor>("sockjs::session_actor");
}

} // namespace sockjs
