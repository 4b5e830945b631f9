#include "protocol/json_quote.hpp"

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

// Decodes one UTF-8 sequence starting at in[pos] (a non-ASCII byte). On
// success returns the code point and advances pos past it; on failure returns
// U+FFFD and advances past the maximal ill-formed subpart (at least one byte),
// as Unicode §3.9 recommends.
std::uint32_t decode_sequence(std::string_view in, std::size_t& pos) {
  auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(in[i]); };
  const std::uint8_t lead = byte(pos);
  std::size_t length;
  std::uint32_t cp;
  // Valid range of the second byte depends on the lead byte; this excludes
  // overlong forms, encoded surrogates and code points above U+10FFFF.
  std::uint8_t second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0F;
    if (lead == 0xE0)
      second_min = 0xA0;
    else if (lead == 0xED)
      second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07;
    if (lead == 0xF0)
      second_min = 0x90;
    else if (lead == 0xF4)
      second_max = 0x8F;
  } else {
    ++pos;
    return replacement_character;
  }
  std::size_t i = 1;
  for (; i < length; ++i) {
    if (pos + i >= in.size()) break;
    const std::uint8_t b = byte(pos + i);
    const std::uint8_t lo = i == 1 ? second_min : 0x80;
    const std::uint8_t hi = i == 1 ? second_max : 0xBF;
    if (b < lo || b > hi) break;
    cp = (cp << 6) | (b & 0x3F);
  }
  pos += i;
  return i == length ? cp : replacement_character;
}

void append_code_point(std::string& out, std::uint32_t cp) {
  if (cp > 0xFFFF) {
    const std::uint32_t v = cp - 0x10000;
    append_u_escape(out, 0xD800 + (v >> 10));
    append_u_escape(out, 0xDC00 + (v & 0x3FF));
  } else if (must_escape(cp)) {
    append_u_escape(out, cp);
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
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
      append_code_point(out, decode_sequence(utf8, pos));
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
