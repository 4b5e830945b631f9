#include "sockjs/actors/metrics.hpp"

#include "sockjs/close_codes.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace sockjs::metrics {

namespace detail {

thread_local shard* local_shard = nullptr;

} // namespace detail

namespace {

using detail::shard;

// Shards outlive their threads (their counts stay in the totals); a new
// thread takes one an ended thread left, so there are never more shards
// than threads alive at once.
struct shard_pool {
  std::mutex mutex;
  std::vector<std::unique_ptr<shard>> all;
  std::vector<shard*> free;

  shard* take() {
    std::lock_guard<std::mutex> guard{mutex};
    if (!free.empty()) {
      auto* s = free.back();
      free.pop_back();
      return s;
    }
    all.push_back(std::make_unique<shard>());
    return all.back().get();
  }

  void give_back(shard* s) {
    std::lock_guard<std::mutex> guard{mutex};
    free.push_back(s);
  }
};

shard_pool& pool() {
  static auto* instance = new shard_pool; // outlives every thread's exit
  return *instance;
}

// Gives the thread's shard back when the thread ends.
struct shard_holder {
  ~shard_holder() { pool().give_back(detail::local_shard); }
};

} // namespace

shard& detail::take_shard() {
  thread_local shard_holder holder;
  local_shard = pool().take();
  return *local_shard;
}

std::size_t transport_index(std::string_view name) noexcept {
  for (std::size_t i = 0; i + 1 < transport_names.size(); ++i)
    if (name == transport_names[i]) return i;
  return transport_names.size() - 1;
}

counter closed_with(int code) noexcept {
  switch (code) {
  case close_code::normal:
    return counter::closed_normal;
  case close_code::shutting_down:
    return counter::closed_shutting_down;
  case close_code::interrupted:
    return counter::closed_interrupted;
  case close_code::service_error:
    return counter::closed_service_error;
  case close_code::queue_overflow:
    return counter::closed_queue_overflow;
  default:
    return code >= 3000 && code <= 4999 ? counter::closed_application
                                        : counter::closed_other;
  }
}

void response(unsigned status, std::chrono::microseconds duration) noexcept {
  const auto status_class = std::clamp(status / 100, 1u, 5u) - 1;
  add(counter::responses_1xx, status_class, 1);
  add(counter::request_duration_sum_us,
      static_cast<std::uint64_t>(std::max<std::int64_t>(duration.count(), 0)));
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(duration_bounds_us.begin(), duration_bounds_us.end(),
                       duration.count()) -
      duration_bounds_us.begin());
  add(counter::request_duration_bucket, bucket, 1);
}

snapshot read() {
  snapshot out;
  auto& p = pool();
  std::lock_guard<std::mutex> guard{p.mutex};
  for (const auto& s : p.all)
    for (std::size_t i = 0; i < counter_count; ++i)
      out.values[i] += (*s)[i].load(std::memory_order_relaxed);
  return out;
}

} // namespace sockjs::metrics
