// The smallest SockJS service: every message comes back.
//
//   echo [--port 8081]    then open sockjs-client on http://127.0.0.1:8081/echo
#include <sockjs/sockjs.hpp>

// Called inside the session's actor for each event; the int is the
// per-session state this service does not need.
int echo(const sockjs::connection& conn, const sockjs::event& ev, int state) {
  if (ev.kind == sockjs::event::recv) conn.send(ev.data);
  return state;
}

int main(int argc, char** argv) {
  return sockjs::run_server(
      argc, argv, [](caf::actor_system&, sockjs::server& srv) {
        srv.add_service("/echo", {}, sockjs::callback_service<int>(echo, 0));
      });
}
