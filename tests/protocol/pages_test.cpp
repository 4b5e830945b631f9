// Spec §4: greeting, iframe page with ETag, /info body; and MD5 itself.
#define CAF_SUITE pages
#include "sockjs/protocol/md5.hpp"
#include "sockjs/protocol/pages.hpp"

#include <caf/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <string>

using namespace sockjs::protocol;

CAF_TEST(greeting is nineteen exact bytes) {
  CAF_CHECK_EQUAL(std::string{greeting_body}, "Welcome to SockJS!\n");
  CAF_CHECK_EQUAL(greeting_body.size(), 19u);
}

CAF_TEST(iframe page is the spec document with the sockjs url) {
  const std::string expected = R"(<!DOCTYPE html>
<html>
<head>
  <meta http-equiv="X-UA-Compatible" content="IE=edge" />
  <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
  <script src="/lib/sockjs.min.js"></script>
  <script>
    document.domain = document.domain;
    SockJS.bootstrap_iframe();
  </script>
</head>
<body>
  <h2>Don't panic!</h2>
  <p>This is a SockJS hidden iframe. It's used for cross domain magic.</p>
</body>
</html>
)";
  CAF_CHECK_EQUAL(iframe_page("/lib/sockjs.min.js"), expected);
}

CAF_TEST(etag is the quoted md5 of the body and stable) {
  const auto page = iframe_page("http://x/sockjs.js");
  const auto etag = etag_for(page);
  CAF_CHECK_EQUAL(etag, '"' + to_hex(md5(page)) + '"');
  CAF_CHECK_EQUAL(etag.size(), 34u);
  CAF_CHECK_EQUAL(etag, etag_for(iframe_page("http://x/sockjs.js")));
  CAF_CHECK_NOT_EQUAL(etag, etag_for(iframe_page("http://y/sockjs.js")));
}

CAF_TEST(if none match hits the etag in any list form) {
  const std::string etag = R"("abc")";
  CAF_CHECK(if_none_match_hits(R"("abc")", etag));
  CAF_CHECK(if_none_match_hits(R"("x", "abc")", etag));
  CAF_CHECK(if_none_match_hits(R"(W/"abc")", etag));
  CAF_CHECK(if_none_match_hits("*", etag));
  CAF_CHECK(!if_none_match_hits(R"("abd")", etag));
  CAF_CHECK(!if_none_match_hits("", etag));
}

CAF_TEST(sockjs url must be a path or http url without quotes) {
  CAF_CHECK(valid_sockjs_url("/lib/sockjs.js"));
  CAF_CHECK(valid_sockjs_url("https://cdn.example/sockjs.js"));
  CAF_CHECK(!valid_sockjs_url(""));
  CAF_CHECK(!valid_sockjs_url("ftp://x"));
  CAF_CHECK(!valid_sockjs_url("/a\"b"));
  CAF_CHECK(!valid_sockjs_url("/a<script>"));
  CAF_CHECK(!valid_sockjs_url("/a\nb"));
}

CAF_TEST(info body has the four fields) {
  CAF_CHECK_EQUAL(info_body(true, false, 699783236),
                  R"({"websocket":true,"origins":["*:*"],)"
                  R"("cookie_needed":false,"entropy":699783236})");
  auto info = nlohmann::json::parse(info_body(false, true, 4294967295u));
  CAF_CHECK_EQUAL(info["websocket"].get<bool>(), false);
  CAF_CHECK_EQUAL(info["cookie_needed"].get<bool>(), true);
  CAF_CHECK_EQUAL(info["origins"].dump(), R"(["*:*"])");
  CAF_CHECK_EQUAL(info["entropy"].get<std::uint64_t>(), 4294967295u);
}

CAF_TEST(md5 matches the rfc 1321 test suite) {
  CAF_CHECK_EQUAL(to_hex(md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  CAF_CHECK_EQUAL(to_hex(md5("a")), "0cc175b9c0f1b6a831c399e269772661");
  CAF_CHECK_EQUAL(to_hex(md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  CAF_CHECK_EQUAL(to_hex(md5("message digest")),
                  "f96b697d7cb7938d525a2f31aaf161d0");
  CAF_CHECK_EQUAL(to_hex(md5("abcdefghijklmnopqrstuvwxyz")),
                  "c3fcd3d76192e4007dfb496cca67e13b");
  CAF_CHECK_EQUAL(
      to_hex(md5(
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")),
      "d174ab98d277d9f5a5611c2c9f419d9f");
  CAF_CHECK_EQUAL(to_hex(md5("1234567890123456789012345678901234567890123456789"
                             "0123456789012345678901234567890")),
                  "57edf4a22be3c955ac49da2e2107b67a");
}
