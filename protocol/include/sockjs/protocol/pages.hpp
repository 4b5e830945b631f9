// Static bodies of a service (spec §4): greeting, iframe page, /info.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sockjs::protocol {

inline constexpr std::string_view greeting_body = "Welcome to SockJS!\n";
inline constexpr std::string_view not_found_body =
    "404 Error: Page not found\n";

/// Whether `url` may be used as `sockjs_url`: non-empty, starts with `/` or
/// `http`, and holds no `"`, `<`, `>` or control character (it is placed
/// inside an HTML attribute).
bool valid_sockjs_url(std::string_view url);

/// The iframe page that loads `sockjs_url` (spec §4.2).
std::string iframe_page(std::string_view sockjs_url);

/// The iframe page's ETag: the quoted MD5 hex digest of `body`.
std::string etag_for(std::string_view body);

/// Whether an `If-None-Match` header value names `etag` (or is `*`).
bool if_none_match_hits(std::string_view if_none_match, std::string_view etag);

/// The /info body (spec §4.3).
std::string info_body(bool websocket, bool cookie_needed,
                      std::uint32_t entropy);

} // namespace sockjs::protocol
