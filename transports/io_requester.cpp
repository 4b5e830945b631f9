#include "sockjs/transports/io_requester.hpp"

#include "sockjs/transports/companion.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <caf/all.hpp>

#include <mutex>
#include <unordered_map>

namespace sockjs::transport {

namespace {

// Request numbers live in the low bits of a message id.
constexpr std::uint64_t request_number_mask = (std::uint64_t{1} << 60) - 1;

} // namespace

struct io_requester::state {
  struct pending {
    io_executor executor;
    std::function<void(caf::message&)> on_reply;
    std::shared_ptr<boost::asio::steady_timer> deadline; // or none
  };

  std::mutex mutex;
  std::uint64_t next_id = 1;
  std::unordered_map<std::uint64_t, pending> waiting;

  std::optional<pending> take(std::uint64_t id) {
    std::lock_guard<std::mutex> guard{mutex};
    auto i = waiting.find(id);
    if (i == waiting.end()) return std::nullopt;
    auto result = std::move(i->second);
    waiting.erase(i);
    return result;
  }

  // Runs `p`'s callback on its executor with `reply`.
  static void answer(pending p, caf::message reply) {
    boost::asio::post(p.executor, [reply = std::move(reply),
                                   on_reply = std::move(p.on_reply),
                                   deadline = std::move(p.deadline)]() mutable {
      if (deadline) deadline->cancel();
      on_reply(reply);
    });
  }
};

io_requester::io_requester(caf::actor_system& system)
    : state_(std::make_shared<state>()) {
  self_ = spawn_companion(system, [st = state_](caf::mailbox_element_ptr ptr) {
    if (!ptr->mid.is_response()) return;
    if (auto p = st->take(ptr->mid.request_id().integer_value() &
                          request_number_mask))
      state::answer(std::move(*p), ptr->move_content_to_message());
  });
}

io_requester::~io_requester() {
  companion_of(self_)->quit();
}

void io_requester::send_request(
    const caf::strong_actor_ptr& dest, caf::message content,
    std::optional<std::chrono::milliseconds> timeout, io_executor executor,
    reply_handler on_reply) {
  std::shared_ptr<boost::asio::steady_timer> deadline;
  if (timeout)
    deadline = std::make_shared<boost::asio::steady_timer>(executor, *timeout);
  std::uint64_t id;
  {
    std::lock_guard<std::mutex> guard{state_->mutex};
    id = state_->next_id++ & request_number_mask;
    if (id == 0) id = state_->next_id++;
    state_->waiting.emplace(
        id, state::pending{executor, std::move(on_reply), deadline});
  }
  if (deadline)
    deadline->async_wait([st = state_, id](boost::system::error_code ec) {
      if (ec) return; // answered
      if (auto p = st->take(id)) {
        p->deadline.reset();
        auto reply =
            caf::make_message(caf::make_error(caf::sec::request_timeout));
        p->on_reply(reply);
      }
    });
  dest->enqueue(caf::make_mailbox_element(self_, caf::make_message_id(id), {},
                                          std::move(content)),
                nullptr);
}

} // namespace sockjs::transport
