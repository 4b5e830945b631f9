// MD5 (RFC 1321), for the iframe page's ETag and the hixie-76 handshake.
// Neither use is a security measure.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sockjs::protocol {

using md5_digest = std::array<std::uint8_t, 16>;

md5_digest md5(std::string_view data);

/// Lowercase hex of a digest.
std::string to_hex(const md5_digest& digest);

} // namespace sockjs::protocol
