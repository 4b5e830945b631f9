#include "sockjs/transports/tls.hpp"

#include "sockjs/actors/log.hpp"
#include "sockjs/actors/metrics.hpp"
#include "sockjs/transports/http_connection.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <optional>
#include <stdexcept>

namespace sockjs::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;

namespace {

log::throttle not_tls_lines;
log::throttle handshake_failure_lines;

// From accept to the end of the TLS handshake; then an http_connection
// takes the stream.
class tls_handshake : public std::enable_shared_from_this<tls_handshake> {
public:
  tls_handshake(tcp_socket socket, std::shared_ptr<tls_context> context,
                std::shared_ptr<const server_context> server,
                connection_registry::membership membership)
      : tcp_(std::move(socket)), context_(std::move(context)),
        server_(std::move(server)), membership_(std::move(membership)) {}

  void start() {
    membership_.on_close([weak = weak_from_this()] {
      if (auto self = weak.lock()) self->close();
    });
    // Like a client trickling its request head: first to go when full.
    membership_.waiting_for_request(true);
    tcp_.expires_after(server_->config.request_timeout);
    beast::async_detect_ssl(
        tcp_, buffer_,
        [self = shared_from_this()](beast::error_code ec, bool is_tls) {
          if (ec) return self->close();
          if (!is_tls) return self->refuse_plain();
          self->handshake();
        });
  }

private:
  void handshake() {
    stream_.emplace(std::move(tcp_), context_);
    stream_->async_handshake(
        buffer_.data(),
        [self = shared_from_this()](beast::error_code ec, std::size_t used) {
          if (ec) return self->fail(ec);
          self->buffer_.consume(used);
          self->stream_->tcp().expires_never();
          auto conn = std::make_shared<http_connection>(
              std::move(*self->stream_), self->server_,
              std::move(self->membership_));
          self->stream_.reset();
          conn->start();
        });
  }

  // Plain HTTP, most likely: an http:// URL for an https:// server.
  void refuse_plain() {
    if (std::uint64_t more = 0; not_tls_lines.allow(more))
      log::warning("no TLS (plain HTTP?) on the TLS port from ", peer(),
                   ": answered 400 (and ", more, " since the last)");
    metrics::response(400, std::chrono::microseconds{0});
    static const std::string answer =
        "HTTP/1.1 400 Bad Request\r\n"
        "Content-Type: text/plain; charset=UTF-8\r\n"
        "Content-Length: 51\r\n"
        "Connection: close\r\n\r\n"
        "This port speaks TLS: use https:// or wss:// here.\n";
    tcp_.expires_never();
    answer_and_close(tcp_.release_socket(), answer);
    membership_.leave();
  }

  void fail(beast::error_code ec) {
    if (std::uint64_t more = 0; handshake_failure_lines.allow(more))
      log::warning("TLS handshake with ", peer(), " failed: ", ec.message(),
                   " (and ", more, " since the last)");
    close();
  }

  // The TCP layer, wherever it is now.
  tcp_stream& tcp_layer() { return stream_ ? stream_->tcp() : tcp_; }

  std::string peer() {
    beast::error_code ec;
    const auto endpoint = tcp_layer().socket().remote_endpoint(ec);
    return ec ? std::string{"a gone client"} : endpoint.address().to_string();
  }

  void close() {
    beast::error_code ignored;
    tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp_layer().close();
    membership_.leave();
  }

  tcp_stream tcp_; // until the handshake starts
  std::optional<byte_stream> stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<tls_context> context_;
  std::shared_ptr<const server_context> server_;
  connection_registry::membership membership_;
};

} // namespace

void byte_stream::tls_read_some(boost::asio::mutable_buffer buffer,
                                io_completion handler) {
  std::get<tls_stream>(layers_).async_read_some(
      buffer, boost::asio::bind_executor(get_executor(), std::move(handler)));
}

void byte_stream::tls_write_some(write_buffers buffers, io_completion handler) {
  std::get<tls_stream>(layers_).async_write_some(
      buffers, boost::asio::bind_executor(get_executor(), std::move(handler)));
}

void byte_stream::tls_teardown(beast::role_type role,
                               teardown_completion handler) {
  using beast::websocket::async_teardown;
  // Bound to the connection's executor: Asio 1.26 cannot post through the
  // erased handler's any_completion_executor.
  async_teardown(
      role, std::get<tls_stream>(layers_),
      boost::asio::bind_executor(get_executor(), std::move(handler)));
}

std::shared_ptr<tls_context> load_tls_context(const std::string& certificate,
                                              const std::string& private_key) {
  auto context = std::make_shared<tls_context>(tls_context::tls_server);
  context->set_options(tls_context::default_workarounds |
                       tls_context::no_sslv2 | tls_context::no_sslv3 |
                       tls_context::no_tlsv1 | tls_context::no_tlsv1_1 |
                       tls_context::single_dh_use);
  beast::error_code ec;
  context->use_certificate_chain_file(certificate, ec);
  if (ec)
    throw std::runtime_error("TLS certificate " + certificate + ": " +
                             ec.message());
  context->use_private_key_file(private_key, tls_context::pem, ec);
  if (ec)
    throw std::runtime_error("TLS private key " + private_key + ": " +
                             ec.message());
  return context;
}

void accept_tls(tcp_socket socket, std::shared_ptr<tls_context> context,
                std::shared_ptr<const server_context> server,
                connection_registry::membership membership) {
  std::make_shared<tls_handshake>(std::move(socket), std::move(context),
                                  std::move(server), std::move(membership))
      ->start();
}

} // namespace sockjs::transport
