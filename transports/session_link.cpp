#include "sockjs/transports/session_link.hpp"

#include "sockjs/actors/atoms.hpp"
#include "sockjs/transports/companion.hpp"

#include <boost/asio/post.hpp>
#include <caf/all.hpp>

#include <utility>

namespace sockjs::transport {

namespace {

// The request id of our own: its response comes back to on_message.
constexpr std::uint64_t open_request = 1;

} // namespace

session_link::session_link(io_executor executor, callbacks on)
    : executor_(std::move(executor)),
      on_(std::make_shared<const callbacks>(std::move(on))) {}

session_link::~session_link() {
  close();
}

std::shared_ptr<session_link>
session_link::open(caf::actor_system& system, io_executor executor,
                   const caf::actor& registry, const std::string& session_id,
                   connection_info info, bool streaming, callbacks on) {
  auto link = make(system, std::move(executor), streaming, std::move(on));
  link->request(
      registry, open_request,
      session_id.empty()
          ? caf::make_message(open_atom::value, std::move(info))
          : caf::make_message(open_atom::value, session_id, std::move(info)));
  return link;
}

std::shared_ptr<session_link>
session_link::attach(caf::actor_system& system, io_executor executor,
                     const caf::actor& session, bool streaming, callbacks on) {
  auto link = make(system, std::move(executor), streaming, std::move(on));
  link->adopt(session);
  return link;
}

std::shared_ptr<session_link> session_link::make(caf::actor_system& system,
                                                 io_executor executor,
                                                 bool streaming, callbacks on) {
  auto link =
      std::make_shared<session_link>(std::move(executor), std::move(on));
  std::weak_ptr<session_link> weak = link;
  // Runs in whichever thread sends to us: copy the message and post it.
  link->self_ = spawn_companion(
      system, [weak, executor = link->executor_](caf::mailbox_element_ptr ptr) {
        // Never lock `weak` here: dropping the last reference in this
        // handler would end the companion from inside its own enqueue
        // (under its lock). The executor decides whether the link lives.
        boost::asio::post(executor, [weak, element = std::move(ptr)]() {
          if (auto link = weak.lock()) link->on_message(*element);
        });
      });
  link->streaming_ = streaming;
  return link;
}

void session_link::adopt(const caf::actor& session) {
  session_ = session;
  companion_of(self_)->monitor(session_);
  caf::send_as(caf::actor_cast<caf::actor>(self_), session_, attach_atom::value,
               caf::actor_cast<caf::actor>(self_), streaming_);
  if (!early_messages_.empty()) deliver(std::exchange(early_messages_, {}));
}

void session_link::request(const caf::actor& dest, std::uint64_t id,
                           caf::message content) {
  dest->enqueue(caf::make_mailbox_element(self_, caf::make_message_id(id), {},
                                          std::move(content)),
                nullptr);
}

void session_link::on_message(caf::mailbox_element& element) {
  // A callback may close the link: keep them alive while one runs.
  auto on = on_;
  if (closed_ || !on) {
    // A probe that came in before the close: this client is done here.
    if (element.mid.is_request() &&
        element.content().match_elements<probe_atom>())
      if (auto sender = caf::actor_cast<caf::actor>(element.sender))
        sender->enqueue(caf::make_mailbox_element(
                            nullptr, element.mid.response_id(), {}, false),
                        nullptr);
    return;
  }
  auto& content = element.content();
  if (element.mid.is_response()) {
    const auto id = element.mid.request_id().integer_value();
    if (id == open_request) {
      if (content.match_elements<caf::actor>()) {
        adopt(content.get_as<caf::actor>(0));
        resume_reading(*on);
      } else if (on->session_gone) {
        on->session_gone(); // the registry refused: shutting down
      }
    }
    return;
  }
  if (content.match_elements<pushed_atom, std::uint32_t>()) {
    pushes_unacked_ -=
        std::min(pushes_unacked_, content.get_as<std::uint32_t>(1));
    resume_reading(*on);
    return;
  }
  if (content.match_elements<frame_atom, std::string, bool>()) {
    auto& frame = content.get_mutable_as<std::string>(1);
    const bool last = content.get_as<bool>(2);
    if (on->frame) on->frame(std::move(frame), last);
  } else if (content.match_elements<probe_atom>()) {
    const bool alive = on->client_alive ? on->client_alive() : true;
    if (auto sender = caf::actor_cast<caf::actor>(element.sender))
      sender->enqueue(caf::make_mailbox_element(
                          self_, element.mid.response_id(), {}, alive),
                      nullptr);
  } else if (content.match_elements<caf::down_msg>()) {
    if (on->session_gone) on->session_gone();
  }
}

void session_link::written() {
  if (!closed_ && session_)
    caf::send_as(caf::actor_cast<caf::actor>(self_), session_,
                 ready_atom::value);
}

void session_link::limit_reached() {
  if (!closed_ && session_)
    caf::send_as(caf::actor_cast<caf::actor>(self_), session_,
                 detach_atom::value);
  close();
}

bool session_link::deliver(std::vector<std::string> messages) {
  if (closed_) return false;
  if (!session_) {
    // The client spoke before the registry answered: hold it until then.
    early_messages_.insert(early_messages_.end(),
                           std::make_move_iterator(messages.begin()),
                           std::make_move_iterator(messages.end()));
    waiting_to_read_ = true;
    return false;
  }
  caf::send_as(caf::actor_cast<caf::actor>(self_), session_, push_atom::value,
               std::move(messages));
  if (++pushes_unacked_ < push_window) return true;
  waiting_to_read_ = true;
  return false;
}

void session_link::resume_reading(const callbacks& on) {
  if (!waiting_to_read_ || !session_ || pushes_unacked_ >= push_window) return;
  waiting_to_read_ = false;
  if (on.delivered) on.delivered();
}

void session_link::close() {
  if (closed_) return;
  closed_ = true;
  // The session keeps a monitor entry, and with it this companion's memory,
  // until told otherwise: a long-polling session would grow by one per poll.
  if (self_ && session_) companion_of(self_)->demonitor(session_);
  // The session sees its receiver go down: after `last` or a detach it has
  // let go already; otherwise this is the client abort of spec §6.7.
  if (self_) terminate_companion(self_);
  // Last: the callbacks may hold the only reference to this link.
  auto callbacks = std::move(on_);
}

} // namespace sockjs::transport
