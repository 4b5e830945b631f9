// One TCP connection speaking HTTP/1.0 or 1.1: reads requests one after the
// other (keep-alive), hands each to the router, and writes simple or held
// (polling/streaming) responses. Every member runs on the connection's
// executor (one thread); other threads reach it through post().
#pragma once

#include "sockjs/transports/byte_stream.hpp"
#include "sockjs/transports/connection_registry.hpp"
#include "sockjs/transports/http_reply.hpp"
#include "sockjs/transports/io_types.hpp"
#include "sockjs/transports/mount.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace sockjs::transport {

namespace http = boost::beast::http;
using http_request = http::request<http::string_body>;

/// Writes `answer` (which outlives the write: a static), then closes once
/// the client has had it, without reading a request.
void answer_and_close(tcp_socket socket, const std::string& answer);

class http_connection : public std::enable_shared_from_this<http_connection> {
public:
  /// `membership`: the connection's place in the server's
  /// connection_registry, given at accept.
  http_connection(byte_stream stream,
                  std::shared_ptr<const server_context> server,
                  connection_registry::membership membership);

  /// Starts reading the first request.
  void start();

  /// Answers 503 to a connection the server has no room for, without
  /// reading its request, and closes it once the client has had it.
  static void turn_away(tcp_socket socket);

  const server_context& server() const { return *server_; }
  const http_request& request() const { return parser_->get(); }
  http_request& request() { return parser_->get(); }
  io_executor executor() { return stream_.get_executor(); }
  bool secure() const { return stream_.secure(); }

  /// Facts of the connection for connection_info.
  tcp::endpoint peer() const { return peer_; }
  tcp::endpoint local() const { return local_; }
  /// The addresses as text, worked out once per connection.
  const std::string& peer_address();
  const std::string& local_address();

  // -- simple responses -------------------------------------------------------

  /// Sends a complete response to the current request, then reads the next
  /// request (or closes, when the request asked for that).
  void respond(http_reply reply);

  // -- held responses (receivers) ---------------------------------------------

  /// Starts a response whose body comes later, frame by frame: chunked on
  /// HTTP/1.1, raw and ended by closing on HTTP/1.0. Writes `head` and
  /// `prelude` now. While held, the socket is watched: if the client goes
  /// away, `on_abort` runs (once).
  void begin_held(http_reply head, std::string prelude,
                  std::function<void()> on_abort);

  /// Writes one frame as one chunk; `written` runs once it is on the wire.
  void write_held(std::string bytes, std::function<void()> written);

  /// Ends the held response (terminating chunk, or close on HTTP/1.0);
  /// `written` runs once the end is on the wire (not if the client is gone).
  void end_held(std::function<void()> written = {});

  bool held() const { return held_; }

  /// Whether the client of a held response is still connected: looks at
  /// the socket without reading. A gone client is treated as an abort.
  bool client_alive();

  // -- upgrades ---------------------------------------------------------------

  /// Gives up the stream (and whatever was read past the request) to a
  /// websocket; this connection then does nothing more.
  byte_stream release_stream();
  boost::beast::flat_buffer release_buffer();
  connection_registry::membership release_membership();

  /// What dispatch found for the current request: its service and route
  /// row (null: none), and the session id in its target.
  void routed(const service_mount* service, const protocol::route* entry,
              std::string_view session_id);

  /// Calls the logger of the request's service (or the server's).
  void log_request(unsigned status);

private:
  struct pending_write {
    std::string bytes;
    std::function<void()> done;
  };

  void read_request();
  void on_header(boost::beast::error_code ec);
  void on_request(boost::beast::error_code ec);
  /// Closes with a 4xx for a read that failed; false when `ec` is fine.
  bool refuse(boost::beast::error_code ec);
  void reject_malformed(unsigned status, std::string reason);
  void queue_write(std::string bytes, std::function<void()> done);
  void write_next();
  void after_response();
  void watch_for_abort();
  void close();
  void abort_held();

  byte_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<const server_context> server_;
  tcp::endpoint peer_;
  tcp::endpoint local_;
  std::string peer_address_;
  std::string local_address_;
  std::chrono::steady_clock::time_point request_start_;
  // The current request's route (views into its target), for its log line.
  const service_mount* routed_service_ = nullptr;
  const protocol::route* routed_entry_ = nullptr;
  std::string_view routed_session_;

  std::deque<pending_write> writes_;
  bool writing_ = false;
  bool close_after_writes_ = false;
  bool held_ = false;
  bool chunked_ = false;
  bool reading_ = false;
  // The abort watch was cancelled to parse what it read: read on after it.
  bool read_after_watch_ = false;
  bool closed_ = false;
  bool served_ = false; // a request head was read
  std::function<void()> on_abort_;
  connection_registry::membership membership_;
};

} // namespace sockjs::transport
