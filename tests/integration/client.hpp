// A deliberately plain HTTP/1.x and websocket client on POSIX sockets, so
// that tests see exactly the bytes the server sends: one chunk at a time,
// every header as sent. Every read has a deadline (1 s by default, as the
// upstream suite has); nothing here can hang a test.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sockjs::test {

using namespace std::chrono_literals;

/// 1 s, as the upstream suite; SOCKJS_TEST_TIMEOUT_MS changes it (for a
/// debugger).
std::chrono::milliseconds default_timeout();

struct timeout_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Header names compared case-insensitively.
struct header_less {
  bool operator()(const std::string& a, const std::string& b) const;
};
using header_map = std::multimap<std::string, std::string, header_less>;

struct response {
  int status = 0;
  std::string version;
  header_map headers;
  std::string body;

  /// The value of header `name`, or nullopt.
  std::optional<std::string> header(const std::string& name) const;
  bool has(const std::string& name) const { return headers.count(name) > 0; }
};

class tcp_client {
public:
  explicit tcp_client(std::uint16_t port);
  ~tcp_client();
  tcp_client(tcp_client&& other) noexcept;
  tcp_client(const tcp_client&) = delete;

  void send(const std::string& bytes);
  /// Sends an HTTP request; `headers` go as given, plus Host and, for a
  /// body, Content-Length.
  void send_request(
      const std::string& method, const std::string& path,
      const std::vector<std::pair<std::string, std::string>>& headers = {},
      const std::string& body = {}, const std::string& version = "HTTP/1.1");

  /// Reads a status line and headers.
  response read_head(std::chrono::milliseconds timeout = default_timeout());
  /// Reads the next chunk of a chunked body: its payload, "" for the last.
  std::string read_chunk(std::chrono::milliseconds timeout = 1000ms);
  /// Reads exactly n bytes.
  std::string read_exactly(std::size_t n,
                           std::chrono::milliseconds timeout = 1000ms);
  /// Reads whatever arrives within `timeout` (at least one byte).
  std::string read_some(std::chrono::milliseconds timeout = 1000ms);
  /// Reads until the server closes; throws on timeout.
  std::string read_until_close(std::chrono::milliseconds timeout = 1000ms);
  /// True when the server closes (EOF or reset) within `timeout` with no
  /// further data.
  bool closed_within(std::chrono::milliseconds timeout = 1000ms);
  /// True when nothing at all arrives within `timeout`.
  bool silent_for(std::chrono::milliseconds timeout);
  /// Reads a whole response: head and body (Content-Length, chunked, or
  /// until close).
  response read_response(std::chrono::milliseconds timeout = default_timeout());

  /// Closes the socket at once, as a client aborting a request does.
  void abort();

  int native_handle() const { return fd_; }

private:
  std::size_t fill(std::chrono::milliseconds timeout);
  std::string take_line(std::chrono::milliseconds timeout);

  int fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
};

/// One request on a fresh connection, whole response read.
response
http(std::uint16_t port, const std::string& method, const std::string& path,
     const std::vector<std::pair<std::string, std::string>>& headers = {},
     const std::string& body = {});

/// RFC 6455 client frames, for websocket tests.
struct ws_frame {
  int opcode = 0; // 1 text, 2 binary, 8 close, 9 ping, 10 pong
  std::string payload;
  /// For close frames: the code (0 when absent) and reason.
  int close_code() const;
  std::string close_reason() const;
};

class ws_client {
public:
  /// Performs the RFC 6455 handshake on `path`; throws unless 101.
  ws_client(std::uint16_t port, const std::string& path);
  void send_text(const std::string& text);
  void send_frame(int opcode, const std::string& payload);
  /// The next frame; throws timeout_error.
  ws_frame read(std::chrono::milliseconds timeout = 1000ms);
  /// The next text message, answering pings on the way.
  std::string read_text(std::chrono::milliseconds timeout = 1000ms);
  tcp_client& socket() { return tcp_; }
  const response& handshake() const { return handshake_; }

private:
  tcp_client tcp_;
  response handshake_;
};

/// A random session id, so that tests never share sessions.
std::string unique_id();

} // namespace sockjs::test
