// What the server does when it is full or asked by a page it does not
// serve: max_sessions (503, or close 1013 for a websocket),
// max_connections (the oldest connection waiting for a request makes room,
// else 503), clients trickling headers (slowloris), and the origin
// allow-list on every route.
#define CAF_SUITE limits
#include "tests/integration/server_fixture.hpp"

using namespace sockjs;
using namespace sockjs::test;

namespace {

app::test_service_settings two_sessions() {
  auto settings = test_settings();
  settings.base.max_sessions = 2;
  settings.base.disconnect_delay = std::chrono::milliseconds{200};
  return settings;
}

server_config connections(std::size_t max) {
  auto cfg = test_server_config();
  cfg.max_connections = max;
  cfg.request_timeout = std::chrono::milliseconds{500};
  return cfg;
}

struct sessions_fixture : server_fixture {
  sessions_fixture() : server_fixture(two_sessions()) {}
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(session_limit_tests, sessions_fixture)

CAF_TEST(past max_sessions a new session is 503 and a websocket closes 1013) {
  const auto first = session_url();
  auto held = open_stream(port, "POST", first + "/xhr_streaming");
  auto second = open_stream(port, "POST", session_url() + "/xhr_streaming");
  CAF_CHECK_EQUAL(held.read_chunk().size(), 2049u);
  CAF_CHECK_EQUAL(held.read_chunk(), "o\n");

  auto refused = post(session_url() + "/xhr");
  CAF_CHECK_EQUAL(refused.status, 503);
  CAF_CHECK_EQUAL(refused.body, "Too many sessions: try again later.\n");

  ws_client ws{port, session_url() + "/websocket"};
  auto frame = ws.read();
  CAF_CHECK_EQUAL(frame.payload, R"(c[1013,"Too many sessions"])");
  CAF_CHECK_EQUAL(ws.read().opcode, 8);
  ws_client raw{port, "/echo/websocket"};
  auto close = raw.read();
  CAF_CHECK_EQUAL(close.opcode, 8);
  CAF_CHECK_EQUAL(close.close_code(), 1013);
  CAF_CHECK_EQUAL(close.close_reason(), "Too many sessions");

  // The sessions there carry on, and every refusal is counted.
  CAF_CHECK_EQUAL(post(first + "/xhr_send", R"(["still here"])").status, 204);
  CAF_CHECK_EQUAL(held.read_chunk(), "a[\"still here\"]\n");
  CAF_CHECK_EQUAL(srv.stats().sessions_refused, 3u);
  CAF_CHECK_EQUAL(srv.stats().sessions, 2u);

  // A session that ends makes room.
  second.abort();
  CAF_CHECK(eventually([&] { return srv.session_count() == 1; }));
  CAF_CHECK_EQUAL(post(session_url() + "/xhr").body, "o\n");
}

CAF_TEST_FIXTURE_SCOPE_END()

namespace {

struct connections_fixture : server_fixture {
  connections_fixture() : server_fixture(test_settings(), connections(4)) {}

