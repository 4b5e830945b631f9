// Spec §2, §6, §7.2, §7.3: SessionURLs, Protocol, XhrPolling.
#define CAF_SUITE session_urls
#include "tests/integration/server_fixture.hpp"

#include <malloc.h>

using namespace sockjs::test;

namespace {

const std::string no_cache =
    "no-store, no-cache, no-transform, must-revalidate, max-age=0";

} // namespace

CAF_TEST_FIXTURE_SCOPE(session_url_tests, server_fixture)

CAF_TEST(any id made of allowed characters works) {
  for (auto id : {"a", "_", "1", "abcdefg_i-j%20"}) {
    const auto url = "/echo/000/" + std::string{id} + unique_id();
    auto res = post(url + "/xhr");
    CAF_CHECK_EQUAL(res.status, 200);
    CAF_CHECK_EQUAL(res.body, "o\n");
  }
}

CAF_TEST(bad ids are 404 for get and post) {
  for (auto path : {"/echo///xhr", "/echo/a./a/xhr", "/echo/a/a./xhr",
                    "/echo/././xhr", "/echo//xhr", "/echo////xhr"}) {
    CAF_CHECK_EQUAL(get(path).status, 404);
    CAF_CHECK_EQUAL(post(path).status, 404);
  }
}

CAF_TEST(the server id is ignored) {
  const auto id = unique_id();
  CAF_CHECK_EQUAL(post("/echo/000/" + id + "/xhr").body, "o\n");
  CAF_CHECK_EQUAL(post("/echo/999/" + id + "/xhr_send", R"(["a"])").status,
                  204);
  CAF_CHECK_EQUAL(post("/echo/abc/" + id + "/xhr").body, "a[\"a\"]\n");
}

CAF_TEST_FIXTURE_SCOPE_END()

#undef CAF_SUITE
#define CAF_SUITE protocol

CAF_TEST_FIXTURE_SCOPE(protocol_tests, server_fixture)

CAF_TEST(a simple session opens echoes and refuses a second poll) {
  const auto url = session_url();
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "o\n");
  auto sent = post(url + "/xhr_send", R"(["a"])");
  CAF_CHECK_EQUAL(sent.status, 204);
  CAF_CHECK(sent.body.empty());
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "a[\"a\"]\n");
  // An unknown session on a sender is 404.
  CAF_CHECK_EQUAL(
      post("/echo/000/bad_session" + unique_id() + "/xhr_send", R"(["a"])")
          .status,
      404);
  // A waiting poll holds the session: a second one gets 2010.
  tcp_client first{port};
  first.send_request("POST", url + "/xhr");
  CAF_REQUIRE_EQUAL(first.read_head().status, 200);
  CAF_CHECK(first.silent_for(std::chrono::milliseconds{250}));
  CAF_CHECK_EQUAL(post(url + "/xhr").body,
                  "c[2010,\"Another connection still open\"]\n");
  CAF_CHECK_EQUAL(post(url + "/xhr_send", R"(["b"])").status, 204);
  CAF_CHECK_EQUAL(first.read_chunk(), "a[\"b\"]\n");
  CAF_CHECK_EQUAL(first.read_chunk(), "");
}

CAF_TEST(a closed session repeats its close frame) {
  const auto url = session_url("/close");
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "o\n");
  for (int i = 0; i < 3; ++i)
    CAF_CHECK_EQUAL(post(url + "/xhr").body, "c[3000,\"Go away!\"]\n");
}

CAF_TEST_FIXTURE_SCOPE_END()

#undef CAF_SUITE
#define CAF_SUITE xhr_polling

CAF_TEST_FIXTURE_SCOPE(xhr_polling_tests, server_fixture)

CAF_TEST(xhr and xhr send headers and bodies) {
  const auto url = session_url();
  auto res = post(url + "/xhr", {}, {{"Origin", "test"}});
  CAF_CHECK_EQUAL(res.status, 200);
  CAF_CHECK_EQUAL(res.body, "o\n");
  CAF_CHECK_EQUAL(strip_spaces(res.header("Content-Type").value_or("")),
                  "application/javascript;charset=UTF-8");
  CAF_CHECK_EQUAL(res.header("Cache-Control").value_or(""), no_cache);
  CAF_CHECK_EQUAL(res.header("Access-Control-Allow-Origin").value_or(""),
                  "test");
  CAF_CHECK_EQUAL(res.header("Access-Control-Allow-Credentials").value_or(""),
                  "true");
  CAF_CHECK(!res.has("Set-Cookie"));
  auto sent = post(url + "/xhr_send", R"(["x"])", {{"Origin", "test"}});
  CAF_CHECK_EQUAL(sent.status, 204);
  CAF_CHECK(sent.body.empty());
  CAF_CHECK_EQUAL(strip_spaces(sent.header("Content-Type").value_or("")),
                  "text/plain;charset=UTF-8");
  CAF_CHECK_EQUAL(sent.header("Cache-Control").value_or(""), no_cache);
  CAF_CHECK_EQUAL(sent.header("Access-Control-Allow-Origin").value_or(""),
                  "test");
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "a[\"x\"]\n");
}

