// Query strings and form bodies (spec §7.6-§7.8).
#define CAF_SUITE url
#include "sockjs/protocol/url.hpp"

#include <caf/test/unit_test.hpp>

#include <string>

using namespace sockjs::protocol;

CAF_TEST(form decode handles percent and plus) {
  CAF_CHECK_EQUAL(form_decode("%63allback"), "callback");
  CAF_CHECK_EQUAL(form_decode("a+b%20c"), "a b c");
  CAF_CHECK_EQUAL(form_decode("%5b%5D"), "[]");
}

CAF_TEST(form decode keeps malformed percent sequences) {
  CAF_CHECK_EQUAL(form_decode("100%"), "100%");
  CAF_CHECK_EQUAL(form_decode("%zz%4"), "%zz%4");
}

CAF_TEST(form value finds the first named field) {
  CAF_CHECK_EQUAL(form_value("a=1&c=x&c=y", "c").value_or("-"), "x");
  CAF_CHECK_EQUAL(form_value("c", "c").value_or("-"), "");
  CAF_CHECK_EQUAL(form_value("%63=z", "c").value_or("-"), "z");
  CAF_CHECK(!form_value("a=1&cc=2", "c"));
  CAF_CHECK(!form_value("", "c"));
}

CAF_TEST(split target separates the query) {
  auto parts = split_target("/echo/info?t=1?x");
  CAF_CHECK_EQUAL(std::string{parts.path}, "/echo/info");
  CAF_CHECK_EQUAL(std::string{parts.query}, "t=1?x");
  CAF_CHECK(split_target("/echo").query.empty());
}
