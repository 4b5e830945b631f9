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

/// The transports of spec §7, as sockjs-client names them. A service may
/// switch any of them off; their routes then answer 404.
enum transport : unsigned {
  websocket = 1u << 0, // also the raw websocket and hixie-76
  xhr_streaming = 1u << 1,
  xhr_polling = 1u << 2,
  eventsource = 1u << 3,
  htmlfile = 1u << 4,
  jsonp_polling = 1u << 5,
  iframe = 1u << 6, // the iframe page of sockjs-client's iframe-* transports
};
using transport_set = unsigned;
inline constexpr transport_set all_transports = (1u << 7) - 1;
/// The transports that reach across origins without CORS, so that an
/// origin allow-list cannot hold them (Spring switches them off too).
inline constexpr transport_set cross_origin_without_cors =
    htmlfile | jsonp_polling | iframe;

/// The transport named `name` ("websocket", "xhr-streaming", ..., and
/// "iframe" for the iframe page), or 0.
transport_set transport_named(std::string_view name);

/// The name of the transport a receiver route serves, as sockjs-client (and
/// sockjs-node's conn.protocol) say it: "websocket", "websocket-raw",
/// "xhr-streaming", "xhr-polling", "eventsource", "htmlfile",
/// "jsonp-polling"; empty for other actions.
std::string_view transport_name(action a);

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
  /// Served while one of these is enabled; 0: always.
  transport_set transports;
};

// clang-format off
inline constexpr transport_set xhr_any = xhr_streaming | xhr_polling;
inline constexpr route routes[] = {
  // pattern              method     action                  header filters                  served while
  {"",                    "GET",     action::greeting,       none,                           0},
  {"/iframe*.html",       "GET",     action::iframe_page,    cacheable,                      iframe},
  {"/info",               "GET",     action::info,           no_cache | cors,                0},
  {"/info",               "OPTIONS", action::preflight,      cacheable | cors | jsessionid,  0},
  {"/websocket",          "GET",     action::raw_websocket,  none,                           websocket},
  {"/S/I/websocket",      "GET",     action::websocket,      none,                           websocket},
  {"/S/I/xhr",            "POST",    action::xhr,            no_cache | cors | jsessionid,   xhr_polling},
  {"/S/I/xhr",            "OPTIONS", action::preflight,      cacheable | cors | jsessionid,  xhr_polling},
  {"/S/I/xhr_send",       "POST",    action::xhr_send,       no_cache | cors | jsessionid,   xhr_any},
  {"/S/I/xhr_send",       "OPTIONS", action::preflight,      cacheable | cors | jsessionid,  xhr_any},
  {"/S/I/xhr_streaming",  "POST",    action::xhr_streaming,  no_cache | cors | jsessionid,   xhr_streaming},
  {"/S/I/xhr_streaming",  "OPTIONS", action::preflight,      cacheable | cors | jsessionid,  xhr_streaming},
  {"/S/I/eventsource",    "GET",     action::eventsource,    no_cache | cors | jsessionid,   eventsource},
  {"/S/I/htmlfile",       "GET",     action::htmlfile,       no_cache | jsessionid,          htmlfile},
  {"/S/I/jsonp",          "GET",     action::jsonp,          no_cache | jsessionid,          jsonp_polling},
  {"/S/I/jsonp_send",     "POST",    action::jsonp_send,     no_cache | jsessionid,          jsonp_polling},
};
// clang-format on

enum class route_status { found, not_found, method_not_allowed };

struct route_match {
  route_status status = route_status::not_found;
  /// The matched table row (found only).
  const route* entry = nullptr;
  /// Filters for the response: the row's, or for a 404 of a disabled
  /// transport's route the cacheable set, as sockjs-node sends for a
  /// disabled websocket.
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

/// Routes a request target (path and query) of a service mounted at `prefix`
/// that offers the transports `enabled`; the others' routes answer 404.
route_match match_route(std::string_view prefix, transport_set enabled,
                        std::string_view method, std::string_view target);

/// Whether a session id or server id segment is valid: `[^/.]+`.
bool valid_id_segment(std::string_view segment);

} // namespace sockjs::protocol
