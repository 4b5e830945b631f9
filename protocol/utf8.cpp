#include "sockjs/protocol/utf8.hpp"

namespace sockjs::protocol {

std::optional<std::uint32_t> decode_utf8(std::string_view in,
                                         std::size_t& pos) {
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
    return std::nullopt;
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
  if (i != length) return std::nullopt;
  return cp;
}

bool valid_utf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    if (static_cast<std::uint8_t>(text[pos]) < 0x80)
      ++pos;
    else if (!decode_utf8(text, pos))
      return false;
  }
  return true;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

} // namespace sockjs::protocol
