// Spec §6.6, §7.4-§7.8: XhrStreaming, EventSource, HtmlFile, JsonPolling.
#define CAF_SUITE xhr_streaming
#include "tests/integration/server_fixture.hpp"

using namespace sockjs::test;

namespace {

/// A receiver that needs `?c=` answers 500 without it or with a bad one.
void check_callback_required(server_fixture& server,
                             const std::string& transport) {
  auto res = server.get(server.session_url() + "/" + transport);
  CAF_CHECK_EQUAL(res.status, 500);
  CAF_CHECK(res.body.find("\"callback\" parameter required") !=
            std::string::npos);
  for (auto cb : {"%20", "*", "abc(", "abc%28"}) {
    res = server.get(server.session_url() + "/" + transport + "?c=" + cb);
    CAF_CHECK_EQUAL(res.status, 500);
    CAF_CHECK(res.body.find("invalid \"callback\" parameter") !=
              std::string::npos);
  }
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(xhr_streaming_tests, server_fixture)

CAF_TEST(prelude then one frame per chunk) {
  const auto url = session_url();
  response head;
  auto stream = open_stream(port, "POST", url + "/xhr_streaming", &head);
  CAF_CHECK_EQUAL(head.status, 200);
  CAF_CHECK_EQUAL(strip_spaces(head.header("Content-Type").value_or("")),
                  "application/javascript;charset=UTF-8");
  CAF_CHECK_EQUAL(head.header("Transfer-Encoding").value_or(""), "chunked");
  CAF_CHECK_EQUAL(stream.read_chunk(), std::string(2048, 'h') + "\n");
  CAF_CHECK_EQUAL(stream.read_chunk(), "o\n");
  CAF_CHECK_EQUAL(post(url + "/xhr_send", R"(["x"])").status, 204);
  CAF_CHECK_EQUAL(stream.read_chunk(), "a[\"x\"]\n");
  CAF_CHECK_EQUAL(post(url + "/xhr_send", R"(["y","z"])").status, 204);
  // The echo service sends each message on its own: one frame each.
  CAF_CHECK_EQUAL(stream.read_chunk(), "a[\"y\"]\n");
  CAF_CHECK_EQUAL(stream.read_chunk(), "a[\"z\"]\n");
}

CAF_TEST(the response ends right after crossing response_limit) {
  const auto url = session_url();
  auto stream = open_stream(port, "POST", url + "/xhr_streaming");
  CAF_CHECK_EQUAL(stream.read_chunk().size(), 2049u);
  CAF_CHECK_EQUAL(stream.read_chunk(), "o\n");
  const std::string message(128, 'x');
  const auto frame = "a[\"" + message + "\"]\n"; // 134 bytes
  for (int i = 0; i < 31; ++i) {
    CAF_REQUIRE_EQUAL(post(url + "/xhr_send", "[\"" + message + "\"]").status,
                      204);
    CAF_REQUIRE_EQUAL(stream.read_chunk(), frame);
  }
  // 2 + 31 * 134 = 4156 >= 4096: the terminating chunk follows.
  CAF_CHECK_EQUAL(stream.read_chunk(), "");
  // The session lives on.
  CAF_CHECK_EQUAL(post(url + "/xhr_send", R"(["next"])").status, 204);
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "a[\"next\"]\n");
}

CAF_TEST(options on xhr streaming) {
  auto res = options(session_url() + "/xhr_streaming", {{"Origin", "test"}});
  CAF_CHECK(res.status == 204 || res.status == 200);
  CAF_CHECK_EQUAL(res.header("Access-Control-Allow-Origin").value_or(""),
                  "test");
}

CAF_TEST(streaming responses ask proxies not to buffer) {
  response head;
  auto stream =
      open_stream(port, "POST", session_url() + "/xhr_streaming", &head);
  CAF_CHECK_EQUAL(head.header("X-Accel-Buffering").value_or(""), "no");
}

CAF_TEST_FIXTURE_SCOPE_END()

#undef CAF_SUITE
#define CAF_SUITE eventsource

CAF_TEST_FIXTURE_SCOPE(eventsource_tests, server_fixture)

CAF_TEST(eventsource prelude data frames and escaping) {
  const auto url = session_url();
  response head;
  auto stream = open_stream(port, "GET", url + "/eventsource", &head);
  CAF_CHECK_EQUAL(head.status, 200);
  CAF_CHECK_EQUAL(head.header("Content-Type").value_or(""),
                  "text/event-stream");
  CAF_CHECK_EQUAL(head.header("Cache-Control").value_or(""),
                  "no-store, no-cache, no-transform, must-revalidate, "
                  "max-age=0");
  CAF_CHECK_EQUAL(stream.read_chunk(), "\r\n");
  CAF_CHECK_EQUAL(stream.read_chunk(), "data: o\r\n\r\n");
  CAF_CHECK_EQUAL(post(url + "/xhr_send", R"(["  \u0000\n\r "])").status, 204);
  CAF_CHECK_EQUAL(stream.read_chunk(), "data: a[\"  \\u0000\\n\\r \"]\r\n\r\n");
  CAF_CHECK_EQUAL(post(url + "/xhr_send", R"(["%61"])").status, 204);
  CAF_CHECK_EQUAL(stream.read_chunk(), "data: a[\"%2561\"]\r\n\r\n");
}

CAF_TEST(eventsource response limit) {
  const auto url = session_url();
  auto stream = open_stream(port, "GET", url + "/eventsource");
  CAF_CHECK_EQUAL(stream.read_chunk(), "\r\n");
  CAF_CHECK_EQUAL(stream.read_chunk(), "data: o\r\n\r\n");
  const std::string big(4096, 'x');
  CAF_CHECK_EQUAL(post(url + "/xhr_send", "[\"" + big + "\"]").status, 204);
  CAF_CHECK_EQUAL(stream.read_chunk(), "data: a[\"" + big + "\"]\r\n\r\n");
  CAF_CHECK_EQUAL(stream.read_chunk(), "");
}

CAF_TEST_FIXTURE_SCOPE_END()

#undef CAF_SUITE
#define CAF_SUITE htmlfile

CAF_TEST_FIXTURE_SCOPE(htmlfile_tests, server_fixture)

CAF_TEST(htmlfile head then script chunks) {
  const auto url = session_url();
  response head;
  auto stream = open_stream(port, "GET", url + "/htmlfile?c=%63allback", &head);
  CAF_CHECK_EQUAL(head.status, 200);
  CAF_CHECK_EQUAL(strip_spaces(head.header("Content-Type").value_or("")),
                  "text/html;charset=UTF-8");
  const auto first = stream.read_chunk();
  CAF_CHECK_GREATER(first.size(), 1024u);
  CAF_CHECK(first.find("var c = parent.callback;") != std::string::npos);
  CAF_CHECK_EQUAL(stream.read_chunk(), "<script>\np(\"o\");\n</script>\r\n");
  CAF_CHECK_EQUAL(post(url + "/xhr_send", R"(["x"])").status, 204);
  CAF_CHECK_EQUAL(stream.read_chunk(),
                  "<script>\np(\"a[\\\"x\\\"]\");\n</script>\r\n");
}

CAF_TEST(htmlfile needs a valid callback) {
  check_callback_required(*this, "htmlfile");
}

CAF_TEST(htmlfile response limit) {
  const auto url = session_url();
  auto stream = open_stream(port, "GET", url + "/htmlfile?c=cb");
  stream.read_chunk();
  CAF_CHECK_EQUAL(stream.read_chunk(), "<script>\np(\"o\");\n</script>\r\n");
  const std::string big(4096, 'x');
  CAF_CHECK_EQUAL(post(url + "/xhr_send", "[\"" + big + "\"]").status, 204);
  CAF_CHECK_EQUAL(stream.read_chunk(),
                  "<script>\np(\"a[\\\"" + big + "\\\"]\");\n</script>\r\n");
  CAF_CHECK_EQUAL(stream.read_chunk(), "");
}

CAF_TEST_FIXTURE_SCOPE_END()

#undef CAF_SUITE
#define CAF_SUITE jsonp

CAF_TEST_FIXTURE_SCOPE(jsonp_tests, server_fixture)

CAF_TEST(jsonp polls and jsonp send) {
  const auto url = session_url();
  auto res = get(url + "/jsonp?c=%63allback");
  CAF_CHECK_EQUAL(res.status, 200);
  CAF_CHECK_EQUAL(strip_spaces(res.header("Content-Type").value_or("")),
                  "application/javascript;charset=UTF-8");
  CAF_CHECK_EQUAL(res.body, "/**/callback(\"o\");\r\n");
  auto sent = post(url + "/jsonp_send", "d=%5B%22x%22%5D",
                   {{"Content-Type", "application/x-www-form-urlencoded"}});
  CAF_CHECK_EQUAL(sent.status, 200);
  CAF_CHECK_EQUAL(sent.body, "ok");
  CAF_CHECK_EQUAL(sent.header("Content-Length").value_or(""), "2");
  CAF_CHECK_EQUAL(strip_spaces(sent.header("Content-Type").value_or("")),
                  "text/plain;charset=UTF-8");
  CAF_CHECK_EQUAL(get(url + "/jsonp?c=x").body, "/**/x(\"a[\\\"x\\\"]\");\r\n");
}

CAF_TEST(jsonp needs a valid callback) {
  check_callback_required(*this, "jsonp");
  auto res = get(session_url() + "/jsonp?c=" + std::string(33, 'a'));
  CAF_CHECK_EQUAL(res.status, 500);
}

CAF_TEST(jsonp send payload errors) {
  const auto url = session_url();
  CAF_CHECK_EQUAL(get(url + "/jsonp?c=x").body, "/**/x(\"o\");\r\n");
  const std::vector<std::pair<std::string, std::string>> form{
      {"Content-Type", "application/x-www-form-urlencoded"}};
  for (auto body : {"", "d=", "p=p"}) {
    auto res = post(url + "/jsonp_send", body, form);
    CAF_CHECK_EQUAL(res.status, 500);
    CAF_CHECK(res.body.find("Payload expected.") != std::string::npos);
  }
  auto res = post(url + "/jsonp_send", "d=%5B%22x", form);
  CAF_CHECK_EQUAL(res.status, 500);
  CAF_CHECK(res.body.find("Broken JSON encoding.") != std::string::npos);
  CAF_CHECK_EQUAL(post(session_url() + "/jsonp_send", "d=%5B%5D", form).status,
                  404);
}

CAF_TEST(jsonp send takes both body encodings) {
  const auto url = session_url();
  CAF_CHECK_EQUAL(get(url + "/jsonp?c=x").body, "/**/x(\"o\");\r\n");
  CAF_CHECK_EQUAL(post(url + "/jsonp_send", "d=%5B%22abc%22%5D",
                       {{"Content-Type", "application/x-www-form-urlencoded"}})
                      .body,
                  "ok");
  CAF_CHECK_EQUAL(post(url + "/jsonp_send", R"(["%61bc"])",
                       {{"Content-Type", "text/plain"}})
                      .body,
                  "ok");
  CAF_CHECK_EQUAL(get(url + "/jsonp?c=x").body,
                  "/**/x(\"a[\\\"abc\\\",\\\"%61bc\\\"]\");\r\n");
}

CAF_TEST(jsonp delivers the close frame) {
  const auto url = session_url("/close");
  CAF_CHECK_EQUAL(get(url + "/jsonp?c=x").body, "/**/x(\"o\");\r\n");
  CAF_CHECK_EQUAL(get(url + "/jsonp?c=x").body,
                  "/**/x(\"c[3000,\\\"Go away!\\\"]\");\r\n");
  CAF_CHECK_EQUAL(get(url + "/jsonp?c=x").body,
                  "/**/x(\"c[3000,\\\"Go away!\\\"]\");\r\n");
}

CAF_TEST(jsonp send of an empty array) {
  const auto url = session_url();
  CAF_CHECK_EQUAL(get(url + "/jsonp?c=x").body, "/**/x(\"o\");\r\n");
  CAF_CHECK_EQUAL(post(url + "/jsonp_send", "d=%5B%5D",
                       {{"Content-Type", "application/x-www-form-urlencoded"}})
                      .body,
                  "ok");
  CAF_CHECK_EQUAL(post(url + "/jsonp_send", "[]").body, "ok");
}

CAF_TEST_FIXTURE_SCOPE_END()
