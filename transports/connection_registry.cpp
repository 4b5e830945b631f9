#include "sockjs/transports/connection_registry.hpp"

#include "sockjs/actors/log.hpp"

#include <boost/asio/post.hpp>

namespace sockjs::transport {

namespace {

log::throttle refusal_lines;
log::throttle shedding_lines;

} // namespace

void connection_registry::membership::on_close(std::function<void()> close) {
  if (!registry_) return;
  std::lock_guard<std::mutex> guard{registry_->mutex_};
  entry_->close = std::move(close);
  // Shed, or the server stopping, before it started: it goes now.
  if (entry_->waiting_since.load(std::memory_order_relaxed) == -1 ||
      registry_->closing_all_)
    boost::asio::post(entry_->executor, entry_->close);
}

void connection_registry::membership::waiting_for_request(bool waiting) {
  // Without a limit nothing is ever shed: no clock read per request.
  if (!entry_ || registry_->max_connections_ == 0) return;
  const std::int64_t since =
      waiting ? std::chrono::steady_clock::now().time_since_epoch().count() : 0;
  // One being shed stays so: its close is on the way.
  auto current = entry_->waiting_since.load(std::memory_order_relaxed);
  while (current != -1 && !entry_->waiting_since.compare_exchange_weak(
                              current, since, std::memory_order_relaxed)) {
  }
}

void connection_registry::membership::leave() {
  if (registry_) registry_->remove(id_);
  registry_.reset();
  entry_ = nullptr;
}

connection_registry::membership
connection_registry::admit(io_executor executor) {
  std::lock_guard<std::mutex> guard{mutex_};
  // Those being shed are on their way out: they leave room already.
  if (max_connections_ != 0 && entries_.size() - leaving_ >= max_connections_ &&
      !shed_oldest_waiting()) {
    ++refused_;
    if (std::uint64_t more = 0; refusal_lines.allow(more))
      log::warning("max-connections (", max_connections_,
                   ") reached, none waiting to shed: refused a connection "
                   "(and ",
                   more, " since the last)");
    return {};
  }
  membership member;
  member.registry_ = shared_from_this();
  member.id_ = next_id_++;
  member.entry_ =
      &entries_.try_emplace(member.id_, std::move(executor)).first->second;
  member.waiting_for_request(true); // none has come yet
  return member;
}

bool connection_registry::shed_oldest_waiting() {
  // Only when full, so a scan is fine: the oldest idle or trickling
  // connection goes, which is what slowloris holds.
  entry* oldest = nullptr;
  std::int64_t oldest_since = 0;
  for (auto& [id, e] : entries_) {
    const auto since = e.waiting_since.load(std::memory_order_relaxed);
    if (since > 0 && (!oldest || since < oldest_since)) {
      oldest = &e;
      oldest_since = since;
    }
  }
  if (!oldest ||
      !oldest->waiting_since.compare_exchange_strong(oldest_since, -1))
    return false;
  ++shed_;
  ++leaving_;
  if (oldest->close) boost::asio::post(oldest->executor, oldest->close);
  if (std::uint64_t more = 0; shedding_lines.allow(more))
    log::warning("max-connections (", max_connections_,
                 ") reached: closed the oldest connection waiting for a "
                 "request (and ",
                 more, " more since the last)");
  return true;
}

void connection_registry::remove(std::uint64_t id) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (auto i = entries_.find(id); i != entries_.end()) {
    if (i->second.waiting_since.load(std::memory_order_relaxed) == -1)
      --leaving_;
    entries_.erase(i);
  }
  if (entries_.empty()) emptied_.notify_all();
}

std::size_t
connection_registry::close_all(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> guard{mutex_};
  // Those accepted but not started yet have no close: they get it when
  // they start (on_close).
  closing_all_ = true;
  for (auto& [id, e] : entries_)
    if (e.close) boost::asio::post(e.executor, e.close);
  emptied_.wait_until(guard, deadline, [this] { return entries_.empty(); });
  return entries_.size();
}

connection_registry::counts connection_registry::snapshot() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return {entries_.size(), refused_, shed_};
}

} // namespace sockjs::transport
