// Line-oriented logging to stderr. CAF's own logger is compiled out of the
// Debian build, and every line must stay whole when threads interleave.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>

namespace sockjs::log {

enum class level { error, warning, info, debug };

/// Lines above this level are dropped; `info` unless changed at start-up.
void set_level(level max);
bool enabled(level lvl);

/// The level named "error", "warning", "info" or "debug"; false otherwise.
bool parse_level(std::string_view name, level& out);

/// Text: `HH:MM:SS.mmm LEVEL message`. JSON: one object per line with
/// "time" (ISO 8601, UTC), "level", "msg" and the line's fields.
enum class format { text, json };
void set_format(format f);
format current_format();

/// Writes one line (a newline is added) with a timestamp and level tag.
void write(level lvl, const std::string& line);

/// A named value of a structured line; numbers are written unquoted.
struct field {
  std::string_view name;
  std::string value;
  bool number = false;
};

/// Writes `message` and its fields: `message name=value ...` as text, keys
/// of the object in JSON.
void write(level lvl, std::string_view message,
           std::initializer_list<field> fields);

template <class... Ts>
void line(level lvl, const Ts&... parts) {
  if (!enabled(lvl)) return;
  std::ostringstream out;
  (out << ... << parts);
  write(lvl, out.str());
}

/// For a line that a flood would repeat: lets it through at most once a
/// second, and counts the ones held back meanwhile.
class throttle {
public:
  /// Whether a line may go now; if so, `held_back` is how many did not
  /// since the last.
  bool allow(std::uint64_t& held_back);

private:
  std::atomic<std::int64_t> next_{0};
  std::atomic<std::uint64_t> held_back_{0};
};

template <class... Ts>
void error(const Ts&... parts) {
  line(level::error, parts...);
}
template <class... Ts>
void warning(const Ts&... parts) {
  line(level::warning, parts...);
}
template <class... Ts>
void info(const Ts&... parts) {
  line(level::info, parts...);
}
template <class... Ts>
void debug(const Ts&... parts) {
  line(level::debug, parts...);
}

} // namespace sockjs::log
