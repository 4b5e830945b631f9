#include "sockjs/protocol/json_quote.hpp"

#include "sockjs/protocol/utf8.hpp"

#include <cstdint>

namespace sockjs::protocol {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

void append_u_escape(std::string& out, std::uint32_t unit) {
  const char escape[6] = {'\\',
                          'u',
                          hex_digits[(unit >> 12) & 0xF],
                          hex_digits[(unit >> 8) & 0xF],
                          hex_digits[(unit >> 4) & 0xF],
                          hex_digits[unit & 0xF]};
  out.append(escape, sizeof(escape));
}

bool must_escape(std::uint32_t cp) {
  return (cp >= 0x200C && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
         (cp >= 0x2060 && cp <= 0x206F) || cp >= 0xFFF0;
}

constexpr std::uint32_t replacement_character = 0xFFFD;

void append_code_point(std::string& out, std::uint32_t cp) {
  if (cp > 0xFFFF) {
    const std::uint32_t v = cp - 0x10000;
    append_u_escape(out, 0xD800 + (v >> 10));
    append_u_escape(out, 0xDC00 + (v & 0x3FF));
  } else if (must_escape(cp)) {
    append_u_escape(out, cp);
  } else {
    append_utf8(out, cp);
  }
}

void append_ascii_escape(std::string& out, char c) {
  switch (c) {
  case '"':
    out += "\\\"";
    break;
  case '\\':
    out += "\\\\";
    break;
  case '\b':
    out += "\\b";
    break;
  case '\f':
    out += "\\f";
    break;
  case '\n':
    out += "\\n";
    break;
  case '\r':
    out += "\\r";
    break;
  case '\t':
    out += "\\t";
    break;
  default:
    append_u_escape(out, static_cast<std::uint8_t>(c));
  }
}

} // namespace

void append_json_string(std::string& out, std::string_view utf8) {
  out.reserve(out.size() + utf8.size() + 2);
  out.push_back('"');
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    // Copy the longest run of ASCII that needs no escape in one append.
    std::size_t run = pos;
    while (run < utf8.size()) {
      const auto b = static_cast<std::uint8_t>(utf8[run]);
      if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\') break;
      ++run;
    }
    out.append(utf8.data() + pos, run - pos);
    pos = run;
    if (pos == utf8.size()) break;
    const auto b = static_cast<std::uint8_t>(utf8[pos]);
    if (b < 0x80) {
      append_ascii_escape(out, utf8[pos]);
      ++pos;
    } else {
      append_code_point(out,
                        decode_utf8(utf8, pos).value_or(replacement_character));
    }
  }
  out.push_back('"');
}

std::string json_string(std::string_view utf8) {
  std::string out;
  append_json_string(out, utf8);
  return out;
}

} // namespace sockjs::protocol
