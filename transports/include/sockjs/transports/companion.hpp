// Mailbox-less actors for I/O code: a message sent to one runs a handler in
// the sender's thread, which must only hand the message over (post it to an
// executor); there, activate() runs it through the companion's behaviour.
// No mailbox, no scheduling, no actor hop.
//
// CAF's actor_companion does the same as a scheduled actor: 1.1 KB each, a
// mailbox and stream state never used, for every link of every session.
// This one is a monitorable actor, as CAF's proxies are: 224 B.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/behavior.hpp>
#include <caf/make_message.hpp>
#include <caf/monitorable_actor.hpp>
#include <caf/response_type.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <functional>
#include <utility>

namespace sockjs::transport {

class companion final : public caf::monitorable_actor {
public:
  /// Runs in the sending thread, concurrently with anything else.
  using enqueue_handler = std::function<void(caf::mailbox_element_ptr)>;

  companion(caf::actor_config& cfg, enqueue_handler on_enqueue);

  /// What activate() runs messages through from now on.
  void become(caf::behavior behavior);
  /// Runs `element` through the behaviour; a request gets the handler's
  /// result back (or an error, if none matches).
  void activate(caf::mailbox_element& element);
  /// `whom`'s end comes as a caf::down_msg, through the behaviour.
  void monitor(const caf::actor_addr& whom);
  void demonitor(const caf::actor_addr& whom);
  /// Ends the companion: monitors get their down message; later messages are
  /// dropped, and later requests answered with an error, as a dead actor's.
  void quit();

  using caf::monitorable_actor::enqueue;
  void enqueue(caf::mailbox_element_ptr element,
               caf::execution_unit* host) override;
  const char* name() const override;
  void on_destroy() override;

private:
  enqueue_handler on_enqueue_; // never changes: no lock for the senders
  caf::behavior behavior_;
};

/// Spawns a companion whose messages go to `on_enqueue`.
caf::strong_actor_ptr spawn_companion(caf::actor_system& system,
                                      companion::enqueue_handler on_enqueue);

inline companion* companion_of(const caf::strong_actor_ptr& ptr) {
  return static_cast<companion*>(caf::actor_cast<caf::abstract_actor*>(ptr));
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
template <class Handle, class... Ts>
void request_as(const caf::strong_actor_ptr& self, const Handle& dest,
                std::uint64_t id, Ts&&... xs) {
  auto content = message_for(dest, std::forward<Ts>(xs)...);
  caf::actor_cast<caf::actor>(dest)->enqueue(
      caf::make_mailbox_element(self, caf::make_message_id(id), {},
                                std::move(content)),
      nullptr);
}

} // namespace sockjs::transport
