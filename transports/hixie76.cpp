#include "sockjs/transports/hixie76.hpp"

#include "sockjs/protocol/frames.hpp"
#include "sockjs/protocol/hixie76.hpp"
#include "sockjs/protocol/payload.hpp"
#include "sockjs/transports/connection_registry.hpp"
#include "sockjs/transports/session_link.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

namespace sockjs::transport {

namespace beast = boost::beast;
namespace asio = boost::asio;

namespace {

constexpr std::size_t key3_size = 8;

class hixie76_connection
    : public std::enable_shared_from_this<hixie76_connection> {
public:
  hixie76_connection(byte_stream stream, beast::flat_buffer buffer,
                     std::size_t max_message)
      : stream_(std::move(stream)), buffer_(std::move(buffer)),
        max_message_(max_message) {}

  // Writes the handshake headers at once (a proxy forwards the 8-byte body
  // key only after the client has seen them), then reads that key.
  void start(std::string head, std::uint32_t n1, std::uint32_t n2,
             std::chrono::milliseconds key3_timeout, caf::actor_system& system,
             connection_registry::membership membership,
             registry_actor registry, connection_info info) {
    membership_ = std::move(membership);
    membership_.on_close([weak = weak_from_this()] {
      if (auto self = weak.lock()) self->shut();
    });
    send(std::move(head));
    const auto missing =
        buffer_.size() >= key3_size ? 0 : key3_size - buffer_.size();
    // A client that never sends its key holds no connection for long.
    key3_deadline_.expires_after(key3_timeout);
    key3_deadline_.async_wait([weak = weak_from_this()](beast::error_code ec) {
      if (auto self = weak.lock(); self && !ec) self->shut();
    });
    asio::async_read(
        stream_, buffer_.prepare(missing), asio::transfer_exactly(missing),
        [self = shared_from_this(), n1, n2, &system,
         registry = std::move(registry),
         info = std::move(info)](beast::error_code ec, std::size_t n) mutable {
          self->key3_deadline_.cancel();
          if (ec) return self->shut();
          self->buffer_.commit(n);
          const auto* bytes =
              static_cast<const char*>(self->buffer_.data().data());
          const auto answer = protocol::hixie76_answer(
              n1, n2, std::string_view{bytes, key3_size});
          self->buffer_.consume(key3_size);
          self->send(std::string{reinterpret_cast<const char*>(answer.data()),
                                 answer.size()});
          self->open_session(system, registry, std::move(info));
          self->read_next();
        });
  }

private:
  void open_session(caf::actor_system& system, const registry_actor& registry,
                    connection_info info) {
    // The callbacks keep the connection alive until link_->close().
    auto conn_ptr = shared_from_this();
    session_link::callbacks on;
    on.frame = [conn = conn_ptr](protocol::frame& frame, bool last) {
      conn->on_frame(frame, last);
    };
    on.delivered = [conn = conn_ptr] { conn->read_next(); };
    on.session_gone = [conn = conn_ptr] { conn->close(); };
    link_ =
        session_link::open_websocket(system, stream_.get_executor(), registry,
                                     std::move(info), std::move(on));
  }

  void on_frame(const protocol::frame& frame, bool last) {
    std::string out{'\x00'};
    protocol::append_encoded(out, frame);
    out.push_back('\xff');
    send(std::move(out), [link = link_] { link->written(); });
    if (last) close();
  }

  void send(std::string bytes, std::function<void()> done = {}) {
    if (closed_) return;
    outbox_.push_back({std::move(bytes), std::move(done)});
    write_next();
  }

  void write_next() {
    if (writing_ || outbox_.empty()) return;
    writing_ = true;
    // The write reads from in_flight_ until it completes: an element of
    // outbox_ would move when a later send grows the vector.
    in_flight_ = std::move(outbox_.front());
    outbox_.erase(outbox_.begin());
    asio::async_write(
        stream_, asio::buffer(in_flight_.first),
        [self = shared_from_this()](beast::error_code ec, std::size_t) {
          self->writing_ = false;
          if (ec) return self->client_gone();
          auto done = std::move(self->in_flight_.second);
          self->in_flight_ = {};
          if (done) done();
          if (!self->outbox_.empty())
            self->write_next();
          else if (self->closing_ && !self->writing_)
            self->shut();
        });
  }

  // Text frames are 0x00 <utf-8> 0xFF; 0xFF 0x00 closes.
  void read_next() {
    if (closed_) return;
    const auto* data = static_cast<const char*>(buffer_.data().data());
    const std::string_view pending{data, buffer_.size()};
    if (!pending.empty()) {
      if (pending[0] == '\x00') {
        const auto end = pending.find('\xff');
        if (end != std::string_view::npos) {
          std::string text{pending.substr(1, end - 1)};
          buffer_.consume(end + 1);
          return on_message(std::move(text));
        }
        if (pending.size() > max_message_ + 2) return client_gone();
      } else {
        return client_gone(); // a close frame, or framing we do not speak
      }
    }
    stream_.async_read_some(
        buffer_.prepare(4096),
        [self = shared_from_this()](beast::error_code ec, std::size_t n) {
          if (ec) return self->client_gone();
          self->buffer_.commit(n);
          self->read_next();
        });
  }

  void on_message(std::string text) {
    auto decoded = protocol::decode_websocket_payload(text);
    if (!decoded.ok()) {
      link_->close();
      return close();
    }
    if (decoded.messages.empty() || link_->deliver(std::move(decoded.messages)))
      read_next(); // else once the session has caught up
  }

  void close() {
    if (closing_) return;
    closing_ = true;
    if (link_) link_->close(); // also releases this connection's callbacks
    auto done = std::make_shared<bool>(false);
    if (writing_)
      drop_unless_done(stream_.get_executor(), done, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->shut();
      });
    send(std::string{"\xff\x00", 2}, [done] { *done = true; });
  }

