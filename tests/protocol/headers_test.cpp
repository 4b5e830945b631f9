// Spec §3.1-§3.5: caching, CORS, JSESSIONID, preflight, content types.
#define CAF_SUITE headers
#include "sockjs/protocol/headers.hpp"
#include "sockjs/protocol/text.hpp"

#include <caf/test/unit_test.hpp>

#include <optional>
#include <string>

using namespace sockjs::protocol;

namespace {

constexpr std::time_t now = 784111777; // Sun, 06 Nov 1994 08:49:37 GMT

std::optional<std::string> find(const header_list& headers,
                                std::string_view name) {
  for (const auto& [key, value] : headers)
    if (key == name) return value;
  return std::nullopt;
}

std::size_t count(const header_list& headers, std::string_view name) {
  std::size_t n = 0;
  for (const auto& header : headers) n += header.first == name ? 1 : 0;
  return n;
}

header_list with(header_filters filters, const request_facts& request = {},
                 bool jsessionid_enabled = true) {
  header_list out;
  apply_header_filters(out, filters, request, jsessionid_enabled, now);
  return out;
}

} // namespace

CAF_TEST(http date is rfc 7231 imf fixdate) {
  CAF_CHECK_EQUAL(http_date(now), "Sun, 06 Nov 1994 08:49:37 GMT");
  CAF_CHECK_EQUAL(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

CAF_TEST(no cache set is one exact header without expires) {
  auto h = with(no_cache);
  CAF_CHECK_EQUAL(find(h, "Cache-Control").value_or(""),
                  "no-store, no-cache, no-transform, must-revalidate, "
                  "max-age=0");
  CAF_CHECK_EQUAL(count(h, "Cache-Control"), 1u);
  CAF_CHECK(!find(h, "Expires"));
  CAF_CHECK(!find(h, "Last-Modified"));
}

CAF_TEST(cacheable set is public for one year with expires) {
  auto h = with(cacheable);
  CAF_CHECK_EQUAL(find(h, "Cache-Control").value_or(""),
                  "public, max-age=31536000");
  CAF_CHECK_EQUAL(find(h, "Expires").value_or(""), http_date(now + 31536000));
  CAF_CHECK(!find(h, "Last-Modified"));
}

CAF_TEST(cors echoes an origin with credentials) {
  request_facts request;
  request.origin = "test";
  auto h = with(cors, request);
  CAF_CHECK_EQUAL(find(h, "Access-Control-Allow-Origin").value_or(""), "test");
  CAF_CHECK_EQUAL(find(h, "Access-Control-Allow-Credentials").value_or(""),
                  "true");
}

CAF_TEST(cors echoes the null origin too) {
  request_facts request;
  request.origin = "null";
  auto h = with(cors, request);
  CAF_CHECK_EQUAL(find(h, "Access-Control-Allow-Origin").value_or(""), "null");
  CAF_CHECK_EQUAL(find(h, "Access-Control-Allow-Credentials").value_or(""),
                  "true");
}

CAF_TEST(cors without origin is star without credentials) {
  auto h = with(cors);
  CAF_CHECK_EQUAL(find(h, "Access-Control-Allow-Origin").value_or(""), "*");
  CAF_CHECK(!find(h, "Access-Control-Allow-Credentials"));
}

CAF_TEST(cors copies requested headers verbatim and only when non empty) {
  request_facts request;
  request.access_control_request_headers = "a, b, c";
  CAF_CHECK_EQUAL(
      find(with(cors, request), "Access-Control-Allow-Headers").value_or(""),
      "a, b, c");
  CAF_CHECK(!find(with(cors), "Access-Control-Allow-Headers"));
}

CAF_TEST(jsessionid cookie is dummy without a cookie) {
  auto h = with(jsessionid);
  CAF_CHECK_EQUAL(find(h, "Set-Cookie").value_or(""),
                  "JSESSIONID=dummy; path=/");
}

CAF_TEST(jsessionid cookie echoes the request value) {
  request_facts request;
  request.cookie = "JSESSIONID=abcdef";
  CAF_CHECK_EQUAL(find(with(jsessionid, request), "Set-Cookie").value_or(""),
                  "JSESSIONID=abcdef; path=/");
  request.cookie = "a=b; JSESSIONID = xyz ;c=d";
  CAF_CHECK_EQUAL(find(with(jsessionid, request), "Set-Cookie").value_or(""),
                  "JSESSIONID=xyz; path=/");
}

CAF_TEST(jsessionid parsing splits on semicolon and first equals) {
  CAF_CHECK_EQUAL(std::string{jsessionid_cookie("JSESSIONID=a=b").value_or("")},
                  "a=b");
  CAF_CHECK(!jsessionid_cookie("XJSESSIONID=a; b"));
  CAF_CHECK(!jsessionid_cookie(""));
  CAF_CHECK(!jsessionid_cookie(";;="));
}

CAF_TEST(no cookie when the service option is off) {
  CAF_CHECK(!find(with(jsessionid, {}, false), "Set-Cookie"));
}

CAF_TEST(preflight headers allow methods for a year) {
  header_list h;
  add_preflight_headers(h, "OPTIONS, POST");
  CAF_CHECK_EQUAL(find(h, "Access-Control-Allow-Methods").value_or(""),
                  "OPTIONS, POST");
  CAF_CHECK_EQUAL(find(h, "Access-Control-Max-Age").value_or(""), "31536000");
}

CAF_TEST(content types are exact) {
  CAF_CHECK_EQUAL(std::string{content_type::text_plain},
                  "text/plain; charset=UTF-8");
  CAF_CHECK_EQUAL(std::string{content_type::text_html},
                  "text/html; charset=UTF-8");
  CAF_CHECK_EQUAL(std::string{content_type::json},
                  "application/json; charset=UTF-8");
  CAF_CHECK_EQUAL(std::string{content_type::javascript},
                  "application/javascript; charset=UTF-8");
  CAF_CHECK_EQUAL(std::string{content_type::event_stream}, "text/event-stream");
}

CAF_TEST(origin allow list) {
  const std::vector<std::string> any;
  const std::vector<std::string> star{"*"};
  const std::vector<std::string> listed{"https://good.example",
                                        "http://localhost:3000"};
  const std::string_view host = "sockjs.example:8080";
  CAF_CHECK(any_origin(any));
  CAF_CHECK(any_origin(star));
  CAF_CHECK(!any_origin(listed));
  CAF_CHECK(origin_allowed(any, "https://evil.example", host));
  CAF_CHECK(origin_allowed(star, "null", host));
  CAF_CHECK(origin_allowed(listed, std::nullopt, host));
  CAF_CHECK(origin_allowed(listed, "https://good.example", host));
  CAF_CHECK(origin_allowed(listed, "HTTPS://Good.Example", host));
  CAF_CHECK(origin_allowed(listed, "http://localhost:3000", host));
  CAF_CHECK(origin_allowed(listed, "https://sockjs.example:8080", host));
  CAF_CHECK(!origin_allowed(listed, "https://sockjs.example", host));
  CAF_CHECK(!origin_allowed(listed, "http://localhost:3001", host));
  CAF_CHECK(!origin_allowed(listed, "https://good.example.evil", host));
  CAF_CHECK(!origin_allowed(listed, "null", host));
  CAF_CHECK(!origin_allowed(listed, "", host));
  CAF_CHECK(!origin_allowed(listed, "https://", ""));
  CAF_CHECK(valid_origin_pattern("*"));
  CAF_CHECK(valid_origin_pattern("chrome-extension://abc"));
  CAF_CHECK(!valid_origin_pattern("https://a/b"));
  CAF_CHECK(!valid_origin_pattern("://a"));
  CAF_CHECK(!valid_origin_pattern("https://a b"));
}

CAF_TEST(a body has a known end only when chunked is the last coding) {
  CAF_CHECK(ends_in_chunked("chunked"));
  CAF_CHECK(ends_in_chunked("gzip, Chunked "));
  CAF_CHECK(!ends_in_chunked("chunked, gzip"));
  CAF_CHECK(!ends_in_chunked("xchunked"));
  CAF_CHECK(!ends_in_chunked("identity"));
  CAF_CHECK(!ends_in_chunked(""));
}
