// The hixie-76 (draft-76) WebSocket handshake arithmetic (spec §7.1), needed
// for clients behind old proxies such as HAProxy 1.4.
#pragma once

#include "sockjs/protocol/md5.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace sockjs::protocol {

/// The number a `Sec-WebSocket-Key1/2` encodes: its decimal digits read as
/// one number, divided by the count of its spaces. nullopt when the key has
/// no space, no digit, a number that does not divide evenly, or a result that
/// does not fit 32 bits (the draft tells servers to reject such keys).
std::optional<std::uint32_t> hixie76_key_number(std::string_view key);

/// The 16-byte answer: MD5 of big-endian n1, big-endian n2 and the 8 bytes
/// the client sends after its headers.
md5_digest hixie76_answer(std::uint32_t n1, std::uint32_t n2,
                          std::string_view key3);

} // namespace sockjs::protocol