  void client_gone() {
    if (link_) link_->close();
    shut();
  }

  void shut() {
    if (closed_) return;
    closed_ = true;
    if (link_) link_->close();
    beast::error_code ignored;
    stream_.tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.tcp().close();
  }

  byte_stream stream_;
  asio::steady_timer key3_deadline_{stream_.get_executor()};
  beast::flat_buffer buffer_;
  std::size_t max_message_;
  std::shared_ptr<session_link> link_;
  connection_registry::membership membership_;
  std::vector<std::pair<std::string, std::function<void()>>> outbox_;
  std::pair<std::string, std::function<void()>> in_flight_; // being written
  bool writing_ = false;
  bool closing_ = false;
  bool closed_ = false;
};

} // namespace

void serve_hixie76(const request_context& ctx) {
  const auto& req = ctx.request();
  const auto key1 = req["Sec-WebSocket-Key1"];
  const auto key2 = req["Sec-WebSocket-Key2"];
  const auto n1 = protocol::hixie76_key_number({key1.data(), key1.size()});
  const auto n2 = protocol::hixie76_key_number({key2.data(), key2.size()});
  if (!n1 || !n2) {
    ctx.respond(400, protocol::content_type::text_plain,
                "Invalid hixie-76 websocket keys.");
    return;
  }
  std::string head = "HTTP/1.1 101 WebSocket Protocol Handshake\r\n"
                     "Upgrade: WebSocket\r\n"
                     "Connection: Upgrade\r\n";
  head +=
      "Sec-WebSocket-Origin: " + std::string{req[http::field::origin]} + "\r\n";
  head += ctx.conn->secure() ? "Sec-WebSocket-Location: wss://"
                             : "Sec-WebSocket-Location: ws://";
  head += std::string{req[http::field::host]} + std::string{req.target()} +
          "\r\n\r\n";
  auto info = ctx.info();
  ctx.conn->log_request(101);
  auto buffer = ctx.conn->release_buffer();
  auto conn = std::make_shared<hixie76_connection>(
      ctx.conn->release_stream(), std::move(buffer),
      ctx.conn->server().config.max_websocket_message_bytes);
  conn->start(std::move(head), *n1, *n2,
              ctx.conn->server().config.request_timeout, ctx.system(),
              ctx.conn->release_membership(), ctx.service->registry,
              std::move(info));
}

} // namespace sockjs::transport
