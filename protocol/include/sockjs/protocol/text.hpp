// Small text helpers shared by the header parsers.
#pragma once

#include <cctype>
#include <string_view>

namespace sockjs::protocol {

/// `s` without leading and trailing spaces and tabs (HTTP's OWS).
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// ASCII case-insensitive equality.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

/// Whether a request with `Transfer-Encoding: codings` has a body whose end
/// is known (RFC 9112 §6.3): only when chunked is the final coding. Any
/// other would leave the body to be read as a next request (smuggling).
inline bool ends_in_chunked(std::string_view codings) {
  return iequals(trim(codings.substr(codings.rfind(',') + 1)), "chunked");
}

/// Whether a comma-separated header value (e.g. `Connection: keep-alive,
/// Upgrade`) contains `token`, compared case-insensitively.
inline bool has_token(std::string_view list, std::string_view token) {
  while (true) {
    const auto comma = list.find(',');
    if (iequals(trim(list.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) return false;
    list.remove_prefix(comma + 1);
  }
}

} // namespace sockjs::protocol
