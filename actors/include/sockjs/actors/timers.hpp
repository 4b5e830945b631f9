// Timers for many actors behind one pending CAF timeout. CAF 0.17 cannot
// cancel a delayed_send, and a pending one keeps its receiver (and all its
// memory) alive until it is due; here an entry holds only a weak handle to
// its owner, and the owner's entries go the moment it ends.
//
//   owner -> timers (arm_atom, caf::timespan delay, caf::atom_value tag)
//   timers -> owner (tag), once `delay` has passed
//   owner -> timers (disarm_atom, caf::actor_addr owner), sent at its exit
//   (count_atom) -> std::size_t   entries pending (for tests and monitoring)
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>

namespace sockjs {

using arm_atom = caf::atom_constant<caf::atom("arm")>;
using disarm_atom = caf::atom_constant<caf::atom("disarm")>;

caf::actor spawn_timer_service(caf::actor_system& system);

} // namespace sockjs
