#include "transports/socket_bridge.hpp"

#include "actors/atoms.hpp"

#include <caf/all.hpp>

namespace sockjs::transport {

namespace {

caf::behavior bridge_actor(caf::stateful_actor<caf::actor>* self,
                           caf::actor registry, connection_info info,
                           std::shared_ptr<frame_channel> channel) {
  // state: the session, once known
  self->request(registry, caf::infinite, open_atom::value, std::move(info))
      .then(
          [self](caf::actor& session) {
            self->state = session;
            self->monitor(session);
            self->send(session, attach_atom::value,
                       caf::actor_cast<caf::actor>(self), true);
          },
          [self, channel](caf::error&) {
            channel->post_session_gone();
            self->quit();
          });
  self->set_down_handler([self, channel](caf::down_msg&) {
    channel->post_session_gone();
    self->quit();
  });
  return {
      [self, channel](frame_atom, std::string& frame, bool last) {
        channel->post_frame(caf::actor_cast<caf::actor>(self), self->state,
                            std::move(frame), last);
        if (last) self->quit();
      },
      [](probe_atom) {
        return true; // websocket sessions have one receiver only
      },
      [self, channel](deliver_atom, std::vector<std::string>& messages) {
        if (!self->state) {
          channel->post_read_next();
          return;
        }
        self->request(self->state, caf::infinite, deliver_atom::value,
                      std::move(messages))
            .then([channel](ok_atom) { channel->post_read_next(); },
                  [](caf::error&) {});
      },
  };
}

} // namespace

frame_channel::~frame_channel() = default;

caf::actor spawn_bridge(caf::actor_system& system, caf::actor registry,
                        connection_info info,
                        std::shared_ptr<frame_channel> channel) {
  return system.spawn(bridge_actor, std::move(registry), std::move(info),
                      std::move(channel));
}

void bridge_written(const caf::actor& bridge, const caf::actor& session) {
  caf::send_as(bridge, session, ready_atom::value);
}

void bridge_deliver(const caf::actor& bridge,
                    std::vector<std::string> messages) {
  caf::anon_send(bridge, deliver_atom::value, std::move(messages));
}

void bridge_client_gone(const caf::actor& bridge) {
  caf::anon_send_exit(bridge, caf::exit_reason::user_shutdown);
}

} // namespace sockjs::transport
