// The findings of the hardening review, each as it was tried: memory held by
// chunk framing, request smuggling, pipelining behind held responses, HEAD,
// liveness after pipelined bytes, websocket validation, header copies per
// session, idle handshakes.
#define CAF_SUITE hardening
#include "tests/integration/server_fixture.hpp"

#include <unistd.h>

using namespace sockjs;
using namespace sockjs::test;

namespace {

server_config short_timeouts() {
  auto cfg = test_server_config();
  cfg.max_header_bytes = 2048;
  cfg.max_body_bytes = 4096;
  cfg.request_timeout = std::chrono::milliseconds{500};
  cfg.keep_alive_timeout = std::chrono::milliseconds{500};
  return cfg;
}

struct hardening_fixture : server_fixture {
  hardening_fixture() : server_fixture(test_settings(), short_timeouts()) {}

  bool still_serving() { return get("/echo").body == "Welcome to SockJS!\n"; }

  /// Opens a session over xhr polling and returns its URL.
  std::string open_polled() {
    auto url = session_url();
    CAF_REQUIRE_EQUAL(post(url + "/xhr").body, "o\n");
    return url;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(hardening_tests, hardening_fixture)

// Finding 1.
CAF_TEST(chunk extensions count against a limit) {
  const auto before = rss_kb();
  tcp_client client{port};
  client.send("POST " + open_polled() +
              "/xhr_send HTTP/1.1\r\nHost: x\r\n"
              "Transfer-Encoding: chunked\r\n\r\n2;");
  // 8 MiB of extension: the server must give up long before.
  const std::string junk(64 * 1024, 'e');
  bool refused = false;
  for (int i = 0; i < 128 && !refused; ++i) {
    try {
      client.send(junk);
    } catch (const std::exception&) {
      refused = true; // the server closed: the send fails
    }
  }
  auto res = client.read_response();
  CAF_CHECK_EQUAL(res.status, 400);
  if (rss_meaningful) CAF_CHECK_LESS(rss_kb(), before + 4 * 1024);
  CAF_CHECK(still_serving());
}

CAF_TEST(long leading zeros in a chunk size count against a limit) {
  tcp_client client{port};
  client.send("POST " + open_polled() +
              "/xhr_send HTTP/1.1\r\nHost: x\r\n"
              "Transfer-Encoding: chunked\r\n\r\n" +
              std::string(100 * 1024, '0'));
  CAF_CHECK_EQUAL(client.read_response().status, 400);
  CAF_CHECK(still_serving());
}

// Finding 2.
CAF_TEST(a transfer coding that does not end in chunked is 400 and closes) {
  for (const char* coding :
       {"chunked, gzip", "identity", "xchunked", "chunked, identity", "gzip"}) {
    CAF_MESSAGE("Transfer-Encoding: " << coding);
    tcp_client client{port};
    const std::string smuggled = "GET /echo/info HTTP/1.1\r\nHost: x\r\n\r\n";
    client.send("POST " + open_polled() +
                "/xhr_send HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " +
                coding + "\r\n\r\n" + smuggled);
    auto res = client.read_response();
    CAF_CHECK_EQUAL(res.status, 400);
    CAF_CHECK(client.closed_within()); // and the smuggled GET not answered
  }
}

CAF_TEST(transfer - encoding with content - length closes after the response) {
  tcp_client client{port};
  client.send("POST " + open_polled() +
              "/xhr_send HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
              "Transfer-Encoding: chunked\r\n\r\n7\r\n[\"hi\"]\r\n0\r\n\r\n"
              "GET /echo/info HTTP/1.1\r\nHost: x\r\n\r\n");
  // Beast refuses the pair outright; either way nothing more is read.
  auto res = client.read_response();
  CAF_CHECK(res.status == 400 || res.status == 204);
  CAF_CHECK(client.closed_within());
}

// Finding 3.
CAF_TEST(a request pipelined behind a held response is answered) {
  tcp_client client{port};
  const auto url = session_url();
  client.send("POST " + url + "/xhr HTTP/1.1\r\nHost: x\r\n\r\n" +
              "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  CAF_CHECK_EQUAL(client.read_response().body, "o\n");
  CAF_CHECK_EQUAL(client.read_response().body, "Welcome to SockJS!\n");
}

// Finding 4.
CAF_TEST(an idle keep - alive connection after a poll times out) {
  tcp_client client{port};
  client.send_request("POST", session_url() + "/xhr");
  CAF_CHECK_EQUAL(client.read_response().body, "o\n");
  // keep_alive_timeout is 500 ms here.
  CAF_CHECK(client.closed_within(2000ms));
}

// Finding 5.
CAF_TEST(responses to head carry no body) {
  for (const char* path : {"/nothing-here", "/echo", "/echo/info"}) {
    CAF_MESSAGE("HEAD " << path);
    tcp_client client{port};
    client.send_request("HEAD", path);
    auto head = client.read_head();
    CAF_CHECK(head.status == 404 || head.status == 405 || head.status == 200);
    // The next response on the connection starts right after the head.
    client.send_request("GET", "/echo");
    auto next = client.read_response();
    CAF_CHECK_EQUAL(next.status, 200);
    CAF_CHECK_EQUAL(next.body, "Welcome to SockJS!\n");
  }
}

// Finding 6.
CAF_TEST(a client that left after pipelining lots is not taken for alive) {
  const auto url = session_url();
  {
    auto stream = open_stream(port, "POST", url + "/xhr_streaming");
    stream.read_chunk(); // prelude
    CAF_CHECK_EQUAL(stream.read_chunk(), "o\n");
    stream.send(std::string(20000, 'x'));
  } // closed
  // The next receiver finds the session closed, not "another connection".
  auto next = post(url + "/xhr");
  CAF_CHECK_EQUAL(next.body, "c[1002,\"Connection interrupted\"]\n");
}

// Finding 7.
CAF_TEST(websocket close codes outside the protocol are a protocol error) {
  for (int code : {5000, 65535, 999, 1005, 2999}) {
    CAF_MESSAGE("close code " << code);
    ws_client ws{port, "/echo/websocket"};
    std::string payload;
    payload.push_back(static_cast<char>(code >> 8));
    payload.push_back(static_cast<char>(code & 0xff));
    ws.send_frame(8, payload);
    try {
      auto frame = ws.read();
      CAF_CHECK_EQUAL(frame.opcode, 8);
      CAF_CHECK_EQUAL(frame.close_code(), 1002);
    } catch (const std::exception&) {
      // Closing the TCP connection at once is failing it too.
    }
    CAF_CHECK(ws.socket().closed_within());
  }
  CAF_CHECK(still_serving());
}

CAF_TEST(a websocket key that is not 16 bytes of base64 is 400) {
  for (const char* key :
       {"abc", "dGhlIHNhbXBsZSBub25jZQ", "!!!!!!!!!!!!!!!!!!!!!!=="}) {
    CAF_MESSAGE("Sec-WebSocket-Key: " << key);
    auto res = http(port, "GET", "/echo/websocket",
                    {{"Connection", "Upgrade"},
                     {"Upgrade", "websocket"},
                     {"Sec-WebSocket-Version", "13"},
                     {"Sec-WebSocket-Key", key}});
    CAF_CHECK_EQUAL(res.status, 400);
  }
}

// Finding 8: service_api's "a session keeps only the headers info promises".

// Finding 9.
CAF_TEST(a hixie - 76 handshake without its key3 times out) {
  tcp_client client{port};
  client.send("GET /echo/0/0/websocket HTTP/1.1\r\nHost: x\r\n"
              "Connection: Upgrade\r\nUpgrade: WebSocket\r\n"
              "Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\n"
              "Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n\r\n");
  CAF_CHECK_EQUAL(client.read_head().status, 101);
  // request_timeout is 500 ms here.
  CAF_CHECK(client.closed_within(3000ms));
}

CAF_TEST_FIXTURE_SCOPE_END()
