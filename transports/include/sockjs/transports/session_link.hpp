// The I/O side's tie to a session. It is an actor handle with no mailbox
// and no scheduling (a CAF actor_companion): a message sent to it is turned,
// in the sender's thread, into a task posted to the connection's executor.
// Frames thus reach the socket with one hop, and the session sees the link
// die when the connection gives up (a client abort, spec §6.7).
//
// Every callback runs on the executor given to open().
#pragma once

#include "sockjs/connection.hpp"
#include "sockjs/transports/io_types.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sockjs::transport {

class session_link : public std::enable_shared_from_this<session_link> {
public:
  struct callbacks {
    /// A frame to write; call written() (or limit_reached()) once it is
    /// out, then, after `last`, close().
    std::function<void(std::string frame, bool last)> frame;
    /// The session is gone, or could not be had: end.
    std::function<void()> session_gone;
    /// deliver() said to wait, and the session has caught up: read on.
    std::function<void()> delivered;
    /// Is the client still connected? (asked when a second receiver comes)
    std::function<bool()> client_alive;
  };

  /// Opens the session for `session_id` through `registry` (creating it),
  /// or a fresh websocket session when `session_id` is empty, and attaches
  /// as its receiver.
  static std::shared_ptr<session_link>
  open(caf::actor_system& system, io_executor executor,
       const caf::actor& registry, const std::string& session_id,
       connection_info info, bool streaming, callbacks on);

  /// Attaches to `session`, found already (no registry asked, no
  /// connection_info built).
  static std::shared_ptr<session_link> attach(caf::actor_system& system,
                                              io_executor executor,
                                              const caf::actor& session,
                                              bool streaming, callbacks on);

  ~session_link();

  /// The frame is written: the session may send the next.
  void written();
  /// response_limit reached: the session keeps its messages for the next
  /// receiver. The link is closed.
  void limit_reached();
  /// Client messages for the session (a websocket's). Returns whether the
  /// connection may read on; if not, delivered() follows once the session
  /// has caught up (at most push_window messages are on their way).
  bool deliver(std::vector<std::string> messages);
  /// Lets go of the session and forgets the callbacks. While attached,
  /// that is an abort.
  void close();

  session_link(io_executor executor, callbacks on);

private:
  static std::shared_ptr<session_link> make(caf::actor_system& system,
                                            io_executor executor,
                                            bool streaming, callbacks on);
  /// Takes `session` as ours and attaches to it as its receiver.
  void adopt(const caf::actor& session);
  void on_message(caf::mailbox_element& element);
  void resume_reading(const callbacks& on);
  /// Sends `content` as request `id`; the response comes back to on_message.
  void request(const caf::actor& dest, std::uint64_t id, caf::message content);

  io_executor executor_;
  std::shared_ptr<const callbacks> on_; // reset by close()
  caf::strong_actor_ptr self_;          // the companion
  caf::actor session_;
  bool streaming_ = false;
  std::vector<std::string> early_messages_; // before the session is known
  unsigned pushes_unacked_ = 0;
  bool waiting_to_read_ = false; // deliver() said to wait
  bool closed_ = false;
};

} // namespace sockjs::transport
