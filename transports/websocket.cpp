// SockJS over RFC 6455 websockets (spec §7.1) and the raw websocket route
// (spec §7.9): the handshake, then frames read by protocol::websocket_reader
// and written with protocol::frame_head, over the connection's byte_stream.
// Hixie-76 requests are handed to hixie76.cpp.
#include "sockjs/actors/log.hpp"
#include "sockjs/protocol/frames.hpp"
#include "sockjs/protocol/payload.hpp"
#include "sockjs/protocol/rfc6455.hpp"
#include "sockjs/protocol/text.hpp"
#include "sockjs/server.hpp"
#include "sockjs/transports/connection_registry.hpp"
#include "sockjs/transports/handlers.hpp"
#include "sockjs/transports/hixie76.hpp"
#include "sockjs/transports/session_link.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/role.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <openssl/evp.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sockjs::transport {

namespace beast = boost::beast;
namespace asio = boost::asio;

namespace {

enum class framing { sockjs, raw };

// A client may send oversized messages on purpose: one line a second.
log::throttle too_big_lines;

// Reads wait on a buffer this small inside the connection, so that an idle
// one holds no heap buffer; after a read that fills it, reads go to a large
// one until the traffic stops.
constexpr std::size_t small_read = 128;
constexpr std::size_t large_read = 16 * 1024;

class websocket_connection
    : public std::enable_shared_from_this<websocket_connection> {
public:
  websocket_connection(byte_stream stream, framing mode,
                       const server_config& config)
      : stream_(std::move(stream)), mode_(mode),
        reader_(config.max_websocket_message_bytes),
        close_timeout_(config.websocket_close_timeout) {}

  // Writes the 101 (`head`), then speaks RFC 6455 for the session.
  void start(std::string head, caf::actor_system& system,
             connection_registry::membership membership,
             const registry_actor& registry, connection_info info) {
    membership_ = std::move(membership);
    membership_.on_close([weak = weak_from_this()] {
      if (auto self = weak.lock()) self->client_gone();
    });
    enqueue({std::nullopt, std::move(head), 0});
    // The callbacks keep the connection alive until link_->close().
    auto conn_ptr = shared_from_this();
    session_link::callbacks on;
    on.frame = [conn = conn_ptr](protocol::frame& frame, bool last) {
      conn->on_frame(frame, last);
    };
    on.delivered = [conn = conn_ptr] { conn->read_next(); };
    on.session_gone = [conn = conn_ptr] {
      conn->close(close_going_away, "Session gone");
    };
    link_ =
        session_link::open_websocket(system, stream_.get_executor(), registry,
                                     std::move(info), std::move(on));
    read_next();
  }

private:
  static constexpr std::uint16_t close_normal = 1000;
  static constexpr std::uint16_t close_going_away = 1001;

  struct outgoing {
    std::optional<protocol::opcode> op; // none: bytes as they are (the 101)
    std::string payload;
    std::uint32_t frames = 0; // the session's frames it completes
  };

  void on_frame(protocol::frame& frame, bool last) {
    // Every frame is reported written, the last one too.
    if (mode_ == framing::sockjs) {
      // Message frames that come while another waits leave with it, as one
      // a[...]: one websocket message and one write for them all.
      if (!outbox_.empty() && outbox_.back().op == protocol::opcode::text &&
          protocol::join_messages(outbox_.back().payload, frame))
        ++outbox_.back().frames;
      else
        enqueue(
            {protocol::opcode::text, protocol::encode(std::move(frame)), 1});
      if (last) // spec §7.1: the c frame, then a close, then TCP close
        close(close_normal, "Normal closure");
      return;
    }
    // Raw websocket: no SockJS framing reaches the client.
    switch (frame.kind) {
    case protocol::frame_kind::open:
    case protocol::frame_kind::invalid:
      link_->written();
      break;
    case protocol::frame_kind::heartbeat:
      enqueue({protocol::opcode::ping, {}, 1});
      break;
    case protocol::frame_kind::messages: {
      auto messages = protocol::split_messages(frame.messages);
      for (std::size_t i = 0; i < messages.size(); ++i)
        enqueue({protocol::opcode::text, std::move(messages[i]),
                 i + 1 == messages.size() ? 1u : 0u});
      if (messages.empty()) link_->written();
      break;
    }
    case protocol::frame_kind::close:
      link_->written(); // it becomes the websocket close
      close(static_cast<std::uint16_t>(frame.code), frame.reason);
      break;
    }
  }

  void enqueue(outgoing out) {
    if (close_queued_ || shut_) return;
    outbox_.push_back(std::move(out));
    write_next();
  }

  void write_next() {
    if (writing_ || outbox_.empty() || shut_) return;
    writing_ = true;
    // The write reads from in_flight_ until it completes: an element of
    // outbox_ would move when a later enqueue grows the vector.
    in_flight_ = std::move(outbox_.front());
    outbox_.erase(outbox_.begin());
    if (in_flight_.op)
      head_ = protocol::frame_head{*in_flight_.op, in_flight_.payload.size()};
    const auto head = in_flight_.op ? head_.bytes() : std::string_view{};
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(head.data(), head.size()),
        asio::buffer(in_flight_.payload)};
    asio::async_write(
        stream_, buffers,
        [self = shared_from_this()](beast::error_code ec, std::size_t) {
          self->writing_ = false;
          if (ec) return self->client_gone();
          const auto frames = self->in_flight_.frames;
          const bool was_close = self->in_flight_.op == protocol::opcode::close;
          self->in_flight_ = {};
          if (frames > 0 && self->link_) self->link_->written(frames);
          if (was_close) return self->close_written();
          self->write_next();
        });
  }

