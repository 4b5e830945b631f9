// How each HTTP transport wraps frames on the wire (spec §7), and the
// callback parameter of jsonp and htmlfile.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sockjs::protocol {

// -- xhr and xhr_streaming (§7.2, §7.4) ---------------------------------------

/// 2048 `h` and `\n`: the first chunk of xhr_streaming, for old IE.
std::string_view xhr_streaming_prelude();

/// `<frame>\n`.
std::string xhr_frame(std::string_view frame);

// -- eventsource (§7.5) -------------------------------------------------------

inline constexpr std::string_view eventsource_prelude = "\r\n";

/// `data: <frame>\r\n\r\n`, with `%`, `\r`, `\n` and NUL percent-escaped.
std::string eventsource_frame(std::string_view frame);

// -- htmlfile (§7.6) ----------------------------------------------------------

/// The page head calling `parent.<callback>`, padded past 1 KiB for Safari.
std::string htmlfile_prelude(std::string_view callback);

/// `<script>\np("<frame as JSON string>");\n</script>\r\n`.
std::string htmlfile_frame(std::string_view frame);

// -- jsonp (§7.7) -------------------------------------------------------------

/// `/**/<callback>("<frame as JSON string>");\r\n`.
std::string jsonp_frame(std::string_view callback, std::string_view frame);

// -- callback parameter (§3.6) ------------------------------------------------

enum class callback_error { none, missing, invalid };

/// The 500 body for a callback error.
std::string_view error_text(callback_error error);

/// jsonp callbacks are limited to this length; htmlfile ones are not.
inline constexpr std::size_t jsonp_callback_max_length = 32;

struct callback_param {
  callback_error error = callback_error::none;
  std::string name; // decoded; valid when error is none
};

/// Reads the callback from the `c` (or `callback`) query parameter and checks
/// it: only `[a-zA-Z0-9_.-]`, at most `max_length` characters (0: no limit).
callback_param read_callback(std::string_view query, std::size_t max_length);

} // namespace sockjs::protocol
