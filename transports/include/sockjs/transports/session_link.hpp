// The I/O side's tie to a session: a receiver_actor (interfaces.hpp) with
// no mailbox and no scheduling, a companion (companion.hpp). A message sent to
// it is turned, in the sender's thread, into a task posted to the connection's
// executor, which runs it through the companion's behaviour there. Frames
// thus reach the socket with one hop, and the session sees the link die
// when the connection gives up (a client abort, spec §6.7).
//
// Every callback runs on the executor given to open().
#pragma once

#include "sockjs/actors/interfaces.hpp"
#include "sockjs/connection.hpp"
#include "sockjs/transports/companion.hpp"
#include "sockjs/transports/io_types.hpp"

#include <caf/actor_system.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sockjs::transport {

class session_link : public std::enable_shared_from_this<session_link> {
public:
  struct callbacks {
    /// A frame to write (it may be used up); call written() (or
    /// limit_reached()) once it is out, then, after `last`, close().
    std::function<void(protocol::frame& frame, bool last)> frame;
    /// The session is gone, or could not be had: end.
    std::function<void()> session_gone;
    /// deliver() said to wait, and the session has caught up: read on.
    std::function<void()> delivered;
    /// Is the client still connected? (asked when a second receiver comes)
    std::function<bool()> client_alive;
  };

  /// Opens a fresh websocket session at `registry` and attaches to it.
  static std::shared_ptr<session_link>
  open_websocket(caf::actor_system& system, io_executor executor,
                 const registry_actor& registry, connection_info info,
                 callbacks on);

  /// Attaches to `session` as its receiver.
  static std::shared_ptr<session_link> attach(caf::actor_system& system,
                                              io_executor executor,
                                              const session_actor& session,
                                              bool streaming, callbacks on);

  ~session_link();

  /// `frames` more frames are written: the session may send more (it hears
  /// of it every frame_ack_every frames on a websocket, after every frame
  /// otherwise, and after the last).
  void written(std::uint32_t frames = 1);
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
                                            receiver_kind takes, callbacks on);
  companion* self() const;
  /// What the session may tell us; the companion runs it on our executor.
  caf::behavior receiver_behavior();
  /// The answer to open_websocket: the session, or an error.
  void on_session(caf::message& response);
  /// Takes `session` as ours and attaches to it as its receiver.
  void adopt(const session_actor& session);
  void on_message(caf::mailbox_element& element);
  void resume_reading();

  io_executor executor_;
  std::shared_ptr<const callbacks> on_; // reset by close()
  caf::strong_actor_ptr self_;          // the companion
  session_actor session_;
  receiver_kind takes_ = receiver_kind::polling;
  std::uint32_t frames_unacked_ = 0;        // written, not yet acknowledged
  bool last_in_hand_ = false;               // the session sent its last frame
  std::vector<std::string> early_messages_; // before the session is known
  unsigned pushes_unacked_ = 0;
  bool waiting_to_read_ = false; // deliver() said to wait
  bool closed_ = false;
};

} // namespace sockjs::transport
