#include "sockjs/actors/registry.hpp"

#include "sockjs/actors/interfaces.hpp"
#include "sockjs/actors/log.hpp"
#include "sockjs/actors/timers.hpp"

#include <caf/all.hpp>

#include <string>
#include <unordered_map>

namespace sockjs {

namespace {

struct registry_state;
using registry_pointer = registry_actor::stateful_pointer<registry_state>;

struct registry_state {
  static inline const char* name = "sockjs.registry";
  session_config config;
  handler_factory make_handler;
  std::shared_ptr<session_directory> sessions;
  // Every live session, websocket ones (not in the table) with an empty id.
  std::unordered_map<caf::actor_addr, std::string> ids;

  log::throttle refusals;

  bool full() {
    if (config.max_sessions == 0 || ids.size() < config.max_sessions)
      return false;
    sessions->count_refused();
    if (std::uint64_t more = 0; refusals.allow(more))
      log::warning("a service at max-sessions (", config.max_sessions,
                   ") refused a new session (and ", more, " since the last)");
    return true;
  }

  session_actor spawn(registry_pointer self, session_config cfg,
                      connection_info& info, const std::string& id) {
    auto session =
        spawn_session(self->system(), cfg, make_handler,
                      std::make_shared<const connection_info>(std::move(info)));
    self->monitor(session);
    ids.emplace(session.address(), id);
    sessions->count_up();
    return session;
  }
};

registry_actor::behavior_type
registry_behavior(registry_pointer self, session_config config,
                  handler_factory make_handler,
                  std::shared_ptr<session_directory> sessions) {
  self->state.config = config;
  self->state.make_handler = std::move(make_handler);
  self->state.sessions = sessions;
  // A registry that ends lets go of its sessions' handles.
  self->attach_functor([sessions] { sessions->clear(); });
  // The sessions' timers; they go with the registry.
  auto timers = spawn_timer_service(self->system());
  self->state.config.timers = timers;
  self->attach_functor([timers] {
    caf::anon_send_exit(timers, caf::exit_reason::user_shutdown);
  });
  self->set_down_handler([self](caf::down_msg& down) {
    auto& st = self->state;
    auto i = st.ids.find(down.source);
    if (i == st.ids.end()) return;
    if (!i->second.empty()) st.sessions->erase(i->second);
    st.ids.erase(i);
    st.sessions->count_down();
  });
  return {
      [self](open_atom, const std::string& id,
             connection_info& info) -> caf::result<session_actor> {
        auto& st = self->state;
        if (auto session = st.sessions->find(id)) return session;
        if (st.full()) return make_error(registry_error::too_many_sessions);
        auto session = st.spawn(self, st.config, info, id);
        st.sessions->insert(id, session);
        return session;
      },
      [self](open_atom, connection_info& info) -> caf::result<session_actor> {
        // A websocket session: never in the table, ends with its connection.
        auto& st = self->state;
        if (st.full()) return make_error(registry_error::too_many_sessions);
        auto cfg = st.config;
        cfg.disconnect_delay = std::chrono::milliseconds{0};
        return st.spawn(self, cfg, info, std::string{});
      },
      [self](lookup_atom, const std::string& id) -> caf::result<session_actor> {
        auto& st = self->state;
        if (auto session = st.sessions->find(id)) return session;
        return make_error(registry_error::unknown_session);
      },
      [self](count_atom) -> std::size_t { return self->state.ids.size(); },
      [self](shutdown_atom) {
        for (auto& [addr, id] : self->state.ids)
          self->send(caf::actor_cast<session_actor>(addr),
                     shutdown_atom::value);
        self->quit();
      },
  };
}

} // namespace

caf::error make_error(registry_error x) {
  return {static_cast<std::uint8_t>(x), caf::atom("sockjs")};
}

registry_actor spawn_registry(caf::actor_system& system, session_config config,
                              handler_factory make_handler,
                              std::shared_ptr<session_directory> directory) {
  return system.spawn(registry_behavior, config, std::move(make_handler),
                      std::move(directory));
}

session_actor session_directory::find(const std::string& id) const {
  std::shared_lock<std::shared_mutex> guard{mutex_};
  auto i = sessions_.find(id);
  return i == sessions_.end() ? session_actor{} : i->second;
}

void session_directory::insert(const std::string& id, session_actor session) {
  std::unique_lock<std::shared_mutex> guard{mutex_};
  sessions_.emplace(id, std::move(session));
}

void session_directory::erase(const std::string& id) {
  std::unique_lock<std::shared_mutex> guard{mutex_};
  sessions_.erase(id);
}

void session_directory::clear() {
  std::unique_lock<std::shared_mutex> guard{mutex_};
  sessions_.clear();
}

} // namespace sockjs
