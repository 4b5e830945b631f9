#include "sockjs/service.hpp"

#include "sockjs/actors/atoms.hpp"
#include "sockjs/protocol/pages.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

namespace sockjs {

session_handler::~session_handler() = default;

std::string validate(const service_options& options) {
  if (options.response_limit == 0)
    return "response_limit must be at least 1 byte";
  if (options.heartbeat_delay.count() <= 0)
    return "heartbeat_delay must be positive";
  if (options.disconnect_delay.count() <= 0)
    return "disconnect_delay must be positive";
  if (!protocol::valid_sockjs_url(options.sockjs_url))
    return "sockjs_url must start with / or http and hold no quote, angle "
           "bracket or control character";
  if (options.max_queued_bytes == 0)
    return "max_queued_bytes must be at least 1 byte";
  return {};
}

namespace {

// Spawns the service's actor when the session opens and forwards events.
class actor_handler : public session_handler {
public:
  explicit actor_handler(std::shared_ptr<const actor_init> init)
      : init_(std::move(init)) {}

  void handle(caf::event_based_actor* session, const connection& conn,
              event ev) override {
    switch (ev.kind) {
    case event::init:
      actor_ = session->spawn<caf::linked>(
          [init = init_](caf::event_based_actor* self, connection c) {
            auto user = (*init)(self, std::move(c));
            // `closed` reaches the user's behaviour if it has a handler for
            // it; the actor quits after it either way.
            caf::message_handler closing{[self, user](closed_atom) mutable {
              auto msg = caf::make_message(closed_atom::value);
              user(msg);
              self->quit();
            }};
            return caf::behavior{closing.or_else(user)};
          },
          conn);
      break;
    case event::recv:
      session->send(actor_, recv_atom::value, std::move(ev.data));
      break;
    case event::info:
      session->send(actor_, std::move(ev.message));
      break;
    case event::closed:
      session->send(actor_, closed_atom::value);
      break;
    }
  }

private:
  std::shared_ptr<const actor_init> init_;
  caf::actor actor_;
};

} // namespace

handler_factory actor_service(actor_init init) {
  auto shared = std::make_shared<const actor_init>(std::move(init));
  return [shared] { return std::make_unique<actor_handler>(shared); };
}

} // namespace sockjs
