#include "sockjs/protocol/url.hpp"

namespace sockjs::protocol {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

} // namespace

std::string form_decode(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < encoded.size() &&
               hex_value(encoded[i + 1]) >= 0 &&
               hex_value(encoded[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(encoded[i + 1]) * 16 +
                                      hex_value(encoded[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<std::string> form_value(std::string_view encoded,
                                      std::string_view name) {
  while (!encoded.empty()) {
    const auto amp = encoded.find('&');
    const auto field = encoded.substr(0, amp);
    encoded = amp == std::string_view::npos ? std::string_view{}
                                            : encoded.substr(amp + 1);
    const auto eq = field.find('=');
    if (form_decode(field.substr(0, eq)) != name) continue;
    if (eq == std::string_view::npos) return std::string{};
    return form_decode(field.substr(eq + 1));
  }
  return std::nullopt;
}

target_parts split_target(std::string_view target) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

} // namespace sockjs::protocol