  // Ours: the close frame, then (§7.1.1) the client's, then TCP close.
  void close(std::uint16_t code, std::string_view reason) {
    if (close_queued_ || shut_) return;
    outbox_.push_back({protocol::opcode::close,
                       code == protocol::close_no_status
                           ? std::string{}
                           : protocol::close_payload(code, reason),
                       0});
    close_queued_ = true;
    // Bounds the whole close: behind a write to a client that does not
    // read, or waiting for a close frame that never comes.
    auto done = std::make_shared<bool>(false);
    closed_in_time_ = done;
    drop_unless_done(
        stream_.get_executor(), std::move(done),
        [weak = weak_from_this()] {
          if (auto self = weak.lock()) self->client_gone();
        },
        close_timeout_);
    write_next();
  }

  void close_written() {
    // The frames before it are acknowledged: the session may go.
    if (link_) link_->close(); // also releases this connection's callbacks
    close_sent_ = true;
    if (failing_ || close_received_) return end_tcp();
    read_next(); // for the client's close frame
  }

  // §7.1.7: a client that breaks the protocol gets a close frame with the
  // code for it, and the connection ends without waiting for its reply.
  void fail(std::uint16_t code) {
    if (code == 1009)
      if (std::uint64_t more = 0; too_big_lines.allow(more))
        log::warning("websocket message over the size limit; closed 1009 "
                     "(and ",
                     more, " since the last)");
    if (link_) link_->close(); // an abort for the session (spec §6.7)
    failing_ = true;
    close(code, {});
  }

  void read_next() {
    if (reading_ || shut_ || failing_) return;
    reading_ = true;
    auto space = large_ ? asio::mutable_buffer{large_.get(), large_read}
                        : asio::mutable_buffer{small_.data(), small_.size()};
    stream_.async_read_some(space, [self = shared_from_this(), space](
                                       beast::error_code ec, std::size_t n) {
      self->reading_ = false;
      if (ec) return self->client_gone();
      std::unique_ptr<char[]> spent; // freed once its bytes are read
      if (n == space.size() && !self->large_)
        self->large_ = std::make_unique<char[]>(large_read);
      else if (n < small_read)
        spent = std::move(self->large_);
      self->on_bytes({static_cast<const char*>(space.data()), n});
    });
  }

  void on_bytes(std::string_view bytes) {
    std::vector<std::string> messages;
    for (;;) {
      auto e = reader_.read(bytes);
      using kind = protocol::websocket_reader::event_kind;
      switch (e.kind) {
      case kind::need_more:
        if (!messages.empty() && !deliver(std::move(messages)))
          return; // on.delivered reads on once the session has caught up
        return read_next();
      case kind::message:
        if (!take_message(std::move(e.payload), messages)) return;
        break;
      case kind::ping:
        pong(std::move(e.payload));
        break;
      case kind::pong:
        break;
      case kind::close:
        deliver(std::move(messages));
        return on_client_close(e.code);
      case kind::fail:
        deliver(std::move(messages));
        return fail(e.code);
      }
    }
  }

  // §5.5.3: a pong answers the latest ping only. So a client that sends
  // pings and reads nothing holds one waiting pong, not one per ping.
  void pong(std::string payload) {
    for (auto& out : outbox_)
      if (out.op == protocol::opcode::pong) {
        out.payload = std::move(payload);
        return;
      }
    enqueue({protocol::opcode::pong, std::move(payload), 0});
  }

  // Adds a client message's contents to `messages`; false if it ended the
  // connection.
  bool take_message(std::string text, std::vector<std::string>& messages) {
    if (close_queued_) return true; // closing: read only for the close
    if (mode_ == framing::raw) {
      messages.push_back(std::move(text));
      return true;
    }
    auto decoded = protocol::decode_websocket_payload(text);
    if (!decoded.ok()) {
      // Spec §7.1: broken JSON kills the connection (and the session).
      if (link_) link_->close();
      close(3000, "Broken framing.");
      return false;
    }
    // Empty frames and [] are ignored. Mostly one message a read: its
    // vector is taken as it is.
    if (messages.empty())
      messages = std::move(decoded.messages);
    else
      messages.insert(messages.end(),
                      std::make_move_iterator(decoded.messages.begin()),
                      std::make_move_iterator(decoded.messages.end()));
    return true;
  }

  // Whether reading may go on at once.
  bool deliver(std::vector<std::string> messages) {
    if (messages.empty() || !link_ || close_queued_) return true;
    return link_->deliver(std::move(messages));
  }

