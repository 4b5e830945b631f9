// Timers for many actors behind one pending CAF timeout (timer_actor in
// interfaces.hpp). CAF 0.17 cannot cancel a delayed_send, and a pending one
// keeps its receiver (and all its memory) alive until it is due; here an
// entry holds only a weak handle to its owner, and the owner's entries go
// the moment it ends.
#pragma once

#include "sockjs/actors/interfaces.hpp"

#include <caf/actor_system.hpp>

namespace sockjs {

timer_actor spawn_timer_service(caf::actor_system& system);

} // namespace sockjs
