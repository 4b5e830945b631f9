// A connection's bytes: plain TCP, or TLS over TCP. Every transport is
// written once over this type, and a connection's kind is chosen at accept
// (TLS when the server has a certificate). It is a Beast/Asio stream
// (async_read_some, async_write_some, get_executor, websocket teardown), so
// http::async_read, asio::async_write and websocket::stream take it as is.
#pragma once

#include "sockjs/transports/io_types.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <memory>
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

  template <class Buffers, class Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    std::visit(
        [&](auto& layer) {
          layer.async_read_some(buffers, std::forward<Handler>(handler));
        },
        layers_);
  }

  template <class Buffers, class Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    std::visit(
        [&](auto& layer) {
          layer.async_write_some(buffers, std::forward<Handler>(handler));
        },
        layers_);
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
    std::visit(
        [&](auto& layer) {
          using boost::beast::websocket::async_teardown;
          async_teardown(role, layer, std::forward<Handler>(handler));
        },
        stream.layers_);
  }

  friend void teardown(boost::beast::role_type role, byte_stream& stream,
                       boost::beast::error_code& ec) {
    std::visit(
        [&](auto& layer) {
          using boost::beast::websocket::teardown;
          teardown(role, layer, ec);
        },
        stream.layers_);
  }

  /// Beast's close_socket: closes at once, TLS or not.
  friend void beast_close_socket(byte_stream& stream) { stream.tcp().close(); }

private:
  std::variant<tcp_stream, tls_stream> layers_;
  // Keeps the certificate this connection began with alive across reloads.
  std::shared_ptr<tls_context> context_;
};

} // namespace sockjs::transport
