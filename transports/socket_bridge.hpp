// The bridge between a websocket-like connection (RFC 6455, raw, hixie-76)
// and its session: a short-lived actor that opens a websocket session,
// attaches to it as a streaming receiver, hands frames to the connection and
// delivers what the client sends, one message batch at a time.
#pragma once

#include "actors/connection.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <memory>
#include <string>
#include <vector>

namespace sockjs::transport {

/// The I/O side of a bridged connection. Each call is made on a CAF thread
/// and must post its work to the connection's strand.
class frame_channel {
public:
  virtual ~frame_channel();
  /// One frame to write; afterwards call bridge_written (unless `last`).
  virtual void post_frame(caf::actor bridge, caf::actor session,
                          std::string frame, bool last) = 0;
  /// The previous batch reached the session: read the next message.
  virtual void post_read_next() = 0;
  /// The session is gone (or could not be opened): close.
  virtual void post_session_gone() = 0;
};

/// Spawns the bridge; it asks `registry` for a new websocket session.
caf::actor spawn_bridge(caf::actor_system& system, caf::actor registry,
                        connection_info info,
                        std::shared_ptr<frame_channel> channel);

/// From the I/O side: the frame is written, send the next.
void bridge_written(const caf::actor& bridge, const caf::actor& session);

/// From the I/O side: messages from the client, for the session.
void bridge_deliver(const caf::actor& bridge,
                    std::vector<std::string> messages);

/// From the I/O side: the client is gone (the session closes, spec §7.1).
void bridge_client_gone(const caf::actor& bridge);

} // namespace sockjs::transport
