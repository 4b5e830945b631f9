// UTF-8 decoding against a reference written from RFC 3629's table: the
// same verdict on every sequence, progress on every step, and a decoded
// code point encodes back to the bytes it came from.
#include "sockjs/protocol/utf8.hpp"
#include "tests/fuzz/check.hpp"

#include <string>

using namespace sockjs::protocol;

namespace {

// Length of the well-formed sequence at s[pos] (RFC 3629 §4), or 0.
std::size_t reference_length(std::string_view s, std::size_t pos) {
  auto byte = [&](std::size_t i) -> int {
    return pos + i < s.size() ? static_cast<unsigned char>(s[pos + i]) : -1;
  };
  auto in = [](int b, int lo, int hi) { return b >= lo && b <= hi; };
  const int b0 = byte(0);
  if (in(b0, 0xc2, 0xdf)) return in(byte(1), 0x80, 0xbf) ? 2 : 0;
  if (b0 == 0xe0)
    return in(byte(1), 0xa0, 0xbf) && in(byte(2), 0x80, 0xbf) ? 3 : 0;
  if (in(b0, 0xe1, 0xec) || in(b0, 0xee, 0xef))
    return in(byte(1), 0x80, 0xbf) && in(byte(2), 0x80, 0xbf) ? 3 : 0;
  if (b0 == 0xed)
    return in(byte(1), 0x80, 0x9f) && in(byte(2), 0x80, 0xbf) ? 3 : 0;
  const bool tail = in(byte(2), 0x80, 0xbf) && in(byte(3), 0x80, 0xbf);
  if (b0 == 0xf0) return in(byte(1), 0x90, 0xbf) && tail ? 4 : 0;
  if (in(b0, 0xf1, 0xf3)) return in(byte(1), 0x80, 0xbf) && tail ? 4 : 0;
  if (b0 == 0xf4) return in(byte(1), 0x80, 0x8f) && tail ? 4 : 0;
  return 0;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data,
                                      std::size_t size) {
  const auto in = sockjs::fuzz::as_text(data, size);
  for (std::size_t pos = 0; pos < in.size();) {
    if (static_cast<unsigned char>(in[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const auto start = pos;
    const auto expected = reference_length(in, start);
    const auto cp = decode_utf8(in, pos);
    FUZZ_CHECK(pos > start && pos <= in.size());
    FUZZ_CHECK(cp.has_value() == (expected != 0));
    if (cp) {
      FUZZ_CHECK(pos - start == expected);
      std::string back;
      append_utf8(back, *cp);
      FUZZ_CHECK(back == in.substr(start, expected));
    } else {
      // Unicode §3.9: the maximal subpart is at most 3 bytes.
      FUZZ_CHECK(pos - start <= 3);
    }
  }
  return 0;
}
