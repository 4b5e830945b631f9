#include "sockjs/actors/log.hpp"

#include "sockjs/protocol/json_quote.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace sockjs::log {

namespace {

std::atomic<int> max_level{static_cast<int>(level::info)};
std::atomic<format> line_format{format::text};

// Each level's names, in the order of the enum: as given to --log-level and
// in JSON lines, and as text lines tag it (of one width).
struct level_names {
  const char* name;
  const char* tag;
};
constexpr level_names names[] = {{"error", "ERROR"},
                                 {"warning", "WARN "},
                                 {"info", "INFO "},
                                 {"debug", "DEBUG"}};

const level_names& names_of(level lvl) {
  return names[static_cast<int>(lvl)];
}

struct clock_reading {
  std::tm tm{};
  int millis = 0;
};

clock_reading read_clock() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto secs = system_clock::to_time_t(now);
  clock_reading out;
  out.millis = static_cast<int>(
      duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000);
  gmtime_r(&secs, &out.tm);
  return out;
}

// One fwrite per line: stderr is unbuffered, so lines do not interleave.
void emit(const std::string& out) {
  std::fwrite(out.data(), 1, out.size(), stderr);
}

std::string json_head(level lvl) {
  const auto now = read_clock();
  char stamp[64];
  std::snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                now.tm.tm_year + 1900, now.tm.tm_mon + 1, now.tm.tm_mday,
                now.tm.tm_hour, now.tm.tm_min, now.tm.tm_sec, now.millis);
  std::string out = "{\"time\":\"";
  out += stamp;
  out += "\",\"level\":\"";
  out += names_of(lvl).name;
  out += "\",\"msg\":";
  return out;
}

} // namespace

bool throttle::allow(std::uint64_t& held_back) {
  using namespace std::chrono;
  const auto now =
      duration_cast<milliseconds>(steady_clock::now().time_since_epoch())
          .count();
  auto next = next_.load(std::memory_order_relaxed);
  if (now < next || !next_.compare_exchange_strong(next, now + 1000)) {
    held_back_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  held_back = held_back_.exchange(0, std::memory_order_relaxed);
  return true;
}

void set_level(level max) {
  max_level = static_cast<int>(max);
}

bool enabled(level lvl) {
  return static_cast<int>(lvl) <= max_level.load(std::memory_order_relaxed);
}

bool parse_level(std::string_view name, level& out) {
  for (const auto& entry : names)
    if (name == entry.name) {
      out = static_cast<level>(&entry - names);
      return true;
    }
  return false;
}

void set_format(format f) {
  line_format = f;
}

format current_format() {
  return line_format.load(std::memory_order_relaxed);
}

void write(level lvl, const std::string& line) {
  write(lvl, line, {});
}

void write(level lvl, std::string_view message,
           std::initializer_list<field> fields) {
  std::string out;
  if (current_format() == format::json) {
    out = json_head(lvl);
    protocol::append_json_string(out, message);
    for (const auto& f : fields) {
      out += ',';
      protocol::append_json_string(out, f.name);
      out += ':';
      if (f.number)
        out += f.value;
      else
        protocol::append_json_string(out, f.value);
    }
    out += "}\n";
  } else {
    const auto now = read_clock();
    char stamp[32];
    std::snprintf(stamp, sizeof(stamp), "%02d:%02d:%02d.%03d ", now.tm.tm_hour,
                  now.tm.tm_min, now.tm.tm_sec, now.millis);
    out.reserve(message.size() + 24);
    out += stamp;
    out += names_of(lvl).tag;
    out += ' ';
    out += message;
    for (const auto& f : fields) {
      out += ' ';
      out += f.name;
      out += '=';
      out += f.value;
    }
    out += '\n';
  }
  emit(out);
}

} // namespace sockjs::log
