// What service authors get beyond send and close: the transport in info(),
// per-session state for actor services, blocking work off the I/O threads,
// and transports a service switches off.
#define CAF_SUITE service_api
#include "tests/integration/server_fixture.hpp"

#include <thread>

using namespace sockjs;
using namespace sockjs::test;

namespace {

// Answers "info" with the session's transport and path; echoes the rest.
int describe(const connection& conn, const event& ev, int state) {
  if (ev.kind != event::recv) return state;
  if (ev.data == "info") {
    conn.send(conn.info().transport + " " + conn.info().path);
  } else if (ev.data == "headers") {
    std::string names;
    std::size_t bytes = 0;
    for (const auto& [name, value] : conn.info().headers) {
      names += (names.empty() ? "" : ",") + name;
      bytes += name.size() + value.size();
    }
    conn.send(names + " " + std::to_string(bytes));
  } else
    conn.send(ev.data);
  return state;
}

// Counts the messages of its session in the actor's own state.
struct counter_state {
  int seen = 0;
};

handler_factory counting_service() {
  return actor_service<counter_state>(
      [](caf::stateful_actor<counter_state>* self,
         connection conn) -> caf::behavior {
        return {[self, conn](recv_atom, const std::string&) {
          conn.send(std::to_string(++self->state.seen));
        }};
      });
}

// "slow" takes two seconds of blocking work before its answer; anything
// else is echoed at once.
int slow_or_echo(const connection& conn, const event& ev, int state) {
  if (ev.kind != event::recv) return state;
  if (ev.data == "slow")
    run_blocking(conn, [conn] {
      std::this_thread::sleep_for(std::chrono::seconds{2});
      conn.send("slow done");
    });
  else
    conn.send(ev.data);
  return state;
}

struct one_thread_config : system_config {
  one_thread_config() { set("scheduler.max-threads", 1); }
};

// One I/O thread: blocking it would stall every other session.
struct api_fixture {
  one_thread_config config;
  caf::actor_system system{config};
  server srv{system, test_server_config()};
  std::uint16_t port = 0;

  api_fixture() {
    srv.add_service("/describe", {}, callback_service<int>(describe, 0));
    srv.add_service("/count", {}, counting_service());
    srv.add_service("/slow", {}, callback_service<int>(slow_or_echo, 0));
    // Asks its own server, from the I/O thread its callback runs on.
    srv.add_service("/sessions", {},
                    callback_service<int>(
                        [this](const connection& conn, const event& ev, int n) {
                          if (ev.kind == event::recv)
                            conn.send(std::to_string(srv.session_count()));
                          return n;
                        },
                        0));
    service_options streaming_only;
    streaming_only.disabled_transports = {"xhr-polling", "websocket",
                                          "eventsource"};
    srv.add_service("/streaming_only", streaming_only,
                    callback_service<int>(describe, 0));
    port = srv.start();
  }

  ~api_fixture() { srv.stop(std::chrono::milliseconds{200}); }

