// What sockjs-bench measures: latencies, and the server process's CPU time
// and memory, read from /proc.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace sockjs::bench {

/// Round-trip times in microseconds; percentiles on demand.
class latency_log {
public:
  void add(std::chrono::steady_clock::duration d);
  std::uint64_t percentile(double p); // 0 when empty
  std::size_t size() const { return samples_.size(); }

private:
  std::vector<std::uint32_t> samples_;
  bool sorted_ = true;
};

/// User plus system CPU time of a process, in microseconds (0 without pid).
std::uint64_t cpu_us(pid_t pid);

/// Resident memory of a process in KiB: current (VmRSS) and peak (VmHWM).
std::uint64_t rss_kb(pid_t pid);
std::uint64_t peak_rss_kb(pid_t pid);

/// The same, summed over several processes (a cluster's nodes).
std::uint64_t cpu_us(const std::vector<pid_t>& pids);
std::uint64_t rss_kb(const std::vector<pid_t>& pids);

/// Raises this process's open-file limit as far as it goes; returns it.
std::uint64_t raise_fd_limit(std::uint64_t wanted);

/// A fresh random session id for a SockJS URL.
std::string session_id();

/// A payload of `size` bytes for message `seq`: ASCII, or mixed unicode
/// that exercises SockJS escaping (quotes, controls, U+2028, astral).
std::string make_payload(std::uint64_t seq, std::size_t size, bool unicode);

} // namespace sockjs::bench
