// Header policies: Connection token lists, the JSESSIONID cookie, origin
// allow-lists, ETags, and the response headers the filters build from what
// a client sent: never a byte that would split a header, and a cookie or
// origin echoed only as sent.
#include "sockjs/protocol/headers.hpp"
#include "sockjs/protocol/pages.hpp"
#include "sockjs/protocol/text.hpp"
#include "tests/fuzz/check.hpp"

#include <string>
#include <vector>

using namespace sockjs::protocol;

namespace {

// The input as fields separated by NUL: a Beast header value never holds
// CR, LF or NUL, so neither do these.
std::vector<std::string_view> fields(std::string_view in, std::size_t n) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < n) {
    const auto end = in.find('\0');
    out.push_back(in.substr(0, end));
    in = end == in.npos ? std::string_view{} : in.substr(end + 1);
  }
  out.push_back(in);
  return out;
}

bool header_safe(std::string_view value) {
  return value.find_first_of(std::string_view{"\r\n\0", 3}) == value.npos;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data,
                                      std::size_t size) {
  const auto f = fields(sockjs::fuzz::as_text(data, size), 5);
  for (auto field : f)
    if (field.find_first_of("\r\n") != field.npos) return 0;
  const auto origin = f[0], cookie = f[1], list = f[2], token = f[3],
             host = f[4];

  // A token is found in a list made of it, whatever surrounds it.
  const auto trimmed = trim(token);
  if (!trimmed.empty() && trimmed.find(',') == trimmed.npos)
    FUZZ_CHECK(
        has_token(std::string{list} + ", " + std::string{trimmed}, trimmed));

  if (auto id = jsessionid_cookie(cookie)) {
    FUZZ_CHECK(cookie.find(*id) != cookie.npos);
    FUZZ_CHECK(id->find(';') == id->npos);
  }

  request_facts facts;
  facts.origin = origin;
  facts.cookie = cookie;
  facts.access_control_request_headers = list;
  header_list out;
  apply_header_filters(out, cacheable | no_cache | cors | jsessionid, facts,
                       true, 0);
  add_preflight_headers(out, "OPTIONS, POST");
  for (const auto& [name, value] : out) FUZZ_CHECK(header_safe(value));

  // Allow-lists: a listed origin passes, an unlisted cross-origin one not.
  const std::vector<std::string> listed{std::string{token}};
  if (valid_origin_pattern(token) && token != "*") {
    FUZZ_CHECK(origin_allowed(listed, token, host));
    const auto at = origin.find("://");
    const bool same_host = at != origin.npos && !host.empty() &&
                           iequals(origin.substr(at + 3), host);
    if (!iequals(origin, token) && !same_host)
      FUZZ_CHECK(!origin_allowed(listed, origin, host));
  }
  FUZZ_CHECK(origin_allowed(listed, std::nullopt, host));

  // An ETag matches itself, in a list too.
  const auto etag = etag_for(origin);
  FUZZ_CHECK(if_none_match_hits(etag, etag));
  FUZZ_CHECK(if_none_match_hits(std::string{list} + ", " + etag, etag));
  kept_for_info(token);
  return 0;
}
