#include "sockjs/transports/http_connection.hpp"

#include "sockjs/actors/metrics.hpp"
#include "sockjs/protocol/router.hpp"
#include "sockjs/protocol/text.hpp"
#include "sockjs/protocol/url.hpp"
#include "sockjs/transports/dispatch.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <cerrno>
#include <cstdio>
#include <sys/socket.h>

namespace sockjs::transport {

namespace beast = boost::beast;
namespace asio = boost::asio;

namespace {

// A response's bytes in one string: status line, headers, body.
std::string serialize(const http_reply& reply, unsigned version) {
  std::string out;
  out.reserve(256 + reply.body.size());
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(reply.status);
  out += ' ';
  const auto reason =
      http::obsolete_reason(static_cast<http::status>(reply.status));
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (const auto& [name, value] : reply.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  out += "\r\n";
  out += reply.body;
  return out;
}

// What Beast's keep_alive() writes: HTTP/1.1 says when it closes, 1.0 when
// it stays.
void set_connection(http_reply& reply, unsigned version, bool keep_alive) {
  if (version >= 11 && !keep_alive) reply.set("Connection", "close");
  if (version < 11 && keep_alive) reply.set("Connection", "keep-alive");
}

std::string chunk(std::string_view data) {
  char size[20];
  const int n = std::snprintf(size, sizeof(size), "%zx\r\n", data.size());
  std::string out;
  out.reserve(static_cast<std::size_t>(n) + data.size() + 2);
  out.append(size, static_cast<std::size_t>(n));
  out += data;
  out += "\r\n";
  return out;
}

} // namespace

http_connection::http_connection(byte_stream stream,
                                 std::shared_ptr<const server_context> server,
                                 connection_registry::membership membership)
    : stream_(std::move(stream)),
      // Unparsed bytes at most: a request head, or chunk framing, plus one
      // read. Chunk extensions and trailers count against no other limit.
      buffer_(server->config.max_header_bytes + 16 * 1024),
      server_(std::move(server)), membership_(std::move(membership)) {
  beast::error_code ec;
  peer_ = stream_.tcp().socket().remote_endpoint(ec);
  local_ = stream_.tcp().socket().local_endpoint(ec);
}

const std::string& http_connection::peer_address() {
  if (peer_address_.empty()) peer_address_ = peer_.address().to_string();
  return peer_address_;
}

const std::string& http_connection::local_address() {
  if (local_address_.empty()) local_address_ = local_.address().to_string();
  return local_address_;
}

void answer_and_close(tcp_socket socket, const std::string& answer) {
  struct answering {
    explicit answering(tcp_socket s)
        : socket(std::move(s)), deadline(socket.get_executor()) {}
    tcp_socket socket;
    asio::steady_timer deadline;
    std::array<char, 4096> sink;
    std::size_t drained = 0;

    // Reads what the client sent until it closes: closing with unread
    // bytes would reset the connection and could lose the answer.
    void drain(std::shared_ptr<answering> self) {
      socket.async_read_some(asio::buffer(sink),
                             [self](beast::error_code ec, std::size_t n) {
                               self->drained += n;
                               if (ec || self->drained > 64 * 1024) {
                                 self->deadline.cancel();
                                 beast::error_code ignored;
                                 self->socket.close(ignored);
                                 return;
                               }
                               self->drain(self);
                             });
    }
  };
  auto self = std::make_shared<answering>(std::move(socket));
  asio::async_write(self->socket, asio::buffer(answer),
                    [self](beast::error_code ec, std::size_t) {
                      beast::error_code ignored;
                      if (ec) return self->socket.close(ignored);
                      self->socket.shutdown(tcp::socket::shutdown_send,
                                            ignored);
                      self->deadline.expires_after(std::chrono::seconds{1});
                      self->deadline.async_wait([self](beast::error_code) {
                        beast::error_code ignored;
                        self->socket.close(ignored);
                      });
                      self->drain(self);
                    });
}

void http_connection::turn_away(tcp_socket socket) {
  static const std::string answer =
      "HTTP/1.1 503 Service Unavailable\r\n"
      "Content-Type: text/plain; charset=UTF-8\r\n"
      "Content-Length: 39\r\n"
      "Retry-After: 1\r\n"
      "Connection: close\r\n\r\n"
      "Too many connections: try again later.\n";
  answer_and_close(std::move(socket), answer);
}

void http_connection::start() {
  membership_.on_close([weak = weak_from_this()] {
    if (auto self = weak.lock()) {
      self->abort_held();
      self->close();
    }
  });
  read_request();
}

void http_connection::read_request() {
  if (closed_) return;
  if (reading_) {
    // The abort watch of the last held response may have read the next
    // request already: stop it, then parse from the buffer.
    read_after_watch_ = true;
    beast::error_code ignored;
    stream_.tcp().socket().cancel(ignored);
    return;
  }
  read_after_watch_ = false;
  routed(nullptr, nullptr, {});
  parser_.emplace();
  parser_->header_limit(
      static_cast<std::uint32_t>(server_->config.max_header_bytes));
  parser_->body_limit(server_->config.max_body_bytes);
  // The first head must come quickly; a keep-alive client may idle longer
  // between requests. Either way, while waiting it is the first to go when
  // the server is full.
  stream_.tcp().expires_after(served_ ? server_->config.keep_alive_timeout
                                      : server_->config.request_timeout);
  membership_.waiting_for_request(true);
  reading_ = true; // a read is in flight
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->reading_ = false;
        self->on_header(ec);
      });
}

