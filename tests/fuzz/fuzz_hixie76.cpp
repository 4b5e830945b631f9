// Handshake keys: hixie-76 key numbers against arbitrary-precision
// arithmetic (digits over spaces), and RFC 6455 Sec-WebSocket-Key against a
// base64 decoder (16 bytes, nothing else).
#include "sockjs/protocol/hixie76.hpp"
#include "sockjs/protocol/rfc6455.hpp"
#include "tests/fuzz/check.hpp"

#include <string>

using namespace sockjs::protocol;

namespace {

// Bytes a (lenient) base64 text decodes to, or -1 when it is not base64.
int base64_length(std::string_view text) {
  if (text.size() % 4 != 0) return -1;
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() &&
         text[text.size() - 1 - padding] == '=')
    ++padding;
  for (std::size_t i = 0; i + padding < text.size(); ++i) {
    const char c = text[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/')
      return -1;
  }
  return static_cast<int>(text.size() / 4 * 3 - padding);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data,
                                      std::size_t size) {
  const auto key = sockjs::fuzz::as_text(data, size);
  std::string digits;
  unsigned __int128 spaces = 0;
  for (char c : key) {
    if (c >= '0' && c <= '9' && !(digits.empty() && c == '0'))
      digits += c;
    else if (c >= '0' && c <= '9')
      ; // a leading zero
    else if (c == ' ')
      ++spaces;
  }
  const bool any_digit = key.find_first_of("0123456789") != key.npos;
  const auto number = hixie76_key_number(key);
  if (digits.size() <= 30) {
    unsigned __int128 n = 0;
    for (char c : digits) n = n * 10 + static_cast<unsigned>(c - '0');
    const bool valid =
        any_digit && spaces > 0 && n % spaces == 0 && n / spaces <= 0xffffffffu;
    FUZZ_CHECK(number.has_value() == valid);
    if (number) FUZZ_CHECK(*number == n / spaces);
  } else {
    FUZZ_CHECK(!number); // far beyond any 32-bit quotient
  }
  if (number) hixie76_answer(*number, *number, key.substr(0, 8));
  FUZZ_CHECK(valid_websocket_key(key) ==
             (key.size() == 24 && base64_length(key) == 16));
  return 0;
}
