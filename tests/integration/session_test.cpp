// Spec §3.4, §3.7, §5.3, §6.3, §6.7: JsessionidCookie, JSONEncoding,
// HandlingClose, Http10, Http11.
#define CAF_SUITE jsessionid_cookie
#include "tests/integration/server_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace sockjs::test;

namespace {

void check_cookie(const response& res, const std::string& value) {
  auto cookie = res.header("Set-Cookie").value_or("");
  CAF_CHECK_EQUAL(cookie.substr(0, cookie.find(';')), "JSESSIONID=" + value);
  auto rest = cookie.substr(cookie.find(';') + 1);
  for (auto& c : rest)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CAF_CHECK_EQUAL(strip_spaces(rest), "path=/");
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(jsessionid_tests, server_fixture)

CAF_TEST(cookie needed is reported and info sets no cookie) {
  auto res = get("/cookie_needed_echo/info");
  CAF_CHECK(res.body.find(R"("cookie_needed":true)") != std::string::npos);
  CAF_CHECK(!res.has("Set-Cookie"));
  CAF_CHECK(!get("/cookie_needed_echo").has("Set-Cookie"));
  CAF_CHECK(!get("/cookie_needed_echo/iframe.html").has("Set-Cookie"));
}

CAF_TEST(every session transport sets the dummy cookie) {
  const auto base = std::string{"/cookie_needed_echo"};
  auto url = session_url(base);
  check_cookie(post(url + "/xhr"), "dummy");
  check_cookie(post(url + "/xhr_send", R"(["x"])"), "dummy");
  check_cookie(options(url + "/xhr"), "dummy");
  check_cookie(get(session_url(base) + "/jsonp?c=x"), "dummy");
  check_cookie(post(url + "/jsonp_send", R"(["x"])"), "dummy");
  for (auto suffix : {"/xhr_streaming", "/eventsource", "/htmlfile?c=x"}) {
    tcp_client client{port};
    client.send_request(suffix == std::string{"/xhr_streaming"} ? "POST"
                                                                : "GET",
                        session_url(base) + suffix);
    check_cookie(client.read_head(), "dummy");
  }
}

CAF_TEST(an existing cookie value is echoed) {
  auto url = session_url("/cookie_needed_echo");
  check_cookie(post(url + "/xhr", {}, {{"Cookie", "JSESSIONID=abcdef"}}),
               "abcdef");
}

CAF_TEST(services without the option set no cookie) {
  CAF_CHECK(!post(session_url() + "/xhr").has("Set-Cookie"));
}

CAF_TEST_FIXTURE_SCOPE_END()

#undef CAF_SUITE
#define CAF_SUITE json_encoding

CAF_TEST_FIXTURE_SCOPE(json_encoding_tests, server_fixture)

CAF_TEST(the server escapes exactly the spec set) {
  const auto url = session_url();
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "o\n");
  std::string escaped_input, expected;
  auto in_ranges = [](unsigned cp) {
    return (cp >= 0x200C && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
           (cp >= 0x2060 && cp <= 0x206F) || (cp >= 0xFFF0 && cp <= 0xFFFF);
  };
  char buf[8];
  for (unsigned cp = 0xFF; cp <= 0xFFFF; ++cp) {
    if (!in_ranges(cp)) continue;
    std::snprintf(buf, sizeof(buf), "\\u%04x", cp);
    escaped_input += buf;
    expected += buf;
  }
  CAF_CHECK_EQUAL(post(url + "/xhr_send", "[\"" + escaped_input + "\"]").status,
                  204);
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "a[\"" + expected + "\"]\n");
}

CAF_TEST(the server decodes client escapes) {
  const auto url = session_url();
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "o\n");
  std::string input;
  char buf[8];
  for (unsigned cp = 0; cp < 0x20; ++cp) {
    std::snprintf(buf, sizeof(buf), "\\u%04x", cp);
    input += buf;
  }
  input += R"(\"\\\u0300\u036f\u0600\u202e\u2000\u20ff\ufeff\ufff0\uffff)";
  input += R"(\ud83d\ude00)";
  CAF_CHECK_EQUAL(post(url + "/xhr_send", "[\"" + input + "\"]").status, 204);
  auto body = post(url + "/xhr").body;
  CAF_REQUIRE_EQUAL(body.substr(0, 1), "a");
  auto echoed = nlohmann::json::parse(body.substr(1));
  auto sent = nlohmann::json::parse("\"" + input + "\"");
  CAF_CHECK_EQUAL(echoed.at(0).get<std::string>(), sent.get<std::string>());
}

