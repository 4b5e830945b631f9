// Percent-decoding of query strings and form bodies.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sockjs::protocol {

/// Decodes `%XX` sequences and `+` (as a space, the form convention). A `%`
/// not followed by two hex digits is kept as it is.
std::string form_decode(std::string_view encoded);

/// The decoded value of the first `name=value` field of an
/// application/x-www-form-urlencoded string (a query string or a form body);
/// nullopt when there is no such field. `name` is compared after decoding.
std::optional<std::string> form_value(std::string_view encoded,
                                      std::string_view name);

/// Splits a request target into path and query (without the `?`).
struct target_parts {
  std::string_view path;
  std::string_view query;
};
target_parts split_target(std::string_view target);

} // namespace sockjs::protocol
