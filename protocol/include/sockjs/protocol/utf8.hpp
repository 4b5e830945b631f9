// UTF-8 decoding and encoding of single code points (RFC 3629).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sockjs::protocol {

/// Decodes the UTF-8 sequence starting at in[pos] (a non-ASCII byte). On
/// success returns the code point and advances `pos` past it. Overlong
/// forms, encoded surrogates, code points above U+10FFFF and truncated
/// sequences give nullopt, with `pos` advanced past the maximal ill-formed
/// subpart (at least one byte), as Unicode §3.9 recommends.
std::optional<std::uint32_t> decode_utf8(std::string_view in, std::size_t& pos);

/// Appends the UTF-8 encoding of the scalar value `cp` to `out`.
void append_utf8(std::string& out, std::uint32_t cp);

/// Is `text` all well-formed UTF-8 (no overlong forms, no surrogates)?
bool valid_utf8(std::string_view text);

} // namespace sockjs::protocol
