// JSON string quoting with exactly the escape set of SockJS (spec §5.3).
#pragma once

#include <string>
#include <string_view>

namespace sockjs::protocol {

/// Appends `utf8` to `out` as a quoted JSON string literal. Escapes `"`, `\`,
/// control characters (short forms where JSON has them), and, as lowercase
/// `\uXXXX`, the code points browsers mangle: U+200C-U+200F, U+2028-U+202F,
/// U+2060-U+206F, U+FFF0-U+FFFF. Code points above U+FFFF become an escaped
/// surrogate pair, as sockjs-node (UTF-16) emits them. Every other code point
/// is copied as raw UTF-8.
///
/// Input that is not well-formed UTF-8 (truncated or overlong sequences,
/// encoded surrogates, bytes above U+10FFFF) is not passed through: each
/// maximal ill-formed subpart becomes U+FFFD (escaped, as it lies in
/// U+FFF0-U+FFFF), so the output is always valid JSON and valid UTF-8.
void append_json_string(std::string& out, std::string_view utf8);

/// Returns `utf8` as a quoted JSON string literal; see append_json_string.
std::string json_string(std::string_view utf8);

} // namespace sockjs::protocol