  void on_client_close(std::uint16_t code) {
    close_received_ = true;
    if (close_sent_) return end_tcp();
    // The client closes: the session ends with it (an abort, spec §6.7).
    // Ours answers it (§5.5.1: with its code), unless ours is out already;
    // no other is awaited then.
    if (link_) link_->close();
    failing_ = true;
    close(code, {});
  }

  // After the closing handshake: TLS close_notify, then TCP.
  void end_tcp() {
    if (shut_) return;
    shut_ = true;
    if (link_) link_->close();
    // Still bounded by close()'s timer: a client may never end its side.
    async_teardown(beast::role_type::server, stream_,
                   [self = shared_from_this()](beast::error_code) {
                     if (self->closed_in_time_) *self->closed_in_time_ = true;
                     self->stream_.tcp().close();
                     self->membership_.leave();
                   });
  }

  void client_gone() {
    if (link_) link_->close();
    shut_ = true;
    if (closed_in_time_) *closed_in_time_ = true;
    beast::error_code ignored;
    stream_.tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.tcp().close();
    membership_.leave();
  }

  byte_stream stream_;
  framing mode_;
  protocol::websocket_reader reader_;
  std::chrono::milliseconds close_timeout_;
  std::array<char, small_read> small_;
  std::unique_ptr<char[]> large_; // while traffic is heavy
  std::shared_ptr<session_link> link_;
  connection_registry::membership membership_;
  std::vector<outgoing> outbox_; // short; a deque costs 600 B idle
  outgoing in_flight_;           // being written
  protocol::frame_head head_{protocol::opcode::text, 0}; // in_flight_'s
  std::shared_ptr<bool> closed_in_time_; // the close bound's: true once ended
  bool writing_ = false;
  bool reading_ = false;
  bool close_queued_ = false;   // our close frame is in the outbox
  bool close_sent_ = false;     // and written
  bool close_received_ = false; // the client's has come
  bool failing_ = false;        // no close frame awaited from the client
  bool shut_ = false;
};

// §4.2.2: base64(SHA-1(key + the protocol's GUID)).
std::string websocket_accept(std::string_view key) {
  std::string input{key};
  input += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  EVP_Digest(input.data(), input.size(), digest, &digest_size, EVP_sha1(),
             nullptr);
  unsigned char text[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  const int text_size =
      EVP_EncodeBlock(text, digest, static_cast<int>(digest_size));
  return {reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(text_size)};
}

bool upgrade_requested(const http_request& req) {
  const auto connection = req[http::field::connection];
  const auto upgrade = req[http::field::upgrade];
  return req.method() == http::verb::get &&
         protocol::has_token({connection.data(), connection.size()},
                             "upgrade") &&
         protocol::iequals({upgrade.data(), upgrade.size()}, "websocket");
}

void serve(const request_context& ctx, framing mode) {
  auto& req = ctx.request();
  if (!upgrade_requested(req)) {
    ctx.respond(400, protocol::content_type::text_plain,
                "Can \"Upgrade\" only to \"WebSocket\".");
    return;
  }
  const auto version = req[http::field::sec_websocket_version];
  if (mode == framing::sockjs && version.empty() &&
      req.count("Sec-WebSocket-Key1") && req.count("Sec-WebSocket-Key2")) {
    serve_hixie76(ctx);
    return;
  }
  if (version != "13") {
    ctx.respond(400, protocol::content_type::text_plain,
                "Only supported WebSocket protocol is RFC 6455.");
    return;
  }
  const auto key = req[http::field::sec_websocket_key];
  if (!protocol::valid_websocket_key({key.data(), key.size()})) {
    ctx.respond(400, protocol::content_type::text_plain,
                "Sec-WebSocket-Key must be 16 bytes in base64.");
    return;
  }
  std::string head = "HTTP/1.1 101 Switching Protocols\r\n"
                     "Upgrade: websocket\r\n"
                     "Connection: Upgrade\r\n"
                     "Sec-WebSocket-Accept: ";
  head += websocket_accept({key.data(), key.size()});
  // Our name only: a version helps only those who look for holes.
  head += "\r\nServer: sockjs-server\r\n\r\n";
  auto info = ctx.info();
  ctx.conn->log_request(101);
  // What the client sent behind its request (against RFC 6455 §4.1, but
  // not to be lost) is the websocket's first bytes.
  auto stream = ctx.conn->release_stream();
  const auto ahead = ctx.conn->release_buffer();
  stream.put_back(
      {static_cast<const char*>(ahead.data().data()), ahead.size()});
  auto conn = std::make_shared<websocket_connection>(std::move(stream), mode,
                                                     ctx.conn->server().config);
  conn->start(std::move(head), ctx.system(), ctx.conn->release_membership(),
              ctx.service->registry, std::move(info));
}

} // namespace

void sockjs_websocket(const request_context& ctx) {
  serve(ctx, framing::sockjs);
}

void raw_websocket(const request_context& ctx) {
  serve(ctx, framing::raw);
}

} // namespace sockjs::transport
