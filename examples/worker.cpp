// Blocking work off the I/O threads. A message "N" asks for the N-th prime,
// found the slow way on a thread of its own (run_blocking); the answer
// comes when it is ready, and every other session is served meanwhile.
// Services run on the I/O threads: they must never block there.
//
//   worker [--port 8081]  then open sockjs-client on
//   http://127.0.0.1:8081/primes
#include <algorithm>
#include <sockjs/sockjs.hpp>
#include <string>

// Trial division: slow on purpose, a stand-in for a database or a file.
long nth_prime(long n) {
  long found = 0;
  for (long candidate = 2;; ++candidate) {
    bool prime = true;
    for (long d = 2; d * d <= candidate && prime; ++d)
      prime = candidate % d != 0;
    if (prime && ++found == n) return candidate;
  }
}

int primes(const sockjs::connection& conn, const sockjs::event& ev, int state) {
  if (ev.kind != sockjs::event::recv) return state;
  long n = 0;
  try {
    n = std::stol(ev.data);
  } catch (const std::exception&) {
    conn.send("send a number");
    return state;
  }
  n = std::clamp(n, 1L, 1000000L);
  sockjs::run_blocking(conn, [conn, n] {
    conn.send("prime " + std::to_string(n) + " is " +
              std::to_string(nth_prime(n)));
  });
  return state;
}

int main(int argc, char** argv) {
  return sockjs::run_server(
      argc, argv, [](caf::actor_system&, sockjs::server& srv) {
        srv.add_service("/primes", {},
                        sockjs::callback_service<int>(primes, 0));
      });
}
