// SockJS over RFC 6455 websockets (spec §7.1) and the raw websocket route
// (spec §7.9), on Beast. Hixie-76 requests are handed to hixie76.cpp.
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
#include <boost/asio/post.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <sys/socket.h>

namespace sockjs::transport {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace asio = boost::asio;

namespace {

enum class framing { sockjs, raw };

// A client may send oversized messages on purpose: one line a second.
log::throttle too_big_lines;

class websocket_connection
    : public std::enable_shared_from_this<websocket_connection> {
public:
  websocket_connection(byte_stream stream, framing mode,
                       const server_config& config)
      : ws_(std::move(stream)), mode_(mode) {
    ws_.read_message_max(config.max_websocket_message_bytes);
    websocket::stream_base::timeout timeouts{};
    // Bounds the 101's write and the closing handshake.
    timeouts.handshake_timeout = config.websocket_close_timeout;
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    // Beast names itself and its version unless a Server is set: our name
    // then, as a version helps only those who look for holes.
    ws_.set_option(
        websocket::stream_base::decorator([](websocket::response_type& res) {
          res.set(http::field::server, "sockjs-server");
        }));
    ws_.control_callback(
        [this](websocket::frame_type kind, beast::string_view) {
          if (kind == websocket::frame_type::close &&
              !protocol::valid_close_code(ws_.reason().code))
            fail_protocol();
        });
  }

  void accept(http_request req, caf::actor_system& system,
              connection_registry::membership membership,
              registry_actor registry, connection_info info) {
    membership_ = std::move(membership);
    membership_.on_close([weak = weak_from_this()] {
      if (auto self = weak.lock()) self->client_gone();
    });
    ws_.async_accept(req, [self = shared_from_this(), &system,
                           registry = std::move(registry),
                           info = std::move(info)](beast::error_code ec) {
      if (ec) return;
      // The callbacks keep the connection alive until link_->close().
      auto conn_ptr = self;
      session_link::callbacks on;
      on.frame = [conn = conn_ptr](protocol::frame& frame, bool last) {
        conn->on_frame(frame, last);
      };
      on.delivered = [conn = conn_ptr] { conn->read_next(); };
      on.session_gone = [conn = conn_ptr] {
        conn->close(websocket::close_code::going_away, "Session gone");
      };
      self->link_ = session_link::open_websocket(
          system, self->ws_.get_executor(), registry, info, std::move(on));
      self->read_next();
    });
  }

private:
  struct outgoing {
    std::string text;
    bool ping = false;
    std::uint32_t frames = 0; // the session's frames it completes
  };

  void on_frame(protocol::frame& frame, bool last) {
    // Every frame is reported written, the last one too.
    if (mode_ == framing::sockjs) {
      // Message frames that come while another waits leave with it, as one
      // a[...]: one websocket message and one write for them all.
      if (!outbox_.empty() &&
          protocol::join_messages(outbox_.back().text, frame))
        ++outbox_.back().frames;
      else
        enqueue({protocol::encode(std::move(frame)), false, 1});
      if (last) // spec §7.1: the c frame, then a close, then TCP close
        enqueue_close(websocket::close_code::normal, "Normal closure");
      return;
    }
    // Raw websocket: no SockJS framing reaches the client.
    switch (frame.kind) {
    case protocol::frame_kind::open:
    case protocol::frame_kind::invalid:
      link_->written();
      break;
    case protocol::frame_kind::heartbeat:
      enqueue({{}, true, 1});
      break;
    case protocol::frame_kind::messages: {
      auto messages = protocol::split_messages(frame.messages);
      for (std::size_t i = 0; i < messages.size(); ++i)
        enqueue({std::move(messages[i]), false,
                 i + 1 == messages.size() ? 1u : 0u});
      if (messages.empty()) link_->written();
      break;
    }
    case protocol::frame_kind::close:
      link_->written(); // it becomes the websocket close
      enqueue_close(static_cast<std::uint16_t>(frame.code),
                    std::move(frame.reason));
      break;
    }
  }

  void enqueue(outgoing out) {
    if (closing_) return;
    outbox_.push_back(std::move(out));
    if (!writing_) write_next();
  }

  void write_next() {
    if (writing_ || outbox_.empty() || closing_) return;
    writing_ = true;
    // The write reads from in_flight_ until it completes: an element of
    // outbox_ would move when a later enqueue grows the vector.
    in_flight_ = std::move(outbox_.front());
    outbox_.erase(outbox_.begin());
    auto on_written = [self = shared_from_this()](beast::error_code ec,
                                                  std::size_t = 0) {
      self->writing_ = false;
      if (ec) {
        self->client_gone();
        return;
      }
      const auto frames = self->in_flight_.frames;
      self->in_flight_ = {};
      if (frames > 0) self->link_->written(frames);
      if (self->close_pending_ && self->outbox_.empty() && !self->writing_)
        self->close(self->close_code_, self->close_reason_);
      else
        self->write_next();
    };
    if (in_flight_.ping) {
      ws_.async_ping({}, on_written);
    } else {
      ws_.text(true);
      ws_.async_write(asio::buffer(in_flight_.text), on_written);
    }
  }

  void enqueue_close(std::uint16_t code, std::string reason) {
    close_pending_ = true;
    close_code_ = code;
    close_reason_ = std::move(reason);
    if (!writing_ && outbox_.empty()) return close(close_code_, close_reason_);
    // Behind a write that may never end (Beast bounds the close itself).
    closing_started_ = std::make_shared<bool>(false);
    drop_unless_done(ws_.get_executor(), closing_started_,
                     [weak = weak_from_this()] {
                       if (auto self = weak.lock()) self->client_gone();
                     });
  }

  void close(std::uint16_t code, const std::string& reason) {
    if (closing_) return;
    closing_ = true;
    if (closing_started_) *closing_started_ = true;
    if (link_) link_->close(); // also releases this connection's callbacks
    websocket::close_reason why{code};
    why.reason = reason;
    ws_.async_close(why, [self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      auto& tcp = self->ws_.next_layer().tcp();
      tcp.socket().shutdown(tcp::socket::shutdown_both, ignored);
      tcp.close();
    });
  }

  // Idle connections are most of them: a read waits on a small buffer inside
  // this object, so that waiting holds no heap buffer (Beast's message read
  // takes 1.5 KiB before a byte arrives). A longer message continues
  // straight into its string.
  void read_next() {
    if (reading_ || closing_) return;
    reading_ = true;
    ws_.async_read_some(
        asio::buffer(first_bytes_),
        [self = shared_from_this()](beast::error_code ec, std::size_t n) {
          if (!self->read_done(ec)) return;
          if (self->ws_.is_message_done()) {
            self->on_message(std::string{self->first_bytes_.data(), n});
            return;
          }
          self->message_.assign(self->first_bytes_.data(), n);
          self->read_rest();
        });
  }

  void read_rest() {
    reading_ = true;
    const auto old_size = message_.size();
    message_.resize(old_size + std::max<std::size_t>(old_size, 16 * 1024));
    ws_.async_read_some(
        asio::buffer(message_.data() + old_size, message_.size() - old_size),
        [self = shared_from_this(), old_size](beast::error_code ec,
                                              std::size_t n) {
          self->message_.resize(old_size + n);
          if (!self->read_done(ec)) return;
          if (self->ws_.is_message_done())
            self->on_message(std::exchange(self->message_, {}));
          else
            self->read_rest();
        });
  }

  // After a read: false (and the connection ends) on an error.
  bool read_done(beast::error_code ec) {
    reading_ = false;
    if (!ec) return true;
    if (ec == websocket::error::message_too_big)
      if (std::uint64_t more = 0; too_big_lines.allow(more))
        log::warning("websocket message over the size limit; closed 1009 "
                     "(and ",
                     more, " since the last)");
    message_ = {};
    client_gone();
    return false;
  }

  void on_message(std::string text) {
    if (mode_ == framing::raw) {
      if (link_->deliver({std::move(text)})) read_next();
      return;
    }
    auto decoded = protocol::decode_websocket_payload(text);
    if (!decoded.ok()) {
      // Spec §7.1: broken JSON kills the connection (and the session).
      link_->close();
      close(3000, "Broken framing.");
      return;
    }
    // Empty frames and [] are ignored. Otherwise, unless the session is
    // behind, read on at once: on.delivered reads on when it has caught up.
    if (decoded.messages.empty() || link_->deliver(std::move(decoded.messages)))
      read_next();
  }

  void client_gone() {
    if (link_) link_->close();
    closing_ = true;
    ws_.next_layer().tcp().close();
    membership_.leave();
  }

  // RFC 6455 §7.4: a close code outside the protocol's fails the
  // connection. Beast would echo the code; instead, a close frame with 1002
  // goes out on the socket itself (unless a frame is being written, or TLS
  // is in the way: then the connection just ends), and the connection ends.
  void fail_protocol() {
    auto& socket = ws_.next_layer().tcp().socket();
    if (!writing_ && !ws_.next_layer().secure()) {
      const unsigned char close_1002[] = {0x88, 0x02, 0x03, 0xea};
      [[maybe_unused]] auto sent =
          ::send(socket.native_handle(), close_1002, sizeof close_1002,
                 MSG_DONTWAIT | MSG_NOSIGNAL);
    }
    client_gone();
  }

  websocket::stream<byte_stream> ws_;
  framing mode_;
  std::array<char, 128> first_bytes_;
  std::string message_; // a message longer than first_bytes_, so far
  std::shared_ptr<session_link> link_;
  connection_registry::membership membership_;
  std::vector<outgoing> outbox_; // short; a deque costs 600 B idle
  outgoing in_flight_;           // being written
  bool writing_ = false;
  bool reading_ = false;
  bool closing_ = false;
  bool close_pending_ = false;
  std::shared_ptr<bool> closing_started_; // set while a close waits
  std::uint16_t close_code_ = 1000;
  std::string close_reason_;
};

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
  conn->accept(std::move(req), ctx.system(), ctx.conn->release_membership(),
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