// Each poll is a receiver that attaches and goes; a session must not keep
// anything of it (it once kept ~1.2 KB per poll until the session ended).
CAF_TEST(a long polling session does not grow with each poll) {
  const auto url = session_url();
  CAF_REQUIRE_EQUAL(post(url + "/xhr").body, "o\n");
  auto poll_round = [&] {
    CAF_REQUIRE_EQUAL(post(url + "/xhr_send", R"(["x"])").status, 204);
    CAF_REQUIRE_EQUAL(post(url + "/xhr").body, "a[\"x\"]\n");
  };
  for (int i = 0; i < 200; ++i) poll_round(); // warm caches and pools up
  const auto before = mallinfo2().uordblks;
  for (int i = 0; i < 1500; ++i) poll_round();
  const auto after = mallinfo2().uordblks;
  const auto growth = after > before ? after - before : 0;
  CAF_MESSAGE("heap growth over 1500 polls: " << growth << " bytes");
  CAF_CHECK_LESS(growth, 400u * 1024u); // a leak of 1 KB per poll is 1.5 MB
}

CAF_TEST(xhr options for every xhr route) {
  for (auto suffix : {"/xhr", "/xhr_send", "/xhr_streaming"}) {
    for (auto origin : {"test", "null"}) {
      auto res = options(session_url() + suffix, {{"Origin", origin}});
      CAF_CHECK(res.status == 204 || res.status == 200);
      CAF_CHECK(res.body.empty());
      CAF_CHECK(res.header("Cache-Control").value_or("").find("public") !=
                std::string::npos);
      CAF_CHECK_EQUAL(res.header("Access-Control-Max-Age").value_or(""),
                      "31536000");
      auto methods = res.header("Access-Control-Allow-Methods").value_or("");
      CAF_CHECK(methods.find("OPTIONS") != std::string::npos);
      CAF_CHECK(methods.find("POST") != std::string::npos);
      CAF_CHECK_EQUAL(res.header("Access-Control-Allow-Origin").value_or(""),
                      origin);
      CAF_CHECK_EQUAL(
          res.header("Access-Control-Allow-Credentials").value_or(""), "true");
    }
  }
}

CAF_TEST(xhr send to an unknown session is 404) {
  CAF_CHECK_EQUAL(post(session_url() + "/xhr_send", R"(["x"])").status, 404);
}

CAF_TEST(xhr send payload errors in the spec order) {
  const auto url = session_url();
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "o\n");
  auto expect_500 = [&](const std::string& body, const std::string& text) {
    auto res = post(url + "/xhr_send", body);
    CAF_CHECK_EQUAL(res.status, 500);
    CAF_CHECK(res.body.find(text) != std::string::npos);
  };
  expect_500("", "Payload expected.");
  expect_500("[\"x", "Broken JSON encoding.");
  expect_500("null", "Payload expected.");
  expect_500("{}", "Payload expected.");
  // A bad body on an unknown session is still 500, not 404.
  auto res = post(session_url() + "/xhr_send", "[\"x");
  CAF_CHECK_EQUAL(res.status, 500);
  // The session is not harmed.
  CAF_CHECK_EQUAL(post(url + "/xhr_send", R"(["y"])").status, 204);
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "a[\"y\"]\n");
}

CAF_TEST(xhr send accepts any content type) {
  const auto url = session_url();
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "o\n");
  for (auto type : {"text/plain", "T", "application/json", "application/xml",
                    "", "application/json; charset=utf-8",
                    "text/xml; charset=utf-8", "text/xml"}) {
    CAF_CHECK_EQUAL(
        post(url + "/xhr_send", R"(["x"])", {{"Content-Type", type}}).status,
        204);
    CAF_CHECK_EQUAL(post(url + "/xhr").body, "a[\"x\"]\n");
  }
}

CAF_TEST(xhr preflight echoes requested headers) {
  auto res = options(session_url() + "/xhr",
                     {{"Access-Control-Request-Headers", "a, b, c"}});
  CAF_CHECK_EQUAL(res.header("Access-Control-Allow-Headers").value_or(""),
                  "a, b, c");
  res =
      options(session_url() + "/xhr", {{"Access-Control-Request-Headers", ""}});
  CAF_CHECK(!res.has("Access-Control-Allow-Headers"));
  res = options(session_url() + "/xhr");
  CAF_CHECK(!res.has("Access-Control-Allow-Headers"));
}

CAF_TEST(xhr send of an empty array is accepted) {
  const auto url = session_url();
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "o\n");
  CAF_CHECK_EQUAL(post(url + "/xhr_send", "[]").status, 204);
  CAF_CHECK_EQUAL(post(url + "/xhr_send", R"(["a"])").status, 204);
  CAF_CHECK_EQUAL(post(url + "/xhr").body, "a[\"a\"]\n");
}

CAF_TEST(get on xhr is 405) {
  auto res = get(session_url() + "/xhr");
  CAF_CHECK_EQUAL(res.status, 405);
  CAF_CHECK(res.header("Allow").value_or("").find("POST") != std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()
