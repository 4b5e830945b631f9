// Requests from I/O code to actors without an actor of its own per request:
// one mailbox-less actor (a CAF actor_companion) per server sends them and
// posts each response to the executor that asked.
#pragma once

#include "transports/io_types.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/message.hpp>

#include <functional>
#include <mutex>
#include <unordered_map>

namespace sockjs::transport {

class io_requester {
public:
  explicit io_requester(caf::actor_system& system);
  ~io_requester();
  io_requester(const io_requester&) = delete;
  io_requester& operator=(const io_requester&) = delete;

  /// Sends `content` to `dest` as a request. `on_reply` runs on `executor`
  /// with the response: the result, or a caf::error when `dest` failed or
  /// is gone.
  void request(const caf::actor& dest, caf::message content,
               io_executor executor,
               std::function<void(caf::message&)> on_reply);

private:
  struct pending {
    io_executor executor;
    std::function<void(caf::message&)> on_reply;
  };

  caf::strong_actor_ptr self_;
  std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, pending> pending_;
};

} // namespace sockjs::transport
