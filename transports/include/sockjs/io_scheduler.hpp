// A CAF scheduler whose workers are I/O threads: each thread runs its own
// Asio io_context, connections are spread over them, and an actor runs on
// the thread that woke it. A connection and its session thus mostly share
// one thread: a message between them is a queue push on the thread already
// running, and a connection needs no strand (its io_context has one thread).
//
// Load it before constructing the actor system:
//
//   cfg.load<sockjs::io_scheduler>();
//   caf::actor_system system{cfg};
//   sockjs::server srv{system, ...}; // serves on the scheduler's threads
//
// `scheduler.max-threads` sets the number of threads. Actors share the
// threads with the sockets: they must not block.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>

#include <cstddef>
#include <memory>

namespace boost::asio {
class io_context;
}

namespace sockjs {

/// The scheduler module: `cfg.load<sockjs::io_scheduler>()`.
class io_scheduler : public caf::scheduler::abstract_coordinator {
public:
  /// What `load<io_scheduler>()` calls.
  static caf::actor_system::module* make(caf::actor_system& system,
                                         caf::detail::type_list<>);

  /// Made by the actor system.
  explicit io_scheduler(caf::actor_system& system);
  ~io_scheduler() override;

  /// The io_contexts, one per thread, in turn: where to put a new
  /// connection.
  boost::asio::io_context& next_context();

  /// Runs `job` on this thread if it is one of ours (after the handlers
  /// already due), on the next one otherwise.
  void enqueue(caf::resumable* job) override;
  /// Timeouts, on a thread of their own.
  caf::actor_clock& clock() noexcept override;

  struct state;

protected:
  /// Starts the threads.
  void start() override;
  /// Stops the threads once every actor is done.
  void stop() override;

private:
  std::unique_ptr<state> state_;
};

/// The scheduler of `system`. Throws std::logic_error when the system was
/// not configured with `load<io_scheduler>()`.
io_scheduler& io_scheduler_of(caf::actor_system& system);

} // namespace sockjs
