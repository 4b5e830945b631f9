#include "sockjs/transports/companion.hpp"

#include <caf/actor_cast.hpp>
#include <caf/default_attachable.hpp>
#include <caf/exit_reason.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/make_actor.hpp>
#include <caf/scoped_execution_unit.hpp>
#include <caf/sec.hpp>

namespace sockjs::transport {

companion::companion(caf::actor_config& cfg, enqueue_handler on_enqueue)
    : caf::monitorable_actor(cfg), on_enqueue_(std::move(on_enqueue)) {}

void companion::become(caf::behavior behavior) {
  behavior_ = std::move(behavior);
}

void companion::activate(caf::mailbox_element& element) {
  auto result = behavior_(element.content());
  if (!element.mid.is_request()) return;
  auto sender = caf::actor_cast<caf::actor>(element.sender);
  if (!sender) return;
  auto reply =
      result ? std::move(*result)
             : caf::make_message(caf::make_error(caf::sec::unexpected_message));
  sender->enqueue(caf::make_mailbox_element(ctrl(), element.mid.response_id(),
                                            {}, std::move(reply)),
                  nullptr);
}

void companion::monitor(const caf::actor_addr& whom) {
  if (auto ptr = caf::actor_cast<caf::strong_actor_ptr>(whom))
    ptr->get()->attach(caf::default_attachable::make_monitor(whom, address()));
}

void companion::demonitor(const caf::actor_addr& whom) {
  if (auto ptr = caf::actor_cast<caf::strong_actor_ptr>(whom))
    ptr->get()->detach(caf::default_attachable::observe_token{
        address(), caf::default_attachable::monitor});
}

void companion::quit() {
  behavior_ = {};
  caf::scoped_execution_unit context{&home_system()};
  cleanup(caf::make_error(caf::exit_reason::user_shutdown), &context);
}

void companion::enqueue(caf::mailbox_element_ptr element,
                        caf::execution_unit*) {
  if (getf(is_cleaned_up_flag))
    bounce(element);
  else
    on_enqueue_(std::move(element));
}

const char* companion::name() const {
  return "companion";
}

void companion::on_destroy() {
  if (!getf(is_cleaned_up_flag)) quit();
  caf::monitorable_actor::on_destroy();
}

caf::strong_actor_ptr spawn_companion(caf::actor_system& system,
                                      companion::enqueue_handler on_enqueue) {
  caf::actor_config cfg;
  return caf::make_actor<companion, caf::strong_actor_ptr>(
      system.next_actor_id(), system.node(), &system, cfg,
      std::move(on_enqueue));
}

} // namespace sockjs::transport
