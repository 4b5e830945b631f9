#include "sockjs/protocol/hixie76.hpp"

#include <string>

namespace sockjs::protocol {

std::optional<std::uint32_t> hixie76_key_number(std::string_view key) {
  std::uint64_t number = 0;
  std::uint64_t spaces = 0;
  bool any_digit = false;
  for (char c : key) {
    if (c >= '0' && c <= '9') {
      if (number > (UINT64_MAX - 9) / 10) // far beyond any valid key
        return std::nullopt;
      number = number * 10 + static_cast<std::uint64_t>(c - '0');
      any_digit = true;
    } else if (c == ' ') {
      ++spaces;
    }
  }
  if (!any_digit || spaces == 0 || number % spaces != 0 ||
      number / spaces > 0xFFFFFFFFull)
    return std::nullopt;
  return static_cast<std::uint32_t>(number / spaces);
}

md5_digest hixie76_answer(std::uint32_t n1, std::uint32_t n2,
                          std::string_view key3) {
  std::string input;
  input.reserve(8 + key3.size());
  for (auto n : {n1, n2})
    for (int shift = 24; shift >= 0; shift -= 8)
      input.push_back(static_cast<char>((n >> shift) & 0xFF));
  input += key3;
  return md5(input);
}

} // namespace sockjs::protocol
