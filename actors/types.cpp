#include "sockjs/connection.hpp"
#include "sockjs/message_types.hpp"

namespace sockjs {

void announce_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<connection_info>("sockjs::connection_info");
  cfg.add_message_type<connection>("sockjs::connection");
}

} // namespace sockjs
