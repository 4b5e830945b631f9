#include "sockjs/actors/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace sockjs::log {

namespace {

std::atomic<int> max_level{static_cast<int>(level::info)};

const char* tag(level lvl) {
  switch (lvl) {
  case level::error:
    return "ERROR";
  case level::warning:
    return "WARN ";
  case level::info:
    return "INFO ";
  case level::debug:
    return "DEBUG";
  }
  return "?";
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

void write(level lvl, const std::string& line) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto secs = system_clock::to_time_t(now);
  const auto millis =
      duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::snprintf(stamp, sizeof(stamp), "%02d:%02d:%02d.%03d", tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  std::string out;
  out.reserve(line.size() + 24);
  out += stamp;
  out += ' ';
  out += tag(lvl);
  out += ' ';
  out += line;
  out += '\n';
  // One fwrite per line: stderr is unbuffered, so lines do not interleave.
  std::fwrite(out.data(), 1, out.size(), stderr);
}

} // namespace sockjs::log
