#include "sockjs/transports/connection_registry.hpp"

#include <boost/asio/post.hpp>

#include <vector>

namespace sockjs::transport {

connection_registry::membership
connection_registry::add(io_executor executor, std::function<void()> close) {
  std::lock_guard<std::mutex> guard{mutex_};
  const auto id = next_id_++;
  entries_.emplace(id, entry{std::move(executor), std::move(close)});
  return membership{shared_from_this(), id};
}

void connection_registry::remove(std::uint64_t id) {
  std::lock_guard<std::mutex> guard{mutex_};
  entries_.erase(id);
  if (entries_.empty()) emptied_.notify_all();
}

std::size_t
connection_registry::close_all(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> guard{mutex_};
  for (auto& [id, e] : entries_) boost::asio::post(e.executor, e.close);
  emptied_.wait_until(guard, deadline, [this] { return entries_.empty(); });
  return entries_.size();
}

} // namespace sockjs::transport