CAF_TEST_FIXTURE_SCOPE_END()

#undef CAF_SUITE
#define CAF_SUITE handling_close

CAF_TEST_FIXTURE_SCOPE(handling_close_tests, server_fixture)

CAF_TEST(close frame reaches the current and every later receiver) {
  const auto url = session_url("/close");
  auto first = open_stream(port, "POST", url + "/xhr_streaming");
  CAF_CHECK_EQUAL(first.read_chunk().size(), 2049u);
  CAF_CHECK_EQUAL(first.read_chunk(), "o\n");
  CAF_CHECK_EQUAL(first.read_chunk(), "c[3000,\"Go away!\"]\n");
  CAF_CHECK_EQUAL(first.read_chunk(), "");
  auto second = open_stream(port, "POST", url + "/xhr_streaming");
  CAF_CHECK_EQUAL(second.read_chunk().size(), 2049u);
  CAF_CHECK_EQUAL(second.read_chunk(), "c[3000,\"Go away!\"]\n");
  CAF_CHECK_EQUAL(second.read_chunk(), "");
}

CAF_TEST(a second streaming receiver gets 2010 and ends) {
  const auto url = session_url();
  auto first = open_stream(port, "POST", url + "/xhr_streaming");
  first.read_chunk();
  CAF_CHECK_EQUAL(first.read_chunk(), "o\n");
  auto second = open_stream(port, "POST", url + "/xhr_streaming");
  CAF_CHECK_EQUAL(second.read_chunk().size(), 2049u);
  CAF_CHECK_EQUAL(second.read_chunk(),
                  "c[2010,\"Another connection still open\"]\n");
  CAF_CHECK_EQUAL(second.read_chunk(), "");
  CAF_CHECK(first.silent_for(std::chrono::milliseconds{50}));
}

CAF_TEST(an aborted stream closes the session at once) {
  const auto url = session_url();
  auto first = open_stream(port, "POST", url + "/xhr_streaming");
  first.read_chunk();
  CAF_CHECK_EQUAL(first.read_chunk(), "o\n");
  auto second = open_stream(port, "POST", url + "/xhr_streaming");
  second.read_chunk();
  CAF_CHECK_EQUAL(second.read_chunk(),
                  "c[2010,\"Another connection still open\"]\n");
  first.abort();
  // The next receiver sees the interrupted session (or a new one), never
  // 2010.
  auto next = post(url + "/xhr");
  CAF_CHECK(next.body == "c[1002,\"Connection interrupted\"]\n" ||
            next.body == "o\n");
}

CAF_TEST(an aborted poll closes the session at once) {
  const auto url = session_url();
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "o\n");
  tcp_client first{port};
  first.send_request("POST", url + "/xhr");
  first.read_head();
  // The head goes out before the poll has reached its session; give it the
  // 250 ms the upstream suite gives.
  CAF_CHECK(first.silent_for(std::chrono::milliseconds{250}));
  CAF_CHECK_EQUAL(post(url + "/xhr").body,
                  "c[2010,\"Another connection still open\"]\n");
  first.abort();
  auto next = post(url + "/xhr");
  CAF_CHECK(next.body == "c[1002,\"Connection interrupted\"]\n" ||
            next.body == "o\n");
}

CAF_TEST_FIXTURE_SCOPE_END()