bool http_connection::refuse(beast::error_code ec) {
  if (!ec) return false;
  stream_.tcp().expires_never();
  if (ec == http::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == beast::error::timeout ||
      ec == asio::error::operation_aborted)
    close();
  else if (ec == http::error::header_limit)
    reject_malformed(431, "Request header fields too large.\n");
  else if (ec == http::error::body_limit)
    reject_malformed(413, "Payload too large.\n");
  else if (ec == http::error::buffer_overflow)
    reject_malformed(400, "Request framing too long.\n");
  else
    reject_malformed(400, "Malformed HTTP request: " + ec.message() + "\n");
  return true;
}

void http_connection::on_header(beast::error_code ec) {
  if (refuse(ec)) return;
  membership_.waiting_for_request(false);
  served_ = true;
  // A transfer coding that leaves the body's end unknown is refused.
  const auto& req = parser_->get();
  const auto coding = req[http::field::transfer_encoding];
  if (!coding.empty()) {
    if (!protocol::ends_in_chunked({coding.data(), coding.size()})) {
      reject_malformed(400, "Transfer-Encoding must end in chunked.\n");
      return;
    }
    // With Content-Length too, the sender is confused or hostile: chunked
    // wins, and the connection ends after this request.
    if (req.count(http::field::content_length) > 0) close_after_writes_ = true;
  }
  reading_ = true;
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->reading_ = false;
        self->on_request(ec);
      });
}

void http_connection::on_request(beast::error_code ec) {
  if (refuse(ec)) return;
  stream_.tcp().expires_never();
  request_start_ = std::chrono::steady_clock::now();
  dispatch(shared_from_this());
}

void http_connection::reject_malformed(unsigned status, std::string reason) {
  // The stream cannot be trusted past a bad request: answer and close.
  http_reply reply{status, {}, std::move(reason)};
  reply.set("Content-Type", "text/plain; charset=UTF-8");
  set_connection(reply, 11, false);
  reply.set("Content-Length", std::to_string(reply.body.size()));
  request_start_ = std::chrono::steady_clock::now(); // its start is unknown
  log_request(status);
  close_after_writes_ = true;
  queue_write(serialize(reply, 11),
              [self = shared_from_this()] { self->after_response(); });
}

void http_connection::respond(http_reply reply) {
  const auto& req = request();
  const bool keep_alive = req.keep_alive();
  set_connection(reply, req.version(), keep_alive);
  if (reply.status != 204 && reply.status != 304) // RFC 9110: no body there
    reply.set("Content-Length", std::to_string(reply.body.size()));
  // RFC 9110 §9.3.2: HEAD gets the head alone, the length it would have.
  if (req.method() == http::verb::head) reply.body.clear();
  if (!keep_alive) close_after_writes_ = true;
  log_request(reply.status);
  queue_write(serialize(reply, req.version()),
              [self = shared_from_this()] { self->after_response(); });
}

void http_connection::after_response() {
  if (close_after_writes_)
    close();
  else
    read_request();
}

void http_connection::begin_held(http_reply head, std::string prelude,
                                 std::function<void()> on_abort) {
  const auto& req = request();
  held_ = true;
  on_abort_ = std::move(on_abort);
  chunked_ = req.version() >= 11;
  if (chunked_) {
    set_connection(head, req.version(), req.keep_alive());
    head.set("Transfer-Encoding", "chunked");
    if (!req.keep_alive()) close_after_writes_ = true;
  } else {
    // HTTP/1.0 knows no chunks: the body ends when the connection does.
    close_after_writes_ = true;
  }
  queue_write(serialize(head, req.version()), nullptr);
  if (!prelude.empty()) write_held(std::move(prelude), nullptr);
  watch_for_abort();
}

void http_connection::write_held(std::string bytes,
                                 std::function<void()> written) {
  if (!held_ || closed_) return;
  queue_write(chunked_ ? chunk(bytes) : std::move(bytes), std::move(written));
}

