// The open connections of one server, so that stop() can close them: the
// I/O threads belong to the actor system and outlive a server.
#pragma once

#include "sockjs/transports/io_types.hpp"

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
public:
  /// A connection's place in the registry, for as long as it lives.
  class membership {
  public:
    membership() = default;
    membership(std::shared_ptr<connection_registry> registry, std::uint64_t id)
        : registry_(std::move(registry)), id_(id) {}
    membership(membership&&) = default;
    membership& operator=(membership&& other) {
      leave();
      registry_ = std::move(other.registry_);
      id_ = other.id_;
      return *this;
    }
    ~membership() { leave(); }

  private:
    void leave() {
      if (registry_) registry_->remove(id_);
      registry_.reset();
    }

    std::shared_ptr<connection_registry> registry_;
    std::uint64_t id_ = 0;
  };

  /// Registers a connection: at stop, `close` runs on `executor`.
  membership add(io_executor executor, std::function<void()> close);

  /// Posts every connection's close, then waits until all are gone or
  /// `deadline` passes. Returns how many are left.
  std::size_t close_all(std::chrono::steady_clock::time_point deadline);

private:
  struct entry {
    io_executor executor;
    std::function<void()> close;
  };

  void remove(std::uint64_t id);

  std::mutex mutex_;
  std::condition_variable emptied_;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, entry> entries_;
};

} // namespace sockjs::transport
