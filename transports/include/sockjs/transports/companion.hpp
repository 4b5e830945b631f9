// Mailbox-less actors for I/O code (CAF's actor_companion): a message sent
// to one runs a handler in the sender's thread, which must only hand the
// message over (post it to an executor). No scheduling, no actor hop.
#pragma once

#include <caf/actor_companion.hpp>
#include <caf/actor_system.hpp>
#include <caf/make_message.hpp>
#include <caf/response_type.hpp>
#include <caf/scoped_execution_unit.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <functional>
#include <utility>

namespace sockjs::transport {

inline caf::actor_companion* companion_of(const caf::strong_actor_ptr& ptr) {
  return static_cast<caf::actor_companion*>(
      caf::actor_cast<caf::abstract_actor*>(ptr));
}

/// (xs...) as a message for `Handle`, checked against its typed interface
/// at compile time (anything goes for an untyped handle).
template <class Handle, class... Ts>
caf::message message_for(const Handle&, Ts&&... xs) {
  static_assert(
      caf::response_type<caf::signatures_of_t<Handle>,
                         caf::detail::strip_and_convert_t<Ts>...>::valid,
      "the receiver does not take this message");
  return caf::make_message(std::forward<Ts>(xs)...);
}

/// Sends (xs...) from the companion `self` to `dest` as request number
/// `id`: the response comes back to `self` carrying that number.
/// (Debian's 0.17 companion has no request() of its own.)
template <class Handle, class... Ts>
void request_as(const caf::strong_actor_ptr& self, const Handle& dest,
                std::uint64_t id, Ts&&... xs) {
  auto content = message_for(dest, std::forward<Ts>(xs)...);
  caf::actor_cast<caf::actor>(dest)->enqueue(
      caf::make_mailbox_element(self, caf::make_message_id(id), {},
                                std::move(content)),
      nullptr);
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
