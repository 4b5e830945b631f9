#include "sockjs/io_scheduler.hpp"

#include <boost/asio/defer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <caf/detail/thread_safe_actor_clock.hpp>
#include <caf/execution_unit.hpp>
#include <caf/resumable.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace sockjs {

namespace asio = boost::asio;

namespace {

using work_guard = asio::executor_work_guard<asio::io_context::executor_type>;

// One I/O thread: its io_context, and what CAF calls the execution unit an
// actor runs on.
class worker : public caf::execution_unit {
public:
  worker(caf::actor_system& system, io_scheduler& owner)
      : caf::execution_unit(&system), owner_(owner), io_(1) {}

  /// Called by an actor running here for an actor it woke up: that one runs
  /// on this thread too, after the handlers already due (no wake-up).
  void exec_later(caf::resumable* job) override;

  void run(caf::resumable* job);

  io_scheduler& owner() const { return owner_; }
  asio::io_context& io() { return io_; }

private:
  io_scheduler& owner_;
  asio::io_context io_;
};

thread_local worker* this_thread_worker = nullptr;

// Holds the reference the scheduler was given with a job, so that a job
// dropped by a stopping io_context is released, not leaked.
class job_handler {
public:
  explicit job_handler(caf::resumable* job) : job_(job) {}
  job_handler(job_handler&& other) noexcept
      : job_(std::exchange(other.job_, nullptr)) {}
  job_handler& operator=(job_handler&&) = delete;
  ~job_handler() {
    if (job_) caf::intrusive_ptr_release(job_);
  }

  void operator()() { this_thread_worker->run(std::exchange(job_, nullptr)); }

private:
  caf::resumable* job_;
};

void worker::exec_later(caf::resumable* job) {
  asio::defer(io_, job_handler{job});
}

void worker::run(caf::resumable* job) {
  switch (job->resume(this, owner_.max_throughput())) {
  case caf::resumable::resume_later:
    asio::post(io_, job_handler{job}); // after the others waiting here
    break;
  case caf::resumable::done:
  case caf::resumable::awaiting_message:
    caf::intrusive_ptr_release(job);
    break;
  case caf::resumable::shutdown_execution_unit:
    break;
  }
}

} // namespace

struct io_scheduler::state {
  std::vector<std::unique_ptr<worker>> workers;
  std::vector<work_guard> keep_running;
  std::vector<std::thread> threads;
  std::atomic<std::size_t> next{0};
  caf::detail::thread_safe_actor_clock clock;
  std::thread clock_thread;
};

caf::actor_system::module* io_scheduler::make(caf::actor_system& system,
                                              caf::detail::type_list<>) {
  return new io_scheduler(system);
}

io_scheduler::io_scheduler(caf::actor_system& system)
    : abstract_coordinator(system), state_(std::make_unique<state>()) {}

io_scheduler::~io_scheduler() = default;

asio::io_context& io_scheduler::next_context() {
  auto& workers = state_->workers;
  return workers[state_->next++ % workers.size()]->io();
}

caf::actor_clock& io_scheduler::clock() noexcept {
  return state_->clock;
}

void io_scheduler::enqueue(caf::resumable* job) {
  if (this_thread_worker && &this_thread_worker->owner() == this)
    this_thread_worker->exec_later(job);
  else
    asio::post(next_context(), job_handler{job});
}

void io_scheduler::start() {
  auto& s = *state_;
  for (std::size_t i = 0; i < std::max<std::size_t>(num_workers(), 1); ++i) {
    s.workers.push_back(std::make_unique<worker>(system(), *this));
    s.keep_running.emplace_back(s.workers.back()->io().get_executor());
  }
  for (auto& w : s.workers)
    s.threads.emplace_back([this, unit = w.get()] {
      this_thread_worker = unit;
      system().thread_started();
      unit->io().run();
      system().thread_terminates();
      this_thread_worker = nullptr;
    });
  s.clock_thread = std::thread{[this] {
    system().thread_started();
    state_->clock.run_dispatch_loop();
    system().thread_terminates();
  }};
  abstract_coordinator::start();
}

void io_scheduler::stop() {
  auto& s = *state_;
  stop_actors();
  // Every actor is done (the actor system waits for them before it stops
  // its modules); what may be left are sockets of servers never stopped.
  s.keep_running.clear();
  for (auto& w : s.workers) w->io().stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  s.clock.cancel_dispatch_loop();
  s.clock_thread.join();
}

io_scheduler& io_scheduler_of(caf::actor_system& system) {
  auto* scheduler = dynamic_cast<io_scheduler*>(&system.scheduler());
  if (!scheduler)
    throw std::logic_error("sockjs::server needs its scheduler: call "
                           "cfg.load<sockjs::io_scheduler>() before "
                           "constructing the actor system");
  return *scheduler;
}

} // namespace sockjs
