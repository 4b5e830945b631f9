#include "sockjs/connection.hpp"

#include "sockjs/actors/interfaces.hpp"
#include "sockjs/actors/session.hpp"
#include "sockjs/protocol/json_quote.hpp"

#include <caf/mailbox_element.hpp>
#include <caf/send.hpp>

namespace sockjs {

connection::connection(caf::actor session, std::uint64_t id,
                       std::shared_ptr<const connection_info> info)
    : session_(std::move(session)), id_(id), info_(std::move(info)) {}

connection connection::channel(std::string name) const {
  auto out = *this;
  out.channel_ = std::move(name);
  return out;
}

void connection::send(std::string payload) const {
  if (!session_) return;
  if (!channel_.empty())
    payload = "msg," + channel_ + "," + payload; // websocket-multiplex's
  if (detail::send_inline(session_, payload)) return;
  caf::anon_send(session_, send_atom::value, std::move(payload));
}

prepared_message::prepared_message(std::string_view payload)
    : message_(caf::make_message(send_json_atom::value,
                                 protocol::json_string(payload))),
      payload_(std::make_shared<const std::string>(payload)) {}

void connection::send(const prepared_message& message) const {
  if (!session_) return;
  if (!channel_.empty()) return send(message.payload());
  session_->enqueue(caf::make_mailbox_element(nullptr, caf::make_message_id(),
                                              {}, message.message()),
                    nullptr);
}

void connection::close(int code, std::string reason) const {
  if (!session_) return;
  if (!channel_.empty()) // its multiplex service ends the channel
    caf::anon_send(session_, channel_close_atom::value, channel_);
  else
    caf::anon_send(session_, close_atom::value, code, std::move(reason));
}

const connection_info& connection::info() const {
  static const connection_info empty;
  return info_ ? *info_ : empty;
}

} // namespace sockjs
