// Announces the project's message types to CAF, as remote nodes need them.
#pragma once

#include <caf/actor_system_config.hpp>

namespace sockjs {

/// Call on every actor_system_config before the system is built.
void announce_message_types(caf::actor_system_config& cfg);

} // namespace sockjs
