// The open connections of one server: stop() closes them (the I/O threads
// belong to the actor system and outlive a server), and past
// max_connections a new one takes the place of the oldest connection still
// waiting for a request head, or is refused.
#pragma once

#include "sockjs/transports/io_types.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace sockjs::transport {

class connection_registry
    : public std::enable_shared_from_this<connection_registry> {
  struct entry;

public:
  /// A connection's place in the registry, from accept to close; an
  /// upgrade to a websocket keeps it.
  class membership {
  public:
    membership() = default;
    membership(membership&& other) noexcept { *this = std::move(other); }
    membership& operator=(membership&& other) noexcept {
      leave();
      registry_ = std::move(other.registry_);
      id_ = other.id_;
      entry_ = std::exchange(other.entry_, nullptr);
      return *this;
    }
    ~membership() { leave(); }

    explicit operator bool() const { return registry_ != nullptr; }

    /// What stop() (or shedding) runs, on the connection's executor, to
    /// close it.
    void on_close(std::function<void()> close);

    /// Whether the connection waits for a request head: such a connection
    /// may be shed for a new one.
    void waiting_for_request(bool waiting);

    /// The connection is closed: it no longer counts, even while pending
    /// handlers still hold it.
    void leave();

  private:
    friend class connection_registry;

    std::shared_ptr<connection_registry> registry_;
    std::uint64_t id_ = 0;
    entry* entry_ = nullptr; // stable: unordered_map nodes do not move
  };

  /// Counts since the server started, for monitoring.
  struct counts {
    std::size_t open = 0;
    std::uint64_t refused = 0;
    std::uint64_t shed = 0;
  };

  /// `max_connections` 0: no limit.
  explicit connection_registry(std::size_t max_connections = 0)
      : max_connections_(max_connections) {}

  /// A place for a connection just accepted: when the server is full, the
  /// oldest connection waiting for a request head is closed to make room;
  /// with none, an empty membership (refused).
  membership admit(io_executor executor);

  /// Posts every connection's close, then waits until all are gone or
  /// `deadline` passes. Returns how many are left.
  std::size_t close_all(std::chrono::steady_clock::time_point deadline);

  counts snapshot() const;

private:
  struct entry {
    explicit entry(io_executor ex) : executor(std::move(ex)) {}
    io_executor executor;
    std::function<void()> close;
    // steady_clock ticks since the wait began; 0: busy; -1: being shed.
    std::atomic<std::int64_t> waiting_since{0};
  };

  bool shed_oldest_waiting();
  void remove(std::uint64_t id);

  const std::size_t max_connections_;
  mutable std::mutex mutex_;
  std::condition_variable emptied_;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, entry> entries_;
  std::uint64_t refused_ = 0;
  std::uint64_t shed_ = 0;
  std::size_t leaving_ = 0;  // shed, not yet closed
  bool closing_all_ = false; // close_all ran: who comes later goes at once
};

} // namespace sockjs::transport
