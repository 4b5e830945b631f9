// URL routing for one SockJS service (spec §2): the whole URL layout of a
// service as one table of path pattern x method -> action + header filters.
#pragma once

#include <string>
#include <string_view>

namespace sockjs::protocol {

enum class action {
  greeting,
  iframe_page,
  info,
  preflight, // OPTIONS (CORS preflight, §3.3); never touches a session
  raw_websocket,
  websocket,
  xhr,
  xhr_send,
  xhr_streaming,
  eventsource,
  htmlfile,
  jsonp,
  jsonp_send,
};

/// Header policies a route applies to its responses, errors included.
enum header_filter : unsigned {
  none = 0,
  cacheable = 1u << 0,  // Cache-Control public + Expires, one year (§3.1)
  no_cache = 1u << 1,   // Cache-Control no-store, ... (§3.1)
  cors = 1u << 2,       // Origin echo and credentials (§3.2)
  jsessionid = 1u << 3, // Set-Cookie JSESSIONID, on jsessionid services (§3.4)
};
using header_filters = unsigned;

struct route {
  /// Path below the prefix: `S` and `I` stand for a server and a session id
  /// (`[^/.]+`), `*` in the iframe pattern for `[0-9a-z._-]*`.
  std::string_view pattern;
  std::string_view method;
  protocol::action action;
  header_filters filters;
};

// clang-format off
inline constexpr route routes[] = {
  // pattern              method     action                  header filters
  {"",                    "GET",     action::greeting,       none},
  {"/iframe*.html",       "GET",     action::iframe_page,    cacheable},
  {"/info",               "GET",     action::info,           no_cache | cors},
  {"/info",               "OPTIONS", action::preflight,      cacheable | cors | jsessionid},
  {"/websocket",          "GET",     action::raw_websocket,  none},
  {"/S/I/websocket",      "GET",     action::websocket,      none},
  {"/S/I/xhr",            "POST",    action::xhr,            no_cache | cors | jsessionid},
  {"/S/I/xhr",            "OPTIONS", action::preflight,      cacheable | cors | jsessionid},
  {"/S/I/xhr_send",       "POST",    action::xhr_send,       no_cache | cors | jsessionid},
  {"/S/I/xhr_send",       "OPTIONS", action::preflight,      cacheable | cors | jsessionid},
  {"/S/I/xhr_streaming",  "POST",    action::xhr_streaming,  no_cache | cors | jsessionid},
  {"/S/I/xhr_streaming",  "OPTIONS", action::preflight,      cacheable | cors | jsessionid},
  {"/S/I/eventsource",    "GET",     action::eventsource,    no_cache | cors | jsessionid},
  {"/S/I/htmlfile",       "GET",     action::htmlfile,       no_cache | jsessionid},
  {"/S/I/jsonp",          "GET",     action::jsonp,          no_cache | jsessionid},
  {"/S/I/jsonp_send",     "POST",    action::jsonp_send,     no_cache | jsessionid},
};
// clang-format on

enum class route_status { found, not_found, method_not_allowed };

struct route_match {
  route_status status = route_status::not_found;
  /// The matched table row (found only).
  const route* entry = nullptr;
  /// Filters for the response: the row's, or for a 404 of a disabled
  /// websocket route the cacheable set, as sockjs-node sends.
  header_filters filters = none;
  /// Methods of every row with this path, in table order, joined by ", ":
  /// the `Allow` header of a 405 and the methods a preflight allows.
  std::string allow;
  std::string_view server_id;
  std::string_view session_id;
  std::string_view query;
};

/// True when `path` (no query) lies under `prefix`: equal to it, or followed
/// by `/`. The prefix never ends in `/`; the empty prefix serves everything.
bool under_prefix(std::string_view prefix, std::string_view path);

/// Routes a request target (path and query) of a service mounted at `prefix`.
/// With `websocket_enabled` false, both websocket routes answer 404.
route_match match_route(std::string_view prefix, bool websocket_enabled,
                        std::string_view method, std::string_view target);

/// Whether a session id or server id segment is valid: `[^/.]+`.
bool valid_id_segment(std::string_view segment);

} // namespace sockjs::protocol
