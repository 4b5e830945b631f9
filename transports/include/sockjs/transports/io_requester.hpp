// Requests from I/O code to actors without an actor of its own per request:
// one mailbox-less actor (a companion) per server sends them and
// posts each response to the executor that asked.
#pragma once

#include "sockjs/transports/companion.hpp"
#include "sockjs/transports/io_types.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/message.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace sockjs::transport {

class io_requester {
public:
  explicit io_requester(caf::actor_system& system);
  ~io_requester();
  io_requester(const io_requester&) = delete;
  io_requester& operator=(const io_requester&) = delete;

  using reply_handler = std::function<void(caf::message&)>;

  /// Sends (xs...) to `dest` as a request, checked against `dest`'s typed
  /// interface. `on_reply` runs on `executor` with the response: the
  /// result, or a caf::error when `dest` failed or is gone. With a `timeout`
  /// (needed for actors on other nodes: CAF drops a message to a dead node
  /// silently), a request still unanswered by then gets
  /// caf::sec::request_timeout.
  template <class Handle, class... Ts>
  void request(const Handle& dest,
               std::optional<std::chrono::milliseconds> timeout,
               io_executor executor, reply_handler on_reply, Ts&&... xs) {
    send_request(caf::actor_cast<caf::strong_actor_ptr>(dest),
                 message_for(dest, std::forward<Ts>(xs)...), timeout,
                 std::move(executor), std::move(on_reply));
  }

  struct state;

private:
  void send_request(const caf::strong_actor_ptr& dest, caf::message content,
                    std::optional<std::chrono::milliseconds> timeout,
                    io_executor executor, reply_handler on_reply);

  caf::strong_actor_ptr self_;
  std::shared_ptr<state> state_;
};

} // namespace sockjs::transport