void http_connection::end_held(std::function<void()> written) {
  if (!held_) return;
  held_ = false;
  on_abort_ = nullptr;
  log_request(200);
  // Only behind a write still going (a client not reading) is a drop armed:
  // a poll ends here every time, and pays nothing for it.
  std::shared_ptr<bool> done;
  if (writing_) {
    done = std::make_shared<bool>(false);
    drop_unless_done(executor(), done, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->close();
    });
  }
  queue_write(chunked_ ? std::string{"0\r\n\r\n"} : std::string{},
              [self = shared_from_this(), done, written = std::move(written)] {
                if (done) *done = true;
                if (written) written();
                self->after_response();
              });
}

bool http_connection::client_alive() {
  if (closed_) return false;
  char byte;
  const auto n = ::recv(stream_.tcp().socket().native_handle(), &byte, 1,
                        MSG_PEEK | MSG_DONTWAIT);
  const bool alive =
      n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
  if (!alive) {
    abort_held();
    close();
  }
  return alive;
}

void http_connection::abort_held() {
  if (held_ && on_abort_) {
    auto abort = std::move(on_abort_);
    held_ = false;
    log_request(200); // what its head said; the client left before the end
    abort();
  }
}

void http_connection::watch_for_abort() {
  if (reading_ || closed_) return;
  // Bytes of a pipelined request are kept for later, at most a request
  // head: a client that sends more while it waits is misbehaving, and the
  // bytes would hide its leaving from client_alive().
  const auto room = std::min<std::size_t>(
      4096, server_->config.max_header_bytes -
                std::min(buffer_.size(), server_->config.max_header_bytes));
  if (room == 0) {
    abort_held();
    close();
    return;
  }
  reading_ = true;
  stream_.async_read_some(
      buffer_.prepare(room),
      [self = shared_from_this()](beast::error_code ec, std::size_t n) {
        self->reading_ = false;
        if (ec == asio::error::operation_aborted && self->read_after_watch_) {
          self->read_after_watch_ = false; // the held response has ended
          self->read_request();
          return;
        }
        if (ec) {
          // Spec §6.7: the client went away while we held its response.
          self->abort_held();
          self->close();
          return;
        }
        self->buffer_.commit(n);
        if (self->held_)
          self->watch_for_abort();
        else if (!self->writing_ && self->writes_.empty() &&
                 !self->close_after_writes_)
          self->read_request();
      });
}

void http_connection::queue_write(std::string bytes,
                                  std::function<void()> done) {
  if (closed_) return;
  writes_.push_back({std::move(bytes), std::move(done)});
  if (!writing_) write_next();
}

void http_connection::write_next() {
  writing_ = true;
  asio::async_write(
      stream_, asio::buffer(writes_.front().bytes),
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->writing_ = false;
        if (ec || self->closed_) {
          self->abort_held();
          self->close();
          return;
        }
        auto done = std::move(self->writes_.front().done);
        self->writes_.pop_front();
        if (!self->writes_.empty()) self->write_next();
        if (done) done();
      });
}

void http_connection::close() {
  if (closed_) return;
  closed_ = true;
  writes_.clear();
  beast::error_code ec;
  stream_.tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.tcp().close();
  // Closed is gone, for the count and for a server waiting to stop, even
  // while a reply it asked an actor for still holds this object.
  membership_.leave();
}

byte_stream http_connection::release_stream() {
  closed_ = true;
  return std::move(stream_);
}

beast::flat_buffer http_connection::release_buffer() {
  return std::move(buffer_);
}

connection_registry::membership http_connection::release_membership() {
  return std::move(membership_);
}

void http_connection::routed(const service_mount* service,
                             const protocol::route* entry,
                             std::string_view session_id) {
  routed_service_ = service;
  routed_entry_ = entry;
  routed_session_ = session_id;
}

void http_connection::log_request(unsigned status) {
  const auto duration = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - request_start_);
  metrics::response(status, duration);
  const auto& logger = routed_service_ ? routed_service_->options.logger
                                       : server_->config.logger;
  if (!logger) return;
  const auto& req = request();
  request_log_entry entry;
  entry.method = std::string{req.method_string()};
  entry.target = std::string{req.target()};
  entry.status = status;
  entry.duration = duration;
  entry.peer_address = peer_address();
  if (routed_entry_ && !routed_session_.empty()) {
    entry.session = std::string{routed_session_};
    const auto name = protocol::transport_name(routed_entry_->action);
    const auto& pattern = routed_entry_->pattern;
    entry.transport = name.empty()
                          ? std::string{pattern.substr(pattern.rfind('/') + 1)}
                          : std::string{name};
  }
  logger(entry);
}

} // namespace sockjs::transport
