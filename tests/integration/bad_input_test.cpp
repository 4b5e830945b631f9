// Bad input gets its documented answer and the server keeps serving.
#define CAF_SUITE bad_input
#include "tests/integration/server_fixture.hpp"

using namespace sockjs;
using namespace sockjs::test;

namespace {

server_config small_limits() {
  auto cfg = test_server_config();
  cfg.max_header_bytes = 2048;
  cfg.max_body_bytes = 4096;
  cfg.max_websocket_message_bytes = 4096;
  cfg.websocket_close_timeout = 300ms;
  return cfg;
}

struct bad_input_fixture : server_fixture {
  bad_input_fixture() : server_fixture({}, small_limits()) {}

  bool still_serving() { return get("/echo").body == "Welcome to SockJS!\n"; }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(bad_input_tests, bad_input_fixture)

CAF_TEST(a malformed request line is 400 and closes) {
  tcp_client client{port};
  client.send("THIS IS NOT HTTP\r\n\r\n");
  auto res = client.read_response();
  CAF_CHECK_EQUAL(res.status, 400);
  CAF_CHECK_EQUAL(res.header("Connection").value_or(""), "close");
  CAF_CHECK(client.closed_within());
  CAF_CHECK(still_serving());
}

CAF_TEST(binary garbage is 400) {
  tcp_client client{port};
  client.send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) +
              "\r\n\r\n");
  CAF_CHECK_EQUAL(client.read_head().status, 400);
  CAF_CHECK(still_serving());
}

CAF_TEST(oversized headers are 431) {
  tcp_client client{port};
  client.send_request("GET", "/echo", {{"X-Big", std::string(4096, 'a')}});
  CAF_CHECK_EQUAL(client.read_head().status, 431);
  CAF_CHECK(still_serving());
}

CAF_TEST(oversized bodies are 413) {
  const auto url = session_url();
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "o\n");
  tcp_client client{port};
  client.send_request("POST", url + "/xhr_send", {},
                      "[\"" + std::string(8192, 'x') + "\"]");
  CAF_CHECK_EQUAL(client.read_head().status, 413);
  CAF_CHECK(still_serving());
}

CAF_TEST(a broken chunked body is 400) {
  tcp_client client{port};
  client.send("POST /echo/0/0/xhr_send HTTP/1.1\r\nHost: x\r\n"
              "Transfer-Encoding: chunked\r\n\r\nzz\r\n");
  CAF_CHECK_EQUAL(client.read_head().status, 400);
  CAF_CHECK(still_serving());
}

CAF_TEST(a client that stops mid request does not hold the server) {
  {
    tcp_client client{port};
    client.send("POST /echo/0/abc/xhr_send HTTP/1.1\r\nHost: x\r\n"
                "Content-Length: 100\r\n\r\n[\"only part");
  }
  CAF_CHECK(still_serving());
}

CAF_TEST(ill formed utf8 in a payload is broken json) {
  const auto url = session_url();
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "o\n");
  auto res = post(url + "/xhr_send", "[\"\xff\xfe\"]");
  CAF_CHECK_EQUAL(res.status, 500);
  CAF_CHECK(res.body.find("Broken JSON encoding.") != std::string::npos);
}

CAF_TEST(a truncated websocket frame then a close leaves the server fine) {
  {
    ws_client ws{port, session_url() + "/websocket"};
    CAF_CHECK_EQUAL(ws.read_text(), "o");
    ws.socket().send(std::string("\x81\xfe\x10\x00\x01\x02", 6)); // cut off
  }
  CAF_CHECK(still_serving());
}

CAF_TEST(an oversized websocket message closes with 1009) {
  ws_client ws{port, session_url() + "/websocket"};
  CAF_CHECK_EQUAL(ws.read_text(), "o");
  ws.send_text("[\"" + std::string(8192, 'x') + "\"]");
  auto frame = ws.read();
  CAF_CHECK_EQUAL(frame.opcode, 8);
  CAF_CHECK_EQUAL(frame.close_code(), 1009);
  CAF_CHECK(still_serving());
}

// Found by fuzz_http: pings, then a frame with reserved bits set, read at
// once while the server closes. Beast's read fails the connection and waits
// for the writer, which is the close waiting for the reader: only the close
// bound (300 ms here) ends it. Which ping count meets the close depends on
// the schedule (6 on the machine where it was found): every count up to 12.
CAF_TEST(a protocol error during the server close ends within the close bound) {
  const std::string ping = {'\x89', '\x89', 1,   2,   3,   4,   'p', 'i',
                            'n',    'g',    '-', 'p', 'i', 'n', 'g'};
  const std::string reserved_bits = {'\x65', '\x01', '\x24'};
  std::vector<int> stuck; // ping counts whose connection outlived 2 s
  for (int pings = 0; pings <= 12; ++pings) {
    tcp_client client{port};
    std::string frames;
    for (int i = 0; i < pings; ++i) frames += ping;
    client.send("GET /close/000/" + unique_id() +
                "/websocket HTTP/1.1\r\n"
                "Host: 127.0.0.1\r\n"
                "Upgrade: websocket\r\n"
                "Connection: Upgrade\r\n"
                "Sec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n" +
                frames + reserved_bits);
    CAF_CHECK_EQUAL(client.read_head().status, 101);
    try {
      client.read_until_close(2000ms);
    } catch (const timeout_error&) {
      stuck.push_back(pings);
    }
  }
  CAF_CHECK_EQUAL(stuck, std::vector<int>{});
  CAF_CHECK(still_serving());
}

CAF_TEST(unknown methods are 405 or 404) {
  CAF_CHECK_EQUAL(http(port, "PUT", "/echo/0/0/xhr").status, 405);
  CAF_CHECK_EQUAL(http(port, "BREW", "/echo").status, 405);
  CAF_CHECK_EQUAL(http(port, "GET", "/../../etc/passwd").status, 404);
}

CAF_TEST_FIXTURE_SCOPE_END()
