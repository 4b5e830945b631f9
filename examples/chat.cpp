// A chat room: whoever connects to /chat is in it. "/nick NAME" renames
// you; anything else goes to everyone as "NAME: message"; joins, renames
// and leaves are announced.
//
//   chat [--port 8081]    then open sockjs-client on http://127.0.0.1:8081/chat
#include <caf/all.hpp>

#include <map>
#include <sockjs/sockjs.hpp>
#include <string>

using join_atom = caf::atom_constant<caf::atom("join")>;
using nick_atom = caf::atom_constant<caf::atom("nick")>;
using say_atom = caf::atom_constant<caf::atom("say")>;
using leave_atom = caf::atom_constant<caf::atom("leave")>;

struct room_state {
  std::map<sockjs::connection, std::string> names;
  int guests = 0;
};

// The room knows who is in it under which name and tells everyone
// everything: each line is encoded once for all (prepared_message).
caf::behavior room(caf::stateful_actor<room_state>* self) {
  auto tell_all = [self](const std::string& line) {
    const sockjs::prepared_message message{line};
    for (const auto& [conn, name] : self->state.names) conn.send(message);
  };
  return {
      [self, tell_all](join_atom, const sockjs::connection& conn) {
        const auto name = "guest" + std::to_string(++self->state.guests);
        self->state.names.emplace(conn, name);
        tell_all("* " + name + " joined");
      },
      [self, tell_all](nick_atom, const sockjs::connection& conn,
                       const std::string& nick) {
        auto& name = self->state.names[conn];
        tell_all("* " + name + " is now " + nick);
        name = nick;
      },
      [self, tell_all](say_atom, const sockjs::connection& conn,
                       const std::string& text) {
        tell_all(self->state.names[conn] + ": " + text);
      },
      [self, tell_all](leave_atom, const sockjs::connection& conn) {
        auto left = self->state.names[conn];
        self->state.names.erase(conn);
        tell_all("* " + left + " left");
      },
  };
}

int main(int argc, char** argv) {
  return sockjs::run_server(
      argc, argv, [](caf::actor_system& system, sockjs::server& srv) {
        // Hidden: it lives as long as the process and must not hold up its end.
        auto the_room = system.spawn<caf::hidden>(room);
        // Each session gets an actor that speaks for it in the room.
        srv.add_service(
            "/chat", {},
            sockjs::actor_service(
                [the_room](caf::event_based_actor* self,
                           sockjs::connection conn) -> caf::behavior {
                  self->send(the_room, join_atom::value, conn);
                  return {
                      [self, the_room, conn](sockjs::recv_atom,
                                             const std::string& text) {
                        if (text.rfind("/nick ", 0) == 0)
                          self->send(the_room, nick_atom::value, conn,
                                     text.substr(6));
                        else
                          self->send(the_room, say_atom::value, conn, text);
                      },
                      [self, the_room, conn](sockjs::closed_atom) {
                        self->send(the_room, leave_atom::value, conn);
                      },
                  };
                }));
      });
}
