// Mailbox-less actors for I/O code (CAF's actor_companion): a message sent
// to one runs a handler in the sender's thread, which must only hand the
// message over (post it to an executor). No scheduling, no actor hop.
#pragma once

#include <caf/actor_companion.hpp>
#include <caf/actor_system.hpp>
#include <caf/scoped_execution_unit.hpp>

#include <functional>

namespace sockjs::transport {

inline caf::actor_companion* companion_of(const caf::strong_actor_ptr& ptr) {
  return static_cast<caf::actor_companion*>(
      caf::actor_cast<caf::abstract_actor*>(ptr));
}

/// Spawns a companion whose messages go to `handler`.
template <caf::spawn_options Options = caf::no_spawn_options>
caf::strong_actor_ptr
spawn_companion(caf::actor_system& system,
                std::function<void(caf::mailbox_element_ptr)> handler) {
  auto self = caf::actor_cast<caf::strong_actor_ptr>(
      system.spawn<caf::actor_companion, Options>());
  companion_of(self)->on_enqueue(std::move(handler));
  return self;
}

/// Ends a companion: monitors get their down message; later messages are
/// dropped, and later requests answered with an error, as a dead actor's
/// are. (Debian's libcaf 0.17 lacks actor_companion::disconnect.)
inline void terminate_companion(const caf::strong_actor_ptr& self) {
  auto* companion = companion_of(self);
  companion->on_enqueue([](caf::mailbox_element_ptr ptr) {
    if (!ptr->mid.is_request()) return;
    if (auto sender = caf::actor_cast<caf::actor>(ptr->sender))
      sender->enqueue(caf::make_mailbox_element(
                          nullptr, ptr->mid.response_id(), {},
                          caf::make_error(caf::sec::request_receiver_down)),
                      nullptr);
  });
  caf::scoped_execution_unit context{&companion->home_system()};
  companion->cleanup(caf::make_error(caf::exit_reason::user_shutdown),
                     &context);
}

} // namespace sockjs::transport
