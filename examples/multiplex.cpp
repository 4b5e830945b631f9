// Several channels on one SockJS connection (the npm websocket-multiplex
// client): "echo", a callback service, and "count", an actor service that
// counts the messages of its channel.
//
//   multiplex [--port 8081]   then open sockjs-client on
//                             http://127.0.0.1:8081/multiplex and
//                             new WebSocketMultiplex(sock).channel("echo")
#include <caf/all.hpp>

#include <sockjs/sockjs.hpp>
#include <string>

int echo(const sockjs::connection& conn, const sockjs::event& ev, int state) {
  if (ev.kind == sockjs::event::recv) conn.send(ev.data);
  return state;
}

struct count_state {
  int seen = 0;
};

caf::behavior count(caf::stateful_actor<count_state>* self,
                    sockjs::connection conn) {
  return {[self, conn](sockjs::recv_atom, const std::string&) {
    conn.send(std::to_string(++self->state.seen));
  }};
}

int main(int argc, char** argv) {
  return sockjs::run_server(
      argc, argv, [](caf::actor_system&, sockjs::server& srv) {
        srv.add_service(
            "/multiplex", {},
            sockjs::multiplex_service(
                {{"echo", sockjs::callback_service<int>(echo, 0)},
                 {"count", sockjs::actor_service<count_state>(count)}}));
      });
}
