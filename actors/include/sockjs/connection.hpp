// What a service sees of one SockJS session: the connection handle, the
// facts of the request that opened it, and messages prepared for many.
#pragma once

#include "sockjs/close_codes.hpp"

#include <caf/actor.hpp>
#include <caf/message.hpp>
#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sockjs {

/// Facts about the request that opened a session.
struct connection_info {
  /// The client's address (the proxy's, behind one).
  std::string peer_address;
  /// The client's port.
  std::uint16_t peer_port = 0;
  /// The server's address the request came to.
  std::string local_address;
  /// The server's port.
  std::uint16_t local_port = 0;
  /// Request path, without the query.
  std::string path;
  /// The transport the session was opened with, as sockjs-client names it:
  /// "websocket", "websocket-raw", "xhr-streaming", "xhr-polling",
  /// "eventsource", "htmlfile" or "jsonp-polling".
  std::string transport;
  /// The request headers a service may want, in arrival order: Host,
  /// User-Agent, Accept-Language, Referer, Origin, DNT, Via and the
  /// X-Forwarded-For family (sockjs-node's set), each value at most 1 KiB.
  /// Never `Cookie`: the application must not see credentials meant for the
  /// load balancer.
  std::vector<std::pair<std::string, std::string>> headers;
};

/// CAF serialization: connection_info crosses cluster nodes.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, connection_info& x) {
  return f(caf::meta::type_name("sockjs::connection_info"), x.peer_address,
           x.peer_port, x.local_address, x.local_port, x.path, x.transport,
           x.headers);
}

/// A message quoted once for many sessions (a broadcast): sending it to a
/// session costs no encoding and no copy, as every send shares one CAF
/// message. (Sent to a multiplexed channel, it is quoted for it.)
class prepared_message {
public:
  /// Quotes `payload` once.
  explicit prepared_message(std::string_view payload);

  /// What a session is sent: (send_json_atom, quoted payload).
  const caf::message& message() const { return message_; }
  /// The payload as given.
  const std::string& payload() const { return *payload_; }

private:
  caf::message message_; // (send_json_atom, quoted payload)
  std::shared_ptr<const std::string> payload_;
};

/// What a service sees of one SockJS session (or of a multiplexed channel
/// of one): a cheap, copyable handle that works from any actor, thread or
/// cluster node, like sockjs-erlang's Conn.
class connection {
public:
  /// A handle to no session: send and close do nothing.
  connection() = default;
  /// Made by the session itself.
  connection(caf::actor session, std::uint64_t id,
             std::shared_ptr<const connection_info> info);

  /// Queues `payload` for the client. Dropped silently once the session is
  /// no longer open.
  void send(std::string payload) const;
  /// Queues a message quoted once for many sessions.
  void send(const prepared_message& message) const;

  /// Closes the session with `c[code,"reason"]`. Does nothing unless open.
  void close(int code = close_code::normal,
             std::string reason = std::string{close_reason::normal}) const;

  /// The request that opened the session.
  const connection_info& info() const;

  /// A server-chosen id, unique per process. It is not the client's session
  /// id from the URL, which the protocol keeps from the application.
  std::uint64_t id() const { return id_; }

  /// The session actor, for services that want to watch it. Messages sent
  /// to it that are not SockJS's own reach the service as info events.
  const caf::actor& session() const { return session_; }

  /// For a channel of a multiplexed session (multiplex.hpp), its name;
  /// empty for the session itself. A channel's send and close are the
  /// channel's: `msg,NAME,payload` and `uns,NAME` on the session.
  const std::string& channel() const { return channel_; }

  /// The connection of channel `name` of this session.
  connection channel(std::string name) const;

  /// The same session, and the same channel of it.
  friend bool operator==(const connection& a, const connection& b) {
    return a.session_ == b.session_ && a.channel_ == b.channel_;
  }
  /// Not the same session and channel.
  friend bool operator!=(const connection& a, const connection& b) {
    return !(a == b);
  }
  /// An order, for sets and maps of connections.
  friend bool operator<(const connection& a, const connection& b) {
    return a.session_ < b.session_ ||
           (a.session_ == b.session_ && a.channel_ < b.channel_);
  }

  /// CAF serialization, writing: connections cross cluster nodes.
  template <class Inspector>
  friend typename std::enable_if<Inspector::reads_state,
                                 typename Inspector::result_type>::type
  inspect(Inspector& f, const connection& x) {
    return f(caf::meta::type_name("sockjs::connection"), x.session_, x.id_,
             x.channel_, x.info());
  }

  /// CAF serialization, reading.
  template <class Inspector>
  friend typename std::enable_if<Inspector::writes_state,
                                 typename Inspector::result_type>::type
  inspect(Inspector& f, connection& x) {
    auto info = std::make_shared<connection_info>();
    auto result = f(caf::meta::type_name("sockjs::connection"), x.session_,
                    x.id_, x.channel_, *info);
    x.info_ = std::move(info);
    return result;
  }

private:
  caf::actor session_;
  std::uint64_t id_ = 0;
  std::string channel_;
  std::shared_ptr<const connection_info> info_;
};

} // namespace sockjs
