// Spec §7.2-§7.8: each HTTP transport's wrapping, byte for byte, and the
// callback parameter rules of §3.6.
#define CAF_SUITE framing
#include "sockjs/protocol/framing.hpp"

#include <caf/test/unit_test.hpp>

#include <string>

using namespace sockjs::protocol;

namespace {

std::string strip(std::string s) {
  const auto ws = " \t\r\n";
  s.erase(0, s.find_first_not_of(ws));
  s.erase(s.find_last_not_of(ws) + 1);
  return s;
}

} // namespace

CAF_TEST(xhr streaming prelude is 2048 h and a newline) {
  const auto prelude = xhr_streaming_prelude();
  CAF_CHECK_EQUAL(prelude.size(), 2049u);
  CAF_CHECK_EQUAL(std::string{prelude}, std::string(2048, 'h') + "\n");
}

CAF_TEST(xhr frames end with a newline) {
  CAF_CHECK_EQUAL(xhr_frame("o"), "o\n");
  CAF_CHECK_EQUAL(xhr_frame(R"(c[3000,"Go away!"])"), "c[3000,\"Go away!\"]\n");
}

CAF_TEST(eventsource prelude and data framing) {
  CAF_CHECK_EQUAL(std::string{eventsource_prelude}, "\r\n");
  CAF_CHECK_EQUAL(eventsource_frame("o"), "data: o\r\n\r\n");
  CAF_CHECK_EQUAL(eventsource_frame(R"(a["x"])"), "data: a[\"x\"]\r\n\r\n");
}

CAF_TEST(eventsource escapes percent cr lf and nul) {
  // The frame holds JSON escapes as literal backslashes: they stay as-is.
  CAF_CHECK_EQUAL(eventsource_frame(R"(a["  \u0000\n\r "])"),
                  "data: a[\"  \\u0000\\n\\r \"]\r\n\r\n");
  CAF_CHECK_EQUAL(eventsource_frame(R"(a["%61"])"),
                  "data: a[\"%2561\"]\r\n\r\n");
  CAF_CHECK_EQUAL(eventsource_frame(std::string("\r\n\0%", 4)),
                  "data: %0D%0A%00%25\r\n\r\n");
}

CAF_TEST(htmlfile prelude is the spec head padded past one kibibyte) {
  const std::string expected_head = R"(<!doctype html>
<html><head>
  <meta http-equiv="X-UA-Compatible" content="IE=edge" />
  <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
</head><body><h2>Don't panic!</h2>
  <script>
    document.domain = document.domain;
    var c = parent.cb;
    c.start();
    function p(d) {c.message(d);};
    window.onload = function() {c.stop();};
  </script>)";
  const auto prelude = htmlfile_prelude("cb");
  CAF_CHECK_EQUAL(strip(prelude), expected_head);
  CAF_CHECK_GREATER(prelude.size(), 1024u);
  CAF_CHECK_EQUAL(prelude.size(), 0x405u); // sockjs-node's size for "cb"
  CAF_CHECK_EQUAL(prelude.substr(prelude.size() - 4), "\r\n\r\n");
  CAF_CHECK_EQUAL(htmlfile_prelude("callback").size(), 1027u + 8u);
}

CAF_TEST(htmlfile frames are script chunks with the frame as js string) {
  CAF_CHECK_EQUAL(htmlfile_frame("o"), "<script>\np(\"o\");\n</script>\r\n");
  CAF_CHECK_EQUAL(htmlfile_frame(R"(a["x"])"),
                  "<script>\np(\"a[\\\"x\\\"]\");\n</script>\r\n");
}

CAF_TEST(jsonp frames are guarded callback calls) {
  CAF_CHECK_EQUAL(jsonp_frame("callback", "o"), "/**/callback(\"o\");\r\n");
  CAF_CHECK_EQUAL(jsonp_frame("x", R"(a["x"])"),
                  "/**/x(\"a[\\\"x\\\"]\");\r\n");
  CAF_CHECK_EQUAL(jsonp_frame("x", R"(c[3000,"Go away!"])"),
                  "/**/x(\"c[3000,\\\"Go away!\\\"]\");\r\n");
}

CAF_TEST(callback is read from c or callback and url decoded) {
  CAF_CHECK_EQUAL(read_callback("c=%63allback", 0).name, "callback");
  CAF_CHECK_EQUAL(read_callback("t=1&callback=cb_1.x-y", 0).name, "cb_1.x-y");
  CAF_CHECK(read_callback("c=ok", 0).error == callback_error::none);
}

CAF_TEST(missing callback is an error) {
  CAF_CHECK(read_callback("", 0).error == callback_error::missing);
  CAF_CHECK(read_callback("x=1", 0).error == callback_error::missing);
  CAF_CHECK(read_callback("c=", 0).error == callback_error::missing);
  CAF_CHECK_EQUAL(std::string{error_text(callback_error::missing)},
                  R"("callback" parameter required)");
}

CAF_TEST(invalid callback characters are an error) {
  for (auto query : {"c=%20", "c=*", "c=abc(", "c=abc%28", "c=a%0Ab"})
    CAF_CHECK(read_callback(query, 0).error == callback_error::invalid);
  CAF_CHECK_EQUAL(std::string{error_text(callback_error::invalid)},
                  R"(invalid "callback" parameter)");
}

CAF_TEST(jsonp limits callback length to 32) {
  const auto at_limit = "c=" + std::string(32, 'a');
  const auto over = "c=" + std::string(33, 'a');
  CAF_CHECK(read_callback(at_limit, jsonp_callback_max_length).error ==
            callback_error::none);
  CAF_CHECK(read_callback(over, jsonp_callback_max_length).error ==
            callback_error::invalid);
  CAF_CHECK(read_callback(over, 0).error == callback_error::none);
}
