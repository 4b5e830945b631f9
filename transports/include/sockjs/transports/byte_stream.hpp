// A connection's bytes: plain TCP, or TLS over TCP. Every transport is
// written once over this type, and a connection's kind is chosen at accept
// (TLS when the server has a certificate). It is a Beast/Asio stream
// (async_read_some, async_write_some, get_executor, websocket teardown), so
// http::async_read and asio::async_write take it as is.
#pragma once

#include "sockjs/transports/io_types.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace sockjs::transport {

using tls_stream = boost::beast::ssl_stream<tcp_stream>;
using tls_context = boost::asio::ssl::context;

class byte_stream {
public:
  using executor_type = io_executor;

  explicit byte_stream(tcp_stream plain) : layers_{std::move(plain)} {}

  /// TLS over `tcp`, with `context`'s certificate; the handshake is next.
  byte_stream(tcp_stream tcp, std::shared_ptr<tls_context> context)
      : layers_{std::in_place_type<tls_stream>, std::move(tcp), *context},
        context_{std::move(context)} {}

  executor_type get_executor() noexcept { return tcp().get_executor(); }

  bool secure() const noexcept { return context_ != nullptr; }

  /// The TCP under it all: timeouts, endpoints, shutdown, close.
  tcp_stream& tcp() noexcept {
    if (auto* plain = std::get_if<tcp_stream>(&layers_)) return *plain;
    return std::get<tls_stream>(layers_).next_layer();
  }

  /// Bytes read ahead of this stream's next user (those a client sent right
  /// behind its upgrade request): its next reads return them first.
  void put_back(std::string_view bytes) {
    if (!bytes.empty()) unread_ = std::make_unique<std::string>(bytes);
  }

  template <class Buffers, class Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    if (unread_) return read_unread(buffers, std::forward<Handler>(handler));
    if (auto* plain = std::get_if<tcp_stream>(&layers_))
      plain->async_read_some(buffers, std::forward<Handler>(handler));
    else
      tls_read_some(first_buffer(buffers),
                    io_completion{std::forward<Handler>(handler)});
  }

  template <class Buffers, class Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    if (auto* plain = std::get_if<tcp_stream>(&layers_))
      plain->async_write_some(buffers, std::forward<Handler>(handler));
    else
      tls_write_some(first_buffers(buffers),
                     io_completion{std::forward<Handler>(handler)});
  }

  /// The server side of the TLS handshake, given the bytes of it already
  /// read; Handler(error_code, bytes of `already_read` used).
  template <class Handler>
  void async_handshake(boost::asio::const_buffer already_read,
                       Handler&& handler) {
    std::get<tls_stream>(layers_).async_handshake(
        boost::asio::ssl::stream_base::server, already_read,
        std::forward<Handler>(handler));
  }

  /// Websocket closing: TLS close_notify first, then TCP.
  template <class Handler>
  friend void async_teardown(boost::beast::role_type role, byte_stream& stream,
                             Handler&& handler) {
    if (auto* plain = std::get_if<tcp_stream>(&stream.layers_)) {
      using boost::beast::websocket::async_teardown;
      async_teardown(role, *plain, std::forward<Handler>(handler));
    } else {
      stream.tls_teardown(role,
                          teardown_completion{std::forward<Handler>(handler)});
    }
  }

private:
  // Over TLS, a read or write goes through one compiled path (byte_stream.cpp)
  // whatever Beast operation asks for it: its completion is type-erased and
  // its buffers are the first ones of the sequence (OpenSSL takes one at a
  // time anyway; the rest is written next time, as for any write_some).
  using io_completion = boost::asio::any_completion_handler<void(
      boost::system::error_code, std::size_t)>;
  using teardown_completion =
      boost::asio::any_completion_handler<void(boost::system::error_code)>;
  using write_buffers = std::array<boost::asio::const_buffer, 4>;

  template <class Buffers>
  static boost::asio::mutable_buffer first_buffer(const Buffers& buffers) {
    for (auto i = boost::asio::buffer_sequence_begin(buffers);
         i != boost::asio::buffer_sequence_end(buffers); ++i)
      if (boost::asio::mutable_buffer buffer{*i}; buffer.size() > 0)
        return buffer;
    return {};
  }

  template <class Buffers>
  static write_buffers first_buffers(const Buffers& buffers) {
    write_buffers out{};
    std::size_t n = 0;
    for (auto i = boost::asio::buffer_sequence_begin(buffers);
         n < out.size() && i != boost::asio::buffer_sequence_end(buffers); ++i)
      if (boost::asio::const_buffer buffer{*i}; buffer.size() > 0)
        out[n++] = buffer;
    return out;
  }

  template <class Buffers, class Handler>
  void read_unread(const Buffers& buffers, Handler&& handler) {
    const auto n =
        boost::asio::buffer_copy(buffers, boost::asio::buffer(*unread_));
    unread_->erase(0, n);
    if (unread_->empty()) unread_.reset();
    // A read completes later, never inside its initiation.
    boost::asio::post(get_executor(), boost::beast::bind_front_handler(
                                          std::forward<Handler>(handler),
                                          boost::system::error_code{}, n));
  }

  void tls_read_some(boost::asio::mutable_buffer buffer, io_completion handler);
  void tls_write_some(write_buffers buffers, io_completion handler);
  void tls_teardown(boost::beast::role_type role, teardown_completion handler);

  std::variant<tcp_stream, tls_stream> layers_;
  std::unique_ptr<std::string> unread_; // rare: no room for it otherwise
  // Keeps the certificate this connection began with alive across reloads.
  std::shared_ptr<tls_context> context_;
};

} // namespace sockjs::transport
