#include "transports/io_requester.hpp"

#include "transports/companion.hpp"

#include <boost/asio/post.hpp>
#include <caf/all.hpp>

#include <optional>

namespace sockjs::transport {

namespace {

// Request numbers live in the low bits of a message id.
constexpr std::uint64_t request_number_mask = (std::uint64_t{1} << 60) - 1;

} // namespace

io_requester::io_requester(caf::actor_system& system) {
  self_ = spawn_companion<caf::hidden>(
      system, [this](caf::mailbox_element_ptr ptr) {
        if (!ptr->mid.is_response()) return;
        std::optional<pending> waiting;
        {
          std::lock_guard<std::mutex> guard{mutex_};
          auto i = pending_.find(ptr->mid.request_id().integer_value() &
                                 request_number_mask);
          if (i == pending_.end()) return;
          waiting.emplace(std::move(i->second));
          pending_.erase(i);
        }
        boost::asio::post(waiting->executor,
                          [reply = ptr->move_content_to_message(),
                           on_reply = std::move(waiting->on_reply)]() mutable {
                            on_reply(reply);
                          });
      });
}

io_requester::~io_requester() {
  terminate_companion(self_);
}

void io_requester::request(const caf::actor& dest, caf::message content,
                           io_executor executor,
                           std::function<void(caf::message&)> on_reply) {
  std::uint64_t id;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    id = next_id_++ & request_number_mask;
    if (id == 0) id = next_id_++;
    pending_.emplace(id, pending{std::move(executor), std::move(on_reply)});
  }
  dest->enqueue(caf::make_mailbox_element(self_, caf::make_message_id(id), {},
                                          std::move(content)),
                nullptr);
}

} // namespace sockjs::transport
