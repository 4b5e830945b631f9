#include "app/test_services.hpp"

#include "sockjs/actors/interfaces.hpp"
#include "sockjs/multiplex.hpp"

#include <caf/all.hpp>

#include <set>

namespace sockjs::app {

namespace {

using join_atom = caf::atom_constant<caf::atom("join")>;
using leave_atom = caf::atom_constant<caf::atom("leave")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;

std::string echo(const connection& conn, const event& ev, std::string state) {
  if (ev.kind == event::recv) conn.send(ev.data);
  return state;
}

int close_on_open(const connection& conn, const event& ev, int state) {
  if (ev.kind == event::init) conn.close(3000, "Go away!");
  return state;
}

// For a message n, 2^n 'x'; n is clamped to 1..18, anything else counts 1.
int amplify(const connection& conn, const event& ev, int state) {
  if (ev.kind != event::recv) return state;
  int n = 1;
  try {
    std::size_t used = 0;
    n = std::stoi(ev.data, &used);
    if (used != ev.data.size()) n = 1;
  } catch (const std::exception&) {
    n = 1;
  }
  n = std::clamp(n, 1, 18);
  conn.send(std::string(std::size_t{1} << n, 'x'));
  return state;
}

using fanout_atom = caf::atom_constant<caf::atom("fanout")>;
constexpr const char* broadcast_topic = "broadcast";

// One hub actor per server holds the open connections of /broadcast. It is
// hidden: it lives as long as the process and must not hold up shutdown.
// In a cluster, a message goes once to each other node's hub, which hands
// it to the sessions there.
caf::behavior broadcast_hub(caf::stateful_actor<std::set<connection>>* self,
                            cluster::node_actor node) {
  auto fan_out = [self](const std::string& message) {
    const prepared_message prepared{message}; // quoted once per node
    for (const auto& conn : self->state) conn.send(prepared);
  };
  if (node)
    self->send(node, cluster::subscribe_atom::value,
               std::string{broadcast_topic}, caf::actor_cast<caf::actor>(self));
  return {
      [self](join_atom, const connection& conn) { self->state.insert(conn); },
      [self](leave_atom, const connection& conn) { self->state.erase(conn); },
      [self, fan_out, node](send_atom, const std::string& message) {
        fan_out(message);
        if (node)
          self->send(node, cluster::publish_atom::value,
                     std::string{broadcast_topic},
                     caf::make_message(fanout_atom::value, message));
      },
      [fan_out](fanout_atom, const std::string& message) { fan_out(message); },
  };
}

handler_factory broadcast_service(caf::actor hub) {
  return callback_service<int>(
      [hub](const connection& conn, const event& ev, int state) {
        switch (ev.kind) {
        case event::init:
          caf::anon_send(hub, join_atom::value, conn);
          break;
        case event::recv:
          caf::anon_send(hub, send_atom::value, ev.data);
          break;
        case event::closed:
          caf::anon_send(hub, leave_atom::value, conn);
          break;
        case event::info:
          break;
        }
        return state;
      },
      0);
}

// Channels on one connection, as in sockjs-erlang's multiplex example: Ann
// greets and nods, Bob disagrees, Carl says goodbye and leaves.
handler_factory multiplex_demo() {
  auto replying = [](std::string greeting, std::string reply) {
    return callback_service<int>(
        [greeting, reply](const connection& conn, const event& ev, int state) {
          if (ev.kind == event::init) conn.send(greeting);
          if (ev.kind == event::recv) conn.send(reply + ev.data);
          return state;
        },
        0);
  };
  auto leaving = callback_service<int>(
      [](const connection& conn, const event& ev, int state) {
        if (ev.kind == event::init) {
          conn.send("Carl says goodbye!");
          conn.close();
        }
        return state;
      },
      0);
  return multiplex_service(
      {{"ann", replying("Ann says hi!", "Ann nods: ")},
       {"bob", replying("Bob doesn't agree.", "Bob says no to: ")},
       {"carl", leaving}});
}

// Actor style: each session gets an actor that ticks on its own.
handler_factory ticker_service(std::chrono::milliseconds interval) {
  return actor_service([interval](caf::event_based_actor* self,
                                  connection conn) -> caf::behavior {
    self->delayed_send(self, interval, tick_atom::value);
    return {
        [self, conn, interval](tick_atom) {
          conn.send("tick!");
          self->delayed_send(self, interval, tick_atom::value);
        },
        [](recv_atom, const std::string&) {},
    };
  });
}

} // namespace

void add_test_services(caf::actor_system& system, server& srv,
                       const test_service_settings& settings) {
  const auto& base = settings.base;
  auto echo_service = callback_service<std::string>(echo, std::string{});

  auto echo_options = base;
  echo_options.response_limit = settings.echo_response_limit;
  srv.add_service("/echo", echo_options, echo_service);

  srv.add_service("/close", base, callback_service<int>(close_on_open, 0));

  auto no_websocket = base;
  no_websocket.disabled_transports = {"websocket"};
  srv.add_service("/disabled_websocket_echo", no_websocket, echo_service);

  auto cookie_needed = base;
  cookie_needed.jsessionid = true;
  srv.add_service("/cookie_needed_echo", cookie_needed, echo_service);

  srv.add_service("/amplify", base, callback_service<int>(amplify, 0));
  srv.add_service("/broadcast", base,
                  broadcast_service(system.spawn<caf::hidden>(
                      broadcast_hub, srv.cluster_node())));
  srv.add_service("/ticker", base, ticker_service(settings.ticker_interval));
  srv.add_service("/multiplex", base, multiplex_demo());
}

} // namespace sockjs::app