  bool connections_are(std::size_t n) {
    return eventually([&] { return srv.stats().connections == n; });
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(connection_limit_tests, connections_fixture)

CAF_TEST(past max_connections the oldest connection waiting makes room) {
  std::vector<tcp_client> idle;
  for (int i = 0; i < 4; ++i) {
    idle.emplace_back(port);
    CAF_REQUIRE(connections_are(idle.size()));
  }
  CAF_CHECK_EQUAL(get("/echo").body, "Welcome to SockJS!\n");
  CAF_CHECK(idle.front().closed_within());
  CAF_CHECK(idle.back().silent_for(std::chrono::milliseconds{100}));
  CAF_CHECK_EQUAL(srv.stats().connections_shed, 1u);
  CAF_CHECK_EQUAL(srv.stats().connections_refused, 0u);
}

CAF_TEST(past max_connections with none waiting a new one is 503) {
  std::vector<tcp_client> streams;
  for (int i = 0; i < 4; ++i)
    streams.push_back(
        open_stream(port, "POST", session_url() + "/xhr_streaming"));
  CAF_REQUIRE(connections_are(4));
  tcp_client late{port};
  late.send_request("GET", "/echo");
  auto res = late.read_response();
  CAF_CHECK_EQUAL(res.status, 503);
  CAF_CHECK_EQUAL(res.body, "Too many connections: try again later.\n");
  CAF_CHECK_EQUAL(res.header("Connection"),
                  std::optional<std::string>{"close"});
  CAF_CHECK(late.closed_within());
  CAF_CHECK_EQUAL(srv.stats().connections_refused, 1u);
  // Those it holds are untouched.
  CAF_CHECK_EQUAL(streams.front().read_chunk().size(), 2049u);
}

CAF_TEST(a client trickling its head is closed at the request timeout) {
  tcp_client slow{port};
  const std::string head = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  for (std::size_t i = 0; !closed && i < 100; ++i) {
    try {
      slow.send(std::string(1, head[i % head.size()]));
    } catch (const std::exception&) {
      closed = true;
    }
    closed = closed || slow.closed_within(std::chrono::milliseconds{50});
  }
  CAF_CHECK(closed);
  // request_timeout is 500 ms here: a byte now and then does not extend it.
  CAF_CHECK_LESS(std::chrono::steady_clock::now() - start,
                 std::chrono::milliseconds{2500});
}

CAF_TEST(clients trickling headers do not starve real clients) {
  // Four times the server's room, each reconnecting when dropped.
  std::vector<std::optional<tcp_client>> slow(16);
  auto trickle = [&] {
    for (auto& client : slow) {
      try {
        if (!client) {
          client.emplace(port);
          client->send("GET /echo HTTP/1.1\r\n");
        }
        client->send("X: y\r\n");
      } catch (const std::exception&) {
        client.reset();
      }
    }
  };
  int served = 0;
  for (int round = 0; round < 20; ++round) {
    trickle();
    if (get("/echo").body == "Welcome to SockJS!\n") ++served;
  }
  CAF_CHECK_EQUAL(served, 20);
  CAF_CHECK_GREATER(srv.stats().connections_shed, 0u);
}

CAF_TEST_FIXTURE_SCOPE_END()

namespace {

app::test_service_settings good_origin_only() {
  auto settings = test_settings();
  settings.base.allowed_origins = {"https://good.example"};
  return settings;
}

struct origin_fixture : server_fixture {
  origin_fixture() : server_fixture(good_origin_only()) {}
};

const std::pair<std::string, std::string> evil{"Origin",
                                               "https://evil.example"};
const std::pair<std::string, std::string> good{"Origin",
                                               "https://good.example"};

} // namespace

CAF_TEST_FIXTURE_SCOPE(origin_policy_tests, origin_fixture)

CAF_TEST(an origin not listed gets 403 without CORS headers) {
  const auto url = session_url();
  for (auto res : {get("/echo/info", {evil}), options("/echo/info", {evil}),
                   post(url + "/xhr", {}, {evil}),
                   post(url + "/xhr_streaming", {}, {evil}),
                   get(url + "/eventsource", {evil})}) {
    CAF_CHECK_EQUAL(res.status, 403);
    CAF_CHECK_EQUAL(res.body, "Origin not allowed.\n");
    CAF_CHECK(!res.has("access-control-allow-origin"));
  }
  // Nothing reached a session.
  CAF_CHECK_EQUAL(srv.session_count(), 0u);
}

CAF_TEST(the websocket handshake checks the origin too) {
  for (auto path :
       {session_url() + "/websocket", std::string{"/echo/websocket"}}) {
    tcp_client client{port};
    client.send_request("GET", path,
                        {{"Upgrade", "websocket"},
                         {"Connection", "Upgrade"},
                         {"Sec-WebSocket-Version", "13"},
                         {"Sec-WebSocket-Key", "x3JJHMbDL1EzLkh9GBhXDw=="},
                         evil});
    CAF_CHECK_EQUAL(client.read_response().status, 403);
  }
}

CAF_TEST(a listed origin or the server own or none at all passes) {
  auto listed = get("/echo/info", {good});
  CAF_CHECK_EQUAL(listed.status, 200);
  CAF_CHECK_EQUAL(listed.header("access-control-allow-origin"),
                  std::optional<std::string>{"https://good.example"});
  CAF_CHECK_EQUAL(get("/echo/info", {{"Origin", "http://127.0.0.1"}}).status,
                  200);
  CAF_CHECK_EQUAL(get("/echo/info").status, 200);
  CAF_CHECK_EQUAL(post(session_url() + "/xhr", {}, {good}).body, "o\n");
}

CAF_TEST(a restricted list switches off what crosses origins without CORS) {
  const auto url = session_url();
  CAF_CHECK_EQUAL(get("/echo/iframe.html").status, 404);
  CAF_CHECK_EQUAL(get(url + "/htmlfile?c=cb").status, 404);
  CAF_CHECK_EQUAL(get(url + "/jsonp?c=cb").status, 404);
  CAF_CHECK_EQUAL(post(url + "/jsonp_send", "d=[]").status, 404);
}

CAF_TEST_FIXTURE_SCOPE_END()
