// What RFC 6455 asks of a websocket peer that Beast leaves to us.
#pragma once

#include <string_view>

namespace sockjs::protocol {

/// §4.2.1: Sec-WebSocket-Key is base64 of 16 bytes (24 characters, the last
/// two `=`).
bool valid_websocket_key(std::string_view key);

/// §7.4: the close codes a peer may send: 1000-1003, 1007-1014 (with the
/// IANA registry's 1012-1014) and 3000-4999. Any other is a protocol error.
bool valid_close_code(int code);

} // namespace sockjs::protocol
