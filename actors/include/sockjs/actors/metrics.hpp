// Process-wide counters for monitoring (/metrics). Each thread adds to a
// shard of its own, so counting is a thread-local add: no lock, no shared
// cache line on the hot path. A scrape sums the shards.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sockjs::metrics {

/// Request durations are counted in buckets up to these bounds (µs), as a
/// Prometheus histogram; the last bucket is +Inf.
inline constexpr std::array<std::int64_t, 9> duration_bounds_us{
    1'000,   5'000,     10'000,    50'000,    100'000,
    500'000, 1'000'000, 5'000'000, 30'000'000};

/// The transports sessions are opened with, as connection_info names them;
/// a session with another name counts as the last, "other".
inline constexpr std::array<const char*, 8> transport_names{
    "websocket",   "websocket-raw", "xhr-streaming", "xhr-polling",
    "eventsource", "htmlfile",      "jsonp-polling", "other"};

/// The index of `name` in transport_names.
std::size_t transport_index(std::string_view name) noexcept;

enum class counter : std::size_t {
  sessions_opened,
  // Sessions ended, by how: their close code, or expiry (no receiver for
  // the disconnect delay).
  closed_normal,        // 1000
  closed_shutting_down, // 1001
  closed_interrupted,   // 1002
  closed_service_error, // 1011
  closed_queue_overflow,
  closed_application, // 3000-4999
  closed_other,
  sessions_expired,
  messages_in,
  bytes_in,
  messages_out,
  bytes_out,
  responses_1xx,
  responses_2xx,
  responses_3xx,
  responses_4xx,
  responses_5xx,
  request_duration_sum_us,
  // One per bound of duration_bounds_us, then +Inf; not cumulative here.
  request_duration_bucket,
  // Sessions opened and ended, one counter per transport_names entry: the
  // difference is how many are open.
  opened_by_transport = request_duration_bucket + duration_bounds_us.size() + 1,
  ended_by_transport = opened_by_transport + transport_names.size(),
  count_ = ended_by_transport + transport_names.size(),
};

inline constexpr std::size_t counter_count =
    static_cast<std::size_t>(counter::count_);

namespace detail {

// One thread writes a shard at a time; a scrape reads it concurrently,
// hence relaxed atomics (a plain load and store on x86).
using shard = std::array<std::atomic<std::uint64_t>, counter_count>;

// This thread's shard, once it has counted anything: a plain pointer, so
// that reading it is one thread-local load.
extern thread_local shard* local_shard;

shard& take_shard();

inline void bump(std::size_t index, std::uint64_t n) noexcept {
  auto* mine = local_shard;
  auto& value = (mine != nullptr ? *mine : take_shard())[index];
  value.store(value.load(std::memory_order_relaxed) + n,
              std::memory_order_relaxed);
}

} // namespace detail

/// Adds `n` to this thread's share of `c`.
inline void add(counter c, std::uint64_t n = 1) noexcept {
  detail::bump(static_cast<std::size_t>(c), n);
}

/// Adds to the counter at `c` + `offset` (a histogram bucket).
inline void add(counter c, std::size_t offset, std::uint64_t n) noexcept {
  detail::bump(static_cast<std::size_t>(c) + offset, n);
}

/// The counter a session ending with close code `code` counts in.
counter closed_with(int code) noexcept;

/// Counts one HTTP response (a websocket upgrade: 101) and its duration.
void response(unsigned status, std::chrono::microseconds duration) noexcept;

/// Every counter summed over all threads, those ended included.
struct snapshot {
  std::array<std::uint64_t, counter_count> values{};
  std::uint64_t operator[](counter c) const {
    return values[static_cast<std::size_t>(c)];
  }
};
snapshot read();

} // namespace sockjs::metrics
