#include "sockjs/service.hpp"

#include "sockjs/actors/interfaces.hpp"
#include "sockjs/protocol/headers.hpp"
#include "sockjs/protocol/pages.hpp"
#include "sockjs/protocol/router.hpp"

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
  for (const auto& name : options.disabled_transports)
    if (protocol::transport_named(name) == 0)
      return "disabled_transports names '" + name +
             "', not websocket, xhr-streaming, xhr-polling, eventsource, "
             "htmlfile, jsonp-polling or iframe";
  for (const auto& origin : options.allowed_origins)
    if (!protocol::valid_origin_pattern(origin))
      return "allowed_origins holds '" + origin +
             "', not * or scheme://host[:port]";
  return {};
}

namespace detail {

caf::behavior ending_on_closed(caf::event_based_actor* self,
                               caf::behavior user) {
  caf::message_handler closing{[self, user](closed_atom) mutable {
    auto msg = caf::make_message(closed_atom::value);
    user(msg);
    self->quit();
  }};
  return caf::behavior{closing.or_else(user)};
}

namespace {

// Spawns the service's actor when the session opens and forwards events.
class actor_handler : public session_handler {
public:
  using spawner = std::function<caf::actor(caf::local_actor*, connection)>;

  explicit actor_handler(std::shared_ptr<const spawner> spawn)
      : spawn_(std::move(spawn)) {}

  void handle(caf::local_actor* session, const connection& conn,
              event ev) override {
    switch (ev.kind) {
    case event::init:
      actor_ = (*spawn_)(session, conn);
      break;
    case event::recv:
      caf::send_as(conn.session(), actor_, recv_atom::value,
                   std::move(ev.data));
      break;
    case event::info:
      caf::send_as(conn.session(), actor_, std::move(ev.message));
      break;
    case event::closed:
      caf::send_as(conn.session(), actor_, closed_atom::value);
      break;
    }
  }

private:
  std::shared_ptr<const spawner> spawn_;
  caf::actor actor_;
};

} // namespace

handler_factory actor_service_of(
    std::function<caf::actor(caf::local_actor*, connection)> spawn) {
  auto shared =
      std::make_shared<const actor_handler::spawner>(std::move(spawn));
  return [shared] { return std::make_unique<actor_handler>(shared); };
}

} // namespace detail

handler_factory actor_service(actor_init init) {
  return detail::actor_service_of(
      [init = std::move(init)](caf::local_actor* session, connection conn) {
        return session->spawn<caf::linked>(
            [init](caf::event_based_actor* self, connection c) {
              return detail::ending_on_closed(self, init(self, std::move(c)));
            },
            std::move(conn));
      });
}

void run_blocking(caf::actor_system& system, std::function<void()> work) {
  system.spawn<caf::detached>(
      [work = std::move(work)](caf::event_based_actor* self) {
        work();
        self->quit();
      });
}

void run_blocking(const connection& conn, std::function<void()> work) {
  run_blocking(conn.session()->home_system(), std::move(work));
}

} // namespace sockjs
