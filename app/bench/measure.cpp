#include "app/bench/measure.hpp"

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/resource.h>
#include <unistd.h>

namespace sockjs::bench {

void latency_log::add(std::chrono::steady_clock::duration d) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  samples_.push_back(static_cast<std::uint32_t>(std::max<long long>(us, 0)));
  sorted_ = false;
}

std::uint64_t latency_log::percentile(double p) {
  if (samples_.empty()) return 0;
  if (!sorted_) {
    std::sort(samples_.begin(), samples_.end());
    sorted_ = true;
  }
  const auto index =
      static_cast<std::size_t>(p / 100.0 * (samples_.size() - 1));
  return samples_[index];
}

std::uint64_t cpu_us(pid_t pid) {
  if (pid <= 0) return 0;
  std::ifstream in{"/proc/" + std::to_string(pid) + "/stat"};
  std::string stat;
  std::getline(in, stat);
  // Fields after the command name, which may hold spaces: skip past ')'.
  std::istringstream fields{stat.substr(stat.rfind(')') + 2)};
  std::string field;
  std::uint64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  const auto ticks = static_cast<std::uint64_t>(sysconf(_SC_CLK_TCK));
  return (utime + stime) * 1000000 / ticks;
}

namespace {

std::uint64_t status_kb(pid_t pid, const std::string& key) {
  if (pid <= 0) return 0;
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.compare(0, key.size(), key) == 0)
      return std::stoull(line.substr(key.size() + 1));
  return 0;
}

} // namespace

std::uint64_t rss_kb(pid_t pid) {
  return status_kb(pid, "VmRSS");
}

std::uint64_t peak_rss_kb(pid_t pid) {
  return status_kb(pid, "VmHWM");
}

std::uint64_t cpu_us(const std::vector<pid_t>& pids) {
  std::uint64_t sum = 0;
  for (auto pid : pids) sum += cpu_us(pid);
  return sum;
}

std::uint64_t rss_kb(const std::vector<pid_t>& pids) {
  std::uint64_t sum = 0;
  for (auto pid : pids) sum += rss_kb(pid);
  return sum;
}

std::uint64_t raise_fd_limit(std::uint64_t wanted) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_max < wanted) {
    rlimit bigger{wanted, wanted};
    if (setrlimit(RLIMIT_NOFILE, &bigger) == 0) // root may raise the cap
      return wanted;
  }
  limit.rlim_cur = std::min<rlim_t>(std::max<rlim_t>(wanted, limit.rlim_cur),
                                    limit.rlim_max);
  setrlimit(RLIMIT_NOFILE, &limit);
  getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

std::string session_id() {
  static std::mt19937_64 random{std::random_device{}()};
  return std::to_string(random());
}

std::string make_payload(std::uint64_t seq, std::size_t size, bool unicode) {
  std::string out = std::to_string(seq) + ':';
  static const char* const pieces[] = {
      "\xc3\xa9",         "\"", "\\", "\n", "\xe2\x80\xa8",
      "\xf0\x9f\x98\x80", "x",  "<",  "%"};
  std::size_t i = 0;
  while (out.size() < size) {
    if (unicode)
      out += pieces[(seq + i++) % (sizeof(pieces) / sizeof(*pieces))];
    else
      out.push_back(static_cast<char>('a' + (seq + i++) % 26));
  }
  return out;
}

} // namespace sockjs::bench
