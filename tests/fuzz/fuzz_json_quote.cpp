// JSON quoting: whatever the bytes, the output is one JSON string that a
// JSON parser reads back, well-formed UTF-8 with none of the code points
// browsers mangle left raw; for well-formed input it reads back unchanged.
#include "sockjs/protocol/json_quote.hpp"
#include "sockjs/protocol/utf8.hpp"
#include "tests/fuzz/check.hpp"

#include <nlohmann/json.hpp>

using namespace sockjs::protocol;
using nlohmann::json;

namespace {

bool escaped_by_sockjs(std::uint32_t cp) {
  return (cp >= 0x200c && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) ||
         (cp >= 0x2060 && cp <= 0x206f) || (cp >= 0xfff0 && cp <= 0xffff) ||
         cp < 0x20;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data,
                                      std::size_t size) {
  const auto input = sockjs::fuzz::as_text(data, size);
  const auto quoted = json_string(input);
  const auto parsed = json::parse(quoted, nullptr, false);
  FUZZ_CHECK(!parsed.is_discarded() && parsed.is_string());
  bool well_formed = true;
  for (std::size_t pos = 0; pos < input.size();) {
    if (static_cast<unsigned char>(input[pos]) < 0x80) {
      ++pos;
    } else if (!decode_utf8(input, pos)) {
      well_formed = false;
    }
  }
  if (well_formed) FUZZ_CHECK(parsed.get<std::string>() == input);
  // Raw in the output: only well-formed UTF-8, never a mangled code point.
  for (std::size_t pos = 0; pos < quoted.size();) {
    std::uint32_t cp = static_cast<unsigned char>(quoted[pos]);
    if (cp < 0x80) {
      ++pos;
    } else {
      auto decoded = decode_utf8(quoted, pos);
      FUZZ_CHECK(decoded.has_value());
      cp = *decoded;
    }
    FUZZ_CHECK(!escaped_by_sockjs(cp));
  }
  return 0;
}
