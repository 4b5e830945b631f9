// Clients that do not keep up: a thousand websockets that never read while
// /broadcast floods them (each session holds at most max_queued_bytes, then
// closes with 1013), and a client that sends faster than its service
// takes messages (the server stops reading it; TCP pushes back).
#define CAF_SUITE slow_consumers
#include "tests/integration/server_fixture.hpp"

#include <atomic>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>

using namespace sockjs;
using namespace sockjs::test;

namespace {

constexpr std::size_t queue_limit = 32 * 1024;

app::test_service_settings small_queues() {
  auto settings = test_settings();
  settings.base.max_queued_bytes = queue_limit;
  return settings;
}

// As many sockets as this process may open, up to `wanted` (each needs two
// descriptors here: the client's and the server's).
std::size_t grown_since(std::size_t before_kb) {
  const auto now = rss_kb();
  return now > before_kb ? now - before_kb : 0;
}

std::size_t affordable(std::size_t wanted) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  getrlimit(RLIMIT_NOFILE, &limit);
  return std::min<std::size_t>(wanted, (limit.rlim_cur - 256) / 2);
}

// A websocket that reads nothing: a small receive buffer, so that the
// kernel holds little for it and the server's queue fills.
std::unique_ptr<ws_client> deaf_websocket(std::uint16_t port,
                                          const std::string& path) {
  auto ws = std::make_unique<ws_client>(port, path);
  int bytes = 4096;
  ::setsockopt(ws->socket().native_handle(), SOL_SOCKET, SO_RCVBUF, &bytes,
               sizeof bytes);
  return ws;
}

struct slow_fixture : server_fixture {
  slow_fixture() : server_fixture(small_queues()) {}
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(slow_consumer_tests, slow_fixture)

CAF_TEST(a broadcast flood closes deaf websockets with 1013 in bounded memory) {
  const auto count = affordable(1000);
  CAF_MESSAGE(count << " websockets that never read");
  std::vector<std::unique_ptr<ws_client>> deaf;
  for (std::size_t i = 0; i < count; ++i) {
    deaf.push_back(
        deaf_websocket(port, session_url("/broadcast") + "/websocket"));
    CAF_REQUIRE_EQUAL(deaf.back()->read_text(), "o");
  }
  ws_client flooder{port, session_url("/broadcast") + "/websocket"};
  CAF_REQUIRE_EQUAL(flooder.read_text(), "o");
  CAF_REQUIRE(eventually([&] { return srv.session_count() == count + 1; }));

  const auto before = rss_kb();
  // The flooder takes its own copies all along (raw bytes, as fast as they
  // come), so that it keeps up.
  std::atomic<bool> flooding{true};
  std::atomic<std::size_t> echoed{0}; // bytes of its copies
  std::thread drain{[&, fd = flooder.socket().native_handle()] {
    std::vector<char> sink(1 << 20);
    while (flooding) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const auto n = ::recv(fd, sink.data(), sink.size(), 0);
      if (n <= 0) break;
      echoed += static_cast<std::size_t>(n);
    }
  }};
  // Until every deaf session is gone: each takes what the kernel buffers
  // for it and its queue, and then some (bounded in count and time).
  const std::string message = "[\"" + std::string(4000, 'x') + "\"]";
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  int sent = 0;
  while (srv.session_count() > 1 && sent < 5000 &&
         std::chrono::steady_clock::now() < deadline) {
    // A few messages ahead of its own copies: its queue never fills.
    if (echoed < (sent > 4 ? sent - 4 : 0) * message.size()) {
      std::this_thread::sleep_for(100us);
      continue;
    }
    flooder.send_text(message);
    ++sent;
  }
  // A session whose close waits behind a write the client never takes
  // ends at the latest after the close linger (5 s).
  for (int i = 0; i < 150 && srv.session_count() > 1; ++i)
    std::this_thread::sleep_for(100ms);
  flooding = false;
  drain.join();
  const auto grown_kb = grown_since(before);
  CAF_MESSAGE(sent << " messages of 4 KB; sessions left " << srv.session_count()
                   << "; RSS grew " << grown_kb << " KiB");
  CAF_CHECK_EQUAL(srv.session_count(), 1u);
  // Each deaf session held at most its queue (and a frame being written);
  // what it was sent, unbounded, would be gigabytes.
  if (rss_meaningful)
    CAF_CHECK_LESS(grown_kb, count * 3 * queue_limit / 1024 + 64 * 1024);
  CAF_CHECK_EQUAL(srv.stats().sessions, 1u);

  // Their connections are released too, even though their clients never
  // take the close frame (dropped after the close linger, 5 s).
  for (int i = 0; i < 100 && srv.stats().connections > 1; ++i)
    std::this_thread::sleep_for(100ms);
  CAF_CHECK_EQUAL(srv.stats().connections, 1u);
}

CAF_TEST_FIXTURE_SCOPE_END()

namespace {

// A service that takes a millisecond per message: a client may send much
// faster than that.
struct slow_service_fixture {
  slow_service_fixture() {
    srv.add_service("/slow", service_options{},
                    callback_service<int>(
                        [](const connection&, const event& ev, int taken) {
                          if (ev.kind == event::recv)
                            std::this_thread::sleep_for(1ms);
                          return taken + 1;
                        },
                        0));
    port = srv.start();
  }
  ~slow_service_fixture() { srv.stop(std::chrono::milliseconds{200}); }

  system_config config;
  caf::actor_system system{config};
  server srv{system, test_server_config()};
  std::uint16_t port = 0;
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(slow_service_tests, slow_service_fixture)

CAF_TEST(a client sending faster than its service takes is not read on) {
  ws_client ws{port, "/slow/000/" + unique_id() + "/websocket"};
  CAF_REQUIRE_EQUAL(ws.read_text(), "o");
  const int fd = ws.socket().native_handle();
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  const auto before = rss_kb();
  // Masked frames of one 4 KB message each, for two seconds, as fast as
  // the kernel takes them.
  const std::string message = "[\"" + std::string(4000, 'y') + "\"]";
  const std::string frame =
      std::string{"\x81\xfe\x0f\xa4\x00\x00\x00\x00", 8} + message;
  std::size_t sent = 0;
  std::size_t offset = 0; // within the frame being sent
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto n =
        ::send(fd, frame.data() + offset, frame.size() - offset, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      offset = (offset + static_cast<std::size_t>(n)) % frame.size();
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      std::this_thread::sleep_for(1ms);
    } else {
      CAF_FAIL("the server closed the connection");
    }
  }
  const auto grown_kb = grown_since(before);
  CAF_MESSAGE("the client got " << sent / 1024 << " KiB out in 2 s; RSS grew "
                                << grown_kb << " KiB");
  // The service takes about 2000 messages (8 MB) in 2 s; what the server
  // does not read stays in the kernel and pushes back on the client.
  // Read on regardless, loopback would take gigabytes.
  CAF_CHECK_LESS(sent, 32u * 1024 * 1024);
  if (rss_meaningful) CAF_CHECK_LESS(grown_kb, 16u * 1024);
}

CAF_TEST_FIXTURE_SCOPE_END()