#undef CAF_SUITE
#define CAF_SUITE http10

CAF_TEST_FIXTURE_SCOPE(http10_tests, server_fixture)

CAF_TEST(http 1.0 simple request) {
  tcp_client client{port};
  client.send_request("GET", "/echo", {}, {}, "HTTP/1.0");
  auto res = client.read_head();
  CAF_CHECK_EQUAL(res.status, 200);
  CAF_CHECK(!res.has("Transfer-Encoding"));
  auto connection = res.header("Connection").value_or("close");
  if (auto length = res.header("Content-Length")) {
    CAF_CHECK_EQUAL(client.read_exactly(std::stoul(*length)),
                    "Welcome to SockJS!\n");
    if (connection == "close") CAF_CHECK(client.closed_within());
  } else {
    CAF_CHECK_EQUAL(client.read_until_close(), "Welcome to SockJS!\n");
  }
}

CAF_TEST(http 1.0 keep alive serves a second request) {
  tcp_client client{port};
  client.send_request("GET", "/echo", {{"Connection", "Keep-Alive"}}, {},
                      "HTTP/1.0");
  auto first = client.read_response();
  CAF_CHECK_EQUAL(first.body, "Welcome to SockJS!\n");
  CAF_REQUIRE_EQUAL(first.header("Connection").value_or(""), "keep-alive");
  client.send_request("GET", "/echo", {}, {}, "HTTP/1.0");
  CAF_CHECK_EQUAL(client.read_response().body, "Welcome to SockJS!\n");
}

CAF_TEST(http 1.0 streaming without chunks ends by closing) {
  tcp_client client{port};
  client.send_request("POST", session_url("/close") + "/xhr_streaming", {}, {},
                      "HTTP/1.0");
  auto res = client.read_head();
  CAF_CHECK_EQUAL(res.status, 200);
  CAF_CHECK(!res.has("Transfer-Encoding"));
  CAF_CHECK(!res.has("Content-Length"));
  CAF_CHECK_EQUAL(client.read_exactly(2049), std::string(2048, 'h') + "\n");
  CAF_CHECK_EQUAL(client.read_exactly(2), "o\n");
  CAF_CHECK_EQUAL(client.read_exactly(19), "c[3000,\"Go away!\"]\n");
  CAF_CHECK(client.closed_within());
}

CAF_TEST_FIXTURE_SCOPE_END()

#undef CAF_SUITE
#define CAF_SUITE http11

CAF_TEST_FIXTURE_SCOPE(http11_tests, server_fixture)

CAF_TEST(http 1.1 keeps the connection alive) {
  tcp_client client{port};
  client.send_request("GET", "/echo");
  auto first = client.read_response();
  CAF_CHECK_EQUAL(first.body, "Welcome to SockJS!\n");
  auto connection = first.header("Connection").value_or("keep-alive");
  CAF_CHECK_EQUAL(connection, "keep-alive");
  client.send_request("GET", "/echo");
  CAF_CHECK_EQUAL(client.read_response().body, "Welcome to SockJS!\n");
}

CAF_TEST(http 1.1 streaming is chunked and ends with the zero chunk) {
  tcp_client client{port};
  client.send_request("POST", session_url("/close") + "/xhr_streaming");
  auto res = client.read_head();
  CAF_CHECK_EQUAL(res.header("Transfer-Encoding").value_or(""), "chunked");
  CAF_CHECK_EQUAL(client.read_chunk(), std::string(2048, 'h') + "\n");
  CAF_CHECK_EQUAL(client.read_chunk(), "o\n");
  CAF_CHECK_EQUAL(client.read_chunk(), "c[3000,\"Go away!\"]\n");
  CAF_CHECK_EQUAL(client.read_chunk(), "");
  // The connection still serves requests.
  client.send_request("GET", "/echo");
  CAF_CHECK_EQUAL(client.read_response().body, "Welcome to SockJS!\n");
}

CAF_TEST_FIXTURE_SCOPE_END()
