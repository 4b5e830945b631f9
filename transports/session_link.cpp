#include "sockjs/transports/session_link.hpp"

#include "sockjs/actors/registry.hpp"
#include "sockjs/close_codes.hpp"
#include "sockjs/protocol/frames.hpp"

#include <boost/asio/post.hpp>
#include <caf/all.hpp>

#include <utility>

namespace sockjs::transport {

namespace {

// The number of our one request, open: its answer is the session.
constexpr std::uint64_t open_request = 1;

} // namespace

session_link::session_link(io_executor executor, callbacks on)
    : executor_(std::move(executor)),
      on_(std::make_shared<const callbacks>(std::move(on))) {}

session_link::~session_link() {
  close();
}

std::shared_ptr<session_link>
session_link::open_websocket(caf::actor_system& system, io_executor executor,
                             const registry_actor& registry,
                             connection_info info, callbacks on) {
  auto link = make(system, std::move(executor), receiver_kind::websocket,
                   std::move(on));
  request_as(link->self_, registry, open_request, open_atom::value,
             std::move(info));
  return link;
}

std::shared_ptr<session_link> session_link::attach(caf::actor_system& system,
                                                   io_executor executor,
                                                   const session_actor& session,
                                                   bool streaming,
                                                   callbacks on) {
  auto link =
      make(system, std::move(executor),
           streaming ? receiver_kind::streaming : receiver_kind::polling,
           std::move(on));
  link->adopt(session);
  return link;
}

std::shared_ptr<session_link> session_link::make(caf::actor_system& system,
                                                 io_executor executor,
                                                 receiver_kind takes,
                                                 callbacks on) {
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
  link->takes_ = takes;
  link->self()->become(link->receiver_behavior());
  return link;
}

companion* session_link::self() const {
  return companion_of(self_);
}

caf::behavior session_link::receiver_behavior() {
  // Handlers run inside on_message, on our executor, while the link lives.
  return {
      [this](frame_atom, protocol::frame& frame, bool last) {
        last_in_hand_ = last;
        if (auto on = on_; on && on->frame) on->frame(frame, last);
      },
      [this](probe_atom) {
        auto on = on_;
        return on && on->client_alive ? on->client_alive() : true;
      },
      [this](pushed_atom, std::uint32_t count) {
        pushes_unacked_ -= std::min(pushes_unacked_, count);
        resume_reading();
      },
      [this](caf::down_msg&) { // the session's
        if (auto on = on_; on && on->session_gone) on->session_gone();
      },
  };
}

void session_link::on_session(caf::message& response) {
  if (response.match_elements<session_actor>()) {
    adopt(response.get_as<session_actor>(0));
    resume_reading();
    return;
  }
  auto on = on_;
  if (!on) return;
  if (response.match_elements<caf::error>() &&
      response.get_as<caf::error>(0) ==
          make_error(registry_error::too_many_sessions)) {
    // Refused: the client hears why, as the session's only frame.
    auto refusal = protocol::frame::close(close_code::too_many_sessions,
                                          close_reason::too_many_sessions);
    on->frame(refusal, true);
  } else if (on->session_gone) {
    // Not to be had: the server stops, or its cluster node is gone.
    on->session_gone();
  }
}

void session_link::adopt(const session_actor& session) {
  session_ = session;
  self()->monitor(session_.address());
  caf::send_as(caf::actor_cast<caf::actor>(self_), session_, attach_atom::value,
               caf::actor_cast<receiver_actor>(self_), takes_);
  if (!early_messages_.empty()) deliver(std::exchange(early_messages_, {}));
}

void session_link::on_message(caf::mailbox_element& element) {
  if (closed_) {
    // A probe that came in before the close: this client is done here.
    if (element.mid.is_request() &&
        element.content().match_elements<probe_atom>())
      if (auto sender = caf::actor_cast<caf::actor>(element.sender))
        sender->enqueue(caf::make_mailbox_element(
                            nullptr, element.mid.response_id(), {}, false),
                        nullptr);
    return;
  }
  // A callback may close the link: keep it alive while one runs.
  auto keep = shared_from_this();
  if (element.mid.is_response()) {
    auto response = element.move_content_to_message();
    on_session(response); // our one request: open_websocket
    return;
  }
  self()->activate(element);
}

void session_link::written(std::uint32_t frames) {
  if (closed_ || !session_) return;
  frames_unacked_ += frames;
  const auto ack_every =
      takes_ == receiver_kind::websocket ? frame_ack_every : 1;
  // Once the last frame has come, the session waits for every one to be
  // written: each is acknowledged at once.
  if (frames_unacked_ < ack_every && !last_in_hand_) return;
  caf::send_as(caf::actor_cast<caf::actor>(self_), session_, ready_atom::value,
               std::exchange(frames_unacked_, 0));
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
    // The client spoke before the locator answered: hold it until then.
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

void session_link::resume_reading() {
  auto on = on_;
  if (!on || !waiting_to_read_ || !session_ || pushes_unacked_ >= push_window)
    return;
  waiting_to_read_ = false;
  if (on->delivered) on->delivered();
}

void session_link::close() {
  if (closed_) return;
  closed_ = true;
  // The session keeps a monitor entry, and with it this companion's memory,
  // until told otherwise: a long-polling session would grow by one per poll.
  if (self_ && session_) self()->demonitor(session_.address());
  // The session sees its receiver go down: after `last` or a detach it has
  // let go already; otherwise this is the client abort of spec §6.7.
  if (self_) self()->quit();
  // Last: the callbacks may hold the only reference to this link.
  auto callbacks = std::move(on_);
}

} // namespace sockjs::transport
