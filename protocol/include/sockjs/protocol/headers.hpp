// Response header policies (spec §3): caching, CORS, the JSESSIONID cookie,
// preflight answers, and content types. Pure: the caller supplies the facts
// of the request and the current time.
#pragma once

#include "sockjs/protocol/router.hpp"

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sockjs::protocol {

/// Response headers in the order they are to be sent.
using header_list = std::vector<std::pair<std::string_view, std::string>>;

/// What the header policies need to know of a request.
struct request_facts {
  std::optional<std::string_view> origin; // `Origin`, when present
  std::string_view access_control_request_headers;
  std::string_view cookie; // raw `Cookie` header
};

namespace content_type {
inline constexpr std::string_view text_plain = "text/plain; charset=UTF-8";
inline constexpr std::string_view text_html = "text/html; charset=UTF-8";
inline constexpr std::string_view json = "application/json; charset=UTF-8";
inline constexpr std::string_view javascript =
    "application/javascript; charset=UTF-8";
inline constexpr std::string_view event_stream = "text/event-stream";
} // namespace content_type

inline constexpr std::string_view no_cache_value =
    "no-store, no-cache, no-transform, must-revalidate, max-age=0";
inline constexpr long one_year_seconds = 31536000;

/// An RFC 7231 IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
std::string http_date(std::time_t when);

/// The `JSESSIONID` value of a `Cookie` header, or nullopt.
std::optional<std::string_view> jsessionid_cookie(std::string_view cookie);

/// Adds the headers of every filter in `filters`. `jsessionid` only applies
/// when `jsessionid_enabled` (the service option).
void apply_header_filters(header_list& out, header_filters filters,
                          const request_facts& request, bool jsessionid_enabled,
                          std::time_t now);

/// The headers of a CORS preflight answer (§3.3) beyond the filters:
/// allowed methods and max age.
void add_preflight_headers(header_list& out, std::string_view allow_methods);

/// Whether a request header is one a session keeps for connection::info():
/// sockjs-node's set (Host, User-Agent, Accept-Language, Referer, DNT, Via,
/// X-Forwarded-For and its kin) and Origin. Never Cookie.
bool kept_for_info(std::string_view name);

/// Whether `pattern` may stand in an origin allow-list: `*`, or
/// `scheme://host` with an optional `:port` and nothing more.
bool valid_origin_pattern(std::string_view pattern);

/// Whether the allow-list `allowed` lets every origin in (empty, or `*`).
bool any_origin(const std::vector<std::string>& allowed);

/// Whether a request may use a service whose allow-list is `allowed`
/// (empty, or holding `*`: any origin). A request without `origin` is not
/// cross-origin (no browser script made it), nor one whose origin names the
/// `host` it was sent to; others must be listed (ASCII case aside).
bool origin_allowed(const std::vector<std::string>& allowed,
                    std::optional<std::string_view> origin,
                    std::string_view host);

/// The most of a header value a session keeps.
inline constexpr std::size_t info_value_limit = 1024;

} // namespace sockjs::protocol
