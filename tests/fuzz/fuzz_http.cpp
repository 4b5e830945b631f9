// The whole HTTP path of a running server, in this process: each input is
// the bytes one client sends on one connection (then it stops sending);
// what comes back must be a sequence of well-framed responses, one per
// request a strict RFC 9112 reading of the input finds (plus at most one
// error answer), with nothing left over: a HEAD answered with a body, or a
// body taken for a request (smuggling), breaks that. The connection must
// end within seconds, and the server must go on serving.
#include "app/test_services.hpp"
#include "sockjs/io_scheduler.hpp"
#include "sockjs/message_types.hpp"
#include "sockjs/protocol/text.hpp"
#include "sockjs/server.hpp"
#include "tests/fuzz/check.hpp"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <caf/all.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace http = boost::beast::http;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t max_header_bytes = 4096;
constexpr std::size_t max_body_bytes = 16384;

struct running_server {
  struct config : caf::actor_system_config {
    config() {
      sockjs::announce_message_types(*this);
      load<sockjs::io_scheduler>();
      set("scheduler.max-threads", 2);
      set("logger.verbosity", caf::atom("quiet"));
    }
  };

  static sockjs::server_config server_config() {
    sockjs::server_config cfg;
    cfg.host = "127.0.0.1";
    cfg.port = 0;
    cfg.max_header_bytes = max_header_bytes;
    cfg.max_body_bytes = max_body_bytes;
    cfg.request_timeout = 2s;
    cfg.keep_alive_timeout = 2s;
    // A closing handshake that Beast leaves waiting on itself (a frame that
    // fails the connection, read while the server's close is out) lasts
    // twice this bound; the fuzzer soon learns to make them, and at the
    // default 5 s they would be most of its time. The client here never
    // answers a close anyway: it stops sending at once.
    cfg.websocket_close_timeout = 10ms;
    return cfg;
  }

  running_server() : system(cfg), srv(system, server_config()) {
    sockjs::app::test_service_settings settings;
    settings.base.disconnect_delay = 100ms;
    sockjs::app::add_test_services(system, srv, settings);
    port = srv.start();
  }

  config cfg;
  caf::actor_system system;
  sockjs::server srv;
  std::uint16_t port = 0;
};

running_server* server = nullptr;

// One connection: sends `bytes`, stops sending, reads until the server
// closes. False when it does not close within `limit`.
bool exchange(std::string_view bytes, std::string& received,
              std::chrono::milliseconds limit) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  FUZZ_CHECK(fd >= 0);
  // Thousands of connections a second, each leaving a TIME_WAIT behind,
  // would run out of source ports (and reuse 4-tuples the server may still
  // hold): each one comes from another address of 127/8.
  static std::uint32_t next_source = 0;
  const auto n = next_source++;
  sockaddr_in source{};
  source.sin_family = AF_INET;
  source.sin_addr.s_addr =
      htonl((127u << 24) | ((1 + n / (254 * 254) % 254) << 16) |
            ((1 + n / 254 % 254) << 8) | (1 + n % 254));
  FUZZ_CHECK(::bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof(source)) ==
             0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server->port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    // Interrupted, the connect goes on: its outcome comes as writability.
    int error = errno;
    if (error == EINTR) {
      pollfd p{fd, POLLOUT, 0};
      while (::poll(&p, 1, 5000) < 0 && errno == EINTR) {
      }
      socklen_t length = sizeof(error);
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    }
    if (error != 0) {
      std::fprintf(stderr, "connect: %s\n", std::strerror(error));
      FUZZ_CHECK(!"the server accepts");
    }
  }
  // libFuzzer's timeout alarm (SIGALRM) interrupts system calls: each is
  // tried again then, or a wait of seconds would end in a false finding.
  // The server may close before it has read everything: that is fine.
  for (std::size_t sent = 0; sent < bytes.size();) {
    const auto n =
        ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  bool closed = false;
  char buffer[16384];
  while (!closed) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    const auto n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      closed = true;
    else
      received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return closed;
}

// The requests a strict reading finds complete and acceptable, in order:
// each one's method. What follows them (a request to refuse, or one cut
// off) may get one answer more: an error, after which the server closes.
struct request_model {
  std::vector<http::verb> methods;
};

request_model read_requests(std::string_view bytes) {
  request_model model;
  while (!bytes.empty()) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(max_header_bytes);
    parser.body_limit(max_body_bytes);
    boost::system::error_code ec;
    std::size_t used =
        parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    if (!ec && parser.is_header_done()) {
      // RFC 9112 §6.3: a transfer coding other than a final chunked leaves
      // the body's end unknown: the request is refused.
      const auto coding = parser.get()[http::field::transfer_encoding];
      const std::string_view codings{coding.data(), coding.size()};
      if (!codings.empty() &&
          !sockjs::protocol::iequals(
              sockjs::protocol::trim(codings.substr(codings.rfind(',') + 1)),
              "chunked")) {
        return model;
      }
      while (!ec && !parser.is_done() && used < bytes.size())
        used += parser.put(
            boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    }
    if (ec == http::error::need_more || (!ec && !parser.is_done()))
      return model; // incomplete: it never gets an answer
    if (ec) return model;
    // An upgrade the server takes (101) ends the HTTP part, which
    // check_responses sees; one it refuses leaves the connection HTTP.
    model.methods.push_back(parser.get().method());
    bytes.remove_prefix(used);
  }
  return model;
}

// Reads `bytes` as responses, the i-th to a request of `methods[i]`.
void check_responses(std::string_view bytes, const request_model& model) {
  std::size_t answered = 0;
  while (!bytes.empty()) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    parser.eager(true);
    if (answered < model.methods.size() &&
        model.methods[answered] == http::verb::head)
      parser.skip(true);
    boost::system::error_code ec;
    std::size_t used = 0;
    while (!ec && !parser.is_done() && used < bytes.size())
      used += parser.put(
          boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec == http::error::need_more || (!ec && !parser.is_done())) {
      // The connection ended mid-body: a held response cut off, or one
      // whose end is the close (HTTP/1.0, or no length).
      parser.put_eof(ec);
      FUZZ_CHECK(!ec || ec == http::error::partial_message);
      ++answered;
      break;
    }
    if (ec) {
      std::fprintf(stderr, "response %zu does not parse: %s\n", answered,
                   ec.message().c_str());
      FUZZ_CHECK(!"responses are well framed");
    }
    ++answered;
    if (parser.get().result_int() == 101) return; // frames follow
    bytes.remove_prefix(used);
  }
  FUZZ_CHECK(answered <= model.methods.size() + 1);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  server = new running_server; // lives as long as the fuzzer
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data,
                                      std::size_t size) {
  const auto input = sockjs::fuzz::as_text(data, size);
  std::string received;
  // Generous: an input may have made /amplify busy for a while.
  const auto started = std::chrono::steady_clock::now();
  if (!exchange(input, received, 15s)) {
    const auto stats = server->srv.stats();
    std::fprintf(stderr,
                 "the connection is open after %lld ms (server: %zu "
                 "connections, %zu sessions); received %zu bytes:\n%s\n",
                 static_cast<long long>(
                     std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count()),
                 stats.connections, stats.sessions, received.size(),
                 received.c_str());
    FUZZ_CHECK(!"the connection ends");
  }
  check_responses(received, read_requests(input));
  return 0;
}
