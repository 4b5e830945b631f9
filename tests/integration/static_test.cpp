// Spec §2, §3.1-§3.3, §4: BaseUrlGreeting, IframePage, InfoTest.
#define CAF_SUITE base_url_greeting
#include "tests/integration/server_fixture.hpp"

using namespace sockjs::test;

CAF_TEST_FIXTURE_SCOPE(greeting_tests, server_fixture)

CAF_TEST(greeting with and without slash) {
  for (auto path : {"/echo", "/echo/"}) {
    auto res = get(path);
    CAF_CHECK_EQUAL(res.status, 200);
    CAF_CHECK_EQUAL(res.header("Content-Type").value_or(""),
                    "text/plain; charset=UTF-8");
    CAF_CHECK_EQUAL(res.body, "Welcome to SockJS!\n");
    CAF_CHECK(!res.has("Set-Cookie"));
  }
}

CAF_TEST(paths outside every route are 404) {
  for (auto path : {"/echo/a", "/echo/a.html", "/echo//", "/echo///",
                    "/echo/a/a", "/echo/a/a/", "/echo/a/", "/nowhere"})
    CAF_CHECK_EQUAL(get(path).status, 404);
}

CAF_TEST_FIXTURE_SCOPE_END()

#undef CAF_SUITE
#define CAF_SUITE iframe_page

CAF_TEST_FIXTURE_SCOPE(iframe_tests, server_fixture)

CAF_TEST(every iframe variant serves the same page) {
  const auto first = get("/echo/iframe.html");
  CAF_CHECK_EQUAL(first.status, 200);
  for (auto path :
       {"/echo/iframe-a.html", "/echo/iframe-.html", "/echo/iframe-0.1.2.html",
        "/echo/iframe-0.1.2abc-dirty.2144.html", "/echo/iframe.html?t=1234"}) {
    auto res = get(path);
    CAF_CHECK_EQUAL(res.status, 200);
    CAF_CHECK_EQUAL(res.body, first.body);
  }
}

CAF_TEST(iframe page headers and body) {
  auto res = get("/echo/iframe.html");
  CAF_CHECK_EQUAL(strip_spaces(res.header("Content-Type").value_or("")),
                  "text/html;charset=UTF-8");
  CAF_CHECK_EQUAL(res.header("Cache-Control").value_or(""),
                  "public, max-age=31536000");
  CAF_CHECK(res.has("Expires"));
  CAF_CHECK(res.has("ETag"));
  CAF_CHECK(!res.has("Last-Modified"));
  CAF_CHECK(!res.has("Set-Cookie"));
  CAF_CHECK(res.body.find(R"(<script src="/lib/sockjs.min.js"></script>)") !=
            std::string::npos);
  CAF_CHECK(res.body.find("SockJS.bootstrap_iframe();") != std::string::npos);
}

CAF_TEST(iframe etag gives 304 on if none match) {
  auto first = get("/echo/iframe.html");
  auto etag = first.header("ETag").value_or("");
  CAF_REQUIRE(!etag.empty());
  CAF_CHECK_EQUAL(get("/echo/iframe.html").header("ETag").value_or(""), etag);
  auto cached = get("/echo/iframe.html", {{"If-None-Match", etag}});
  CAF_CHECK_EQUAL(cached.status, 304);
  CAF_CHECK(!cached.has("Content-Type"));
  CAF_CHECK(cached.body.empty());
}

CAF_TEST(invalid iframe names are 404) {
  for (auto path :
       {"/echo/iframe.htm", "/echo/iframe", "/echo/IFRAME.HTML", "/echo/IFRAME",
        "/echo/iframe.HTML", "/echo/iframe.xml", "/echo/iframe-/.html"})
    CAF_CHECK_EQUAL(get(path).status, 404);
}

CAF_TEST_FIXTURE_SCOPE_END()

#undef CAF_SUITE
#define CAF_SUITE info

CAF_TEST_FIXTURE_SCOPE(info_tests, server_fixture)

CAF_TEST(info body and headers) {
  auto res = get("/echo/info");
  CAF_CHECK_EQUAL(res.status, 200);
  CAF_CHECK_EQUAL(strip_spaces(res.header("Content-Type").value_or("")),
                  "application/json;charset=UTF-8");
  CAF_CHECK_EQUAL(res.header("Cache-Control").value_or(""),
                  "no-store, no-cache, no-transform, must-revalidate, "
                  "max-age=0");
  CAF_CHECK(!res.has("Expires"));
  CAF_CHECK(!res.has("Set-Cookie"));
  CAF_CHECK_EQUAL(res.header("Access-Control-Allow-Origin").value_or(""), "*");
  CAF_CHECK(res.body.find(R"("websocket":true)") != std::string::npos);
  CAF_CHECK(res.body.find(R"("cookie_needed":false)") != std::string::npos);
  CAF_CHECK(res.body.find(R"("origins":["*:*"])") != std::string::npos);
}

CAF_TEST(info echoes an origin with credentials) {
  auto res = get("/echo/info", {{"Origin", "test"}});
  CAF_CHECK_EQUAL(res.header("Access-Control-Allow-Origin").value_or(""),
                  "test");
  CAF_CHECK_EQUAL(res.header("Access-Control-Allow-Credentials").value_or(""),
                  "true");
}

CAF_TEST(info entropy changes on every request) {
  auto entropy = [&] {
    auto body = get("/echo/info").body;
    auto at = body.find(R"("entropy":)");
    return body.substr(at + 10, body.find('}', at) - at - 10);
  };
  CAF_CHECK_NOT_EQUAL(entropy(), entropy());
}

CAF_TEST(info options answers the preflight) {
  for (auto origin : {"test", "null"}) {
    auto res = options("/echo/info", {{"Origin", origin}});
    CAF_CHECK(res.status == 204 || res.status == 200);
    CAF_CHECK(res.body.empty());
    CAF_CHECK(res.header("Cache-Control").value_or("").find("public") !=
              std::string::npos);
    CAF_CHECK(
        res.header("Cache-Control").value_or("").find("max-age=31536000") !=
        std::string::npos);
    CAF_CHECK(res.has("Expires"));
    CAF_CHECK_EQUAL(res.header("Access-Control-Max-Age").value_or(""),
                    "31536000");
    auto methods = res.header("Access-Control-Allow-Methods").value_or("");
    CAF_CHECK(methods.find("OPTIONS") != std::string::npos);
    CAF_CHECK(methods.find("GET") != std::string::npos);
    CAF_CHECK_EQUAL(res.header("Access-Control-Allow-Origin").value_or(""),
                    origin);
    CAF_CHECK_EQUAL(res.header("Access-Control-Allow-Credentials").value_or(""),
                    "true");
  }
}

CAF_TEST(info reports disabled websocket and needed cookie) {
  CAF_CHECK(
      get("/disabled_websocket_echo/info").body.find(R"("websocket":false)") !=
      std::string::npos);
  CAF_CHECK(
      get("/cookie_needed_echo/info").body.find(R"("cookie_needed":true)") !=
      std::string::npos);
}

CAF_TEST(wrong method on info is 405 without content type) {
  auto res = http(port, "DELETE", "/echo/info");
  CAF_CHECK_EQUAL(res.status, 405);
  CAF_CHECK(res.header("Allow").value_or("").find("GET") != std::string::npos);
  CAF_CHECK(!res.has("Content-Type"));
  CAF_CHECK(res.body.empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