  response post(const std::string& path, const std::string& body = {}) {
    return http(port, "POST", path, {}, body);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(service_api_tests, api_fixture)

CAF_TEST(info names the transport the session was opened with) {
  const auto polled = "/describe/000/" + unique_id();
  CAF_CHECK_EQUAL(post(polled + "/xhr").body, "o\n");
  CAF_CHECK_EQUAL(post(polled + "/xhr_send", R"(["info"])").status, 204);
  CAF_CHECK_EQUAL(post(polled + "/xhr").body,
                  "a[\"xhr-polling " + polled + "/xhr\"]\n");

  const auto streamed = "/describe/000/" + unique_id();
  auto stream = open_stream(port, "POST", streamed + "/xhr_streaming");
  CAF_CHECK_EQUAL(stream.read_chunk().size(), 2049u); // the prelude
  CAF_CHECK_EQUAL(stream.read_chunk(), "o\n");
  CAF_CHECK_EQUAL(post(streamed + "/xhr_send", R"(["info"])").status, 204);
  CAF_CHECK_EQUAL(stream.read_chunk(),
                  "a[\"xhr-streaming " + streamed + "/xhr_streaming\"]\n");

  ws_client ws{port, "/describe/000/" + unique_id() + "/websocket"};
  CAF_CHECK_EQUAL(ws.read_text(), "o");
  ws.send_text(R"(["info"])");
  CAF_CHECK(ws.read_text().rfind("a[\"websocket /describe/000/", 0) == 0);

  ws_client raw{port, "/describe/websocket"};
  raw.send_text("info");
  CAF_CHECK_EQUAL(raw.read_text(), "websocket-raw /describe/websocket");
}

CAF_TEST(a session keeps only the headers info promises) {
  std::vector<std::pair<std::string, std::string>> headers{
      {"User-Agent", std::string(4000, 'u')},
      {"Cookie", "secret=1"},
      {"Origin", "http://example.com"}};
  for (int i = 0; i < 20; ++i)
    headers.emplace_back("X-Junk-" + std::to_string(i), std::string(300, 'j'));
  const auto url = "/describe/000/" + unique_id();
  CAF_CHECK_EQUAL(http(port, "POST", url + "/xhr", headers).body, "o\n");
  CAF_CHECK_EQUAL(post(url + "/xhr_send", R"(["headers"])").status, 204);
  // Host (the test client sends 127.0.0.1), the User-Agent cut to 1 KiB,
  // the Origin.
  const std::size_t expected_bytes = 4 + 9 + 10 + 1024 + 6 + 18;
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "a[\"Host,User-Agent,Origin " +
                                               std::to_string(expected_bytes) +
                                               "\"]\n");
}

CAF_TEST(session_count is safe from a service callback) {
  const auto a = "/sessions/000/" + unique_id();
  const auto b = "/sessions/000/" + unique_id();
  CAF_CHECK_EQUAL(post(a + "/xhr").body, "o\n");
  CAF_CHECK_EQUAL(post(b + "/xhr").body, "o\n");
  CAF_CHECK_EQUAL(post(a + "/xhr_send", R"(["how many?"])").status, 204);
  CAF_CHECK_EQUAL(post(a + "/xhr").body, "a[\"2\"]\n");
}

CAF_TEST(actor services keep state per session) {
  const auto a = "/count/000/" + unique_id();
  const auto b = "/count/000/" + unique_id();
  CAF_CHECK_EQUAL(post(a + "/xhr").body, "o\n");
  CAF_CHECK_EQUAL(post(b + "/xhr").body, "o\n");
  CAF_CHECK_EQUAL(post(a + "/xhr_send", R"(["x","y"])").status, 204);
  CAF_CHECK_EQUAL(post(b + "/xhr_send", R"(["z"])").status, 204);
  CAF_CHECK_EQUAL(post(a + "/xhr").body, "a[\"1\",\"2\"]\n");
  CAF_CHECK_EQUAL(post(b + "/xhr").body, "a[\"1\"]\n");
}

CAF_TEST(blocking work leaves the io thread to the others) {
  const auto slow = "/slow/000/" + unique_id();
  auto stream = open_stream(port, "POST", slow + "/xhr_streaming");
  stream.read_chunk(); // prelude
  CAF_CHECK_EQUAL(stream.read_chunk(), "o\n");
  CAF_CHECK_EQUAL(post(slow + "/xhr_send", R"(["slow"])").status, 204);
  // While the work blocks its own thread for two seconds, another session
  // on the one I/O thread is answered within the client's one second.
  const auto quick = "/slow/000/" + unique_id();
  CAF_CHECK_EQUAL(post(quick + "/xhr").body, "o\n");
  CAF_CHECK_EQUAL(post(quick + "/xhr_send", R"(["quick"])").status, 204);
  CAF_CHECK_EQUAL(post(quick + "/xhr").body, "a[\"quick\"]\n");
  CAF_CHECK_EQUAL(stream.read_chunk(3000ms), "a[\"slow done\"]\n");
}

CAF_TEST(disabled transports answer 404 and info says so) {
  auto info = http(port, "GET", "/streaming_only/info");
  CAF_CHECK_EQUAL(info.status, 200);
  CAF_CHECK(info.body.find("\"websocket\":false") != std::string::npos);
  const auto base = "/streaming_only/000/" + unique_id();
  CAF_CHECK_EQUAL(post(base + "/xhr").status, 404);
  CAF_CHECK_EQUAL(http(port, "GET", base + "/eventsource").status, 404);
  CAF_CHECK_EQUAL(http(port, "GET", base + "/websocket").status, 404);
  auto stream = open_stream(port, "POST", base + "/xhr_streaming");
  stream.read_chunk();
  CAF_CHECK_EQUAL(stream.read_chunk(), "o\n");
  CAF_CHECK_EQUAL(post(base + "/xhr_send", R"(["still sends"])").status, 204);
  CAF_CHECK_EQUAL(stream.read_chunk(), "a[\"still sends\"]\n");
}

CAF_TEST(an unknown transport name is refused when the service is added) {
  server other{system, test_server_config()};
  service_options options;
  options.disabled_transports = {"xhr"};
  bool refused = false;
  try {
    other.add_service("/x", options, callback_service<int>(describe, 0));
  } catch (const std::invalid_argument& e) {
    refused = std::string{e.what()}.find("'xhr'") != std::string::npos;
  }
  CAF_CHECK(refused);
}

CAF_TEST_FIXTURE_SCOPE_END()
