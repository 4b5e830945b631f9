#include "sockjs/admin.hpp"

#include "sockjs/actors/log.hpp"
#include "sockjs/actors/metrics.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <optional>
#include <sstream>
#include <thread>

namespace sockjs {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string label_value(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"')
      out += '\\';
    else if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// One metric family: its HELP and TYPE lines, then its samples.
class family {
public:
  family(std::ostringstream& out, std::string_view name, std::string_view type,
         std::string_view help)
      : out_(out), name_(name) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' '
         << type << '\n';
  }

  template <class Value>
  family& sample(Value value, std::string_view labels = {},
                 std::string_view suffix = {}) {
    out_ << name_ << suffix;
    if (!labels.empty()) out_ << '{' << labels << '}';
    out_ << ' ' << value << '\n';
    return *this;
  }

private:
  std::ostringstream& out_;
  std::string_view name_;
};

std::string label(std::string_view name, std::string_view value) {
  return std::string{name} + "=\"" + label_value(value) + '"';
}

} // namespace

std::string metrics_text(server& srv) {
  using metrics::counter;
  const auto stats = srv.stats();
  const auto counts = metrics::read();
  const auto members = srv.cluster_members();
  std::ostringstream out;

  family{out, "sockjs_ready", "gauge",
         "1 while the server takes requests, 0 once it stops"}
      .sample(srv.ready() ? 1 : 0);
  family{out, "sockjs_connections_open", "gauge",
         "Open client connections, websockets included"}
      .sample(stats.connections);
  family{out, "sockjs_connections_refused_total", "counter",
         "Connections answered 503 at --max-connections"}
      .sample(stats.connections_refused);
  family{out, "sockjs_connections_shed_total", "counter",
         "Idle connections closed to make room at --max-connections"}
      .sample(stats.connections_shed);
  {
    family open{out, "sockjs_sessions_open", "gauge",
                "Live sessions, by service"};
    for (const auto& service : stats.services)
      open.sample(service.sessions, label("service", service.prefix));
  }
  {
    family by_transport{out, "sockjs_sessions_open_by_transport", "gauge",
                        "Open sessions, by the transport that opened them"};
    const auto opened = static_cast<std::size_t>(counter::opened_by_transport);
    const auto ended = static_cast<std::size_t>(counter::ended_by_transport);
    for (std::size_t i = 0; i < metrics::transport_names.size(); ++i) {
      // Shards are read one after another: a session that opened and ended
      // meanwhile may show its end only.
      const auto in = counts.values[opened + i];
      const auto gone = counts.values[ended + i];
      by_transport.sample(in > gone ? in - gone : 0,
                          label("transport", metrics::transport_names[i]));
    }
  }
  {
    family refused{out, "sockjs_sessions_refused_total", "counter",
                   "New sessions refused at --max-sessions, by service"};
    for (const auto& service : stats.services)
      refused.sample(service.sessions_refused,
                     label("service", service.prefix));
  }
  family{out, "sockjs_sessions_opened_total", "counter",
         "Sessions opened (the client got o)"}
      .sample(counts[counter::sessions_opened]);
  family{out, "sockjs_sessions_closed_total", "counter",
         "Sessions ended, by close code (application: 3000-4999; expired: "
         "no receiver for the disconnect delay)"}
      .sample(counts[counter::closed_normal], "code=\"1000\"")
      .sample(counts[counter::closed_shutting_down], "code=\"1001\"")
      .sample(counts[counter::closed_interrupted], "code=\"1002\"")
      .sample(counts[counter::closed_service_error], "code=\"1011\"")
      .sample(counts[counter::closed_queue_overflow], "code=\"1013\"")
      .sample(counts[counter::closed_application], "code=\"application\"")
      .sample(counts[counter::closed_other], "code=\"other\"")
      .sample(counts[counter::sessions_expired], "code=\"expired\"");
  family{out, "sockjs_queue_overflows_total", "counter",
         "Sessions closed with 1013: their client did not keep up"}
      .sample(counts[counter::closed_queue_overflow]);
  family{out, "sockjs_messages_received_total", "counter",
         "Messages from clients to services"}
      .sample(counts[counter::messages_in]);
  family{out, "sockjs_messages_sent_total", "counter",
         "Messages from services to clients"}
      .sample(counts[counter::messages_out]);
  family{out, "sockjs_message_bytes_received_total", "counter",
         "Payload bytes of the messages received"}
      .sample(counts[counter::bytes_in]);
  family{out, "sockjs_message_bytes_sent_total", "counter",
         "Payload bytes of the messages sent"}
      .sample(counts[counter::bytes_out]);
  {
    family responses{out, "sockjs_http_responses_total", "counter",
                     "HTTP responses, by status class (101: websockets)"};
    const char* classes[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    for (std::size_t i = 0; i < 5; ++i)
      responses.sample(
          counts.values[static_cast<std::size_t>(counter::responses_1xx) + i],
          label("class", classes[i]));
  }
  {
    family duration{out, "sockjs_http_request_duration_seconds", "histogram",
                    "From a request's first byte to its response's end"};
    std::uint64_t cumulative = 0;
    const auto first =
        static_cast<std::size_t>(counter::request_duration_bucket);
    for (std::size_t i = 0; i <= metrics::duration_bounds_us.size(); ++i) {
      cumulative += counts.values[first + i];
      std::string le = "+Inf";
      if (i < metrics::duration_bounds_us.size()) {
        std::ostringstream bound;
        bound << static_cast<double>(metrics::duration_bounds_us[i]) / 1e6;
        le = bound.str();
      }
      duration.sample(cumulative, label("le", le), "_bucket");
    }
    duration.sample(
        static_cast<double>(counts[counter::request_duration_sum_us]) / 1e6, {},
        "_sum");
    duration.sample(cumulative, {}, "_count");
  }
  family{out, "sockjs_cluster_members", "gauge",
         "Cluster members up, this node included (0: no cluster)"}
      .sample(members.size());
  return std::move(out).str();
}

struct admin_endpoint::impl {
  impl(server& srv, admin_config cfg) : srv(srv), config(std::move(cfg)) {}

  // One request per connection: scrapes and probes need no keep-alive.
  struct exchange : std::enable_shared_from_this<exchange> {
    exchange(impl& owner, tcp::socket socket)
        : owner(owner), stream(std::move(socket)) {}

    void start() {
      stream.expires_after(std::chrono::seconds{5});
      http::async_read(
          stream, buffer, request,
          [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return fail(ec, "admin read");
            self->answer();
          });
    }

    static void fail(beast::error_code ec, const char* what) {
      if (ec != asio::error::operation_aborted && ec != beast::error::timeout &&
          ec != http::error::end_of_stream)
        log::warning(what, ": ", ec.message());
    }

    void answer() {
      response.version(request.version());
      response.keep_alive(false);
      response.set(http::field::content_type, "text/plain; charset=utf-8");
      const auto target = request.target();
      if (request.method() != http::verb::get &&
          request.method() != http::verb::head) {
        response.result(http::status::method_not_allowed);
        response.set(http::field::allow, "GET, HEAD");
      } else if (target == "/metrics") {
        response.set(http::field::content_type,
                     "text/plain; version=0.0.4; charset=utf-8");
        response.body() = metrics_text(owner.srv);
      } else if (target == "/healthz") {
        response.body() = "ok\n";
      } else if (target == "/readyz") {
        const bool ready = owner.srv.ready();
        response.result(ready ? http::status::ok
                              : http::status::service_unavailable);
        response.body() = ready ? "ready\n" : "not ready: stopping\n";
      } else {
        response.result(http::status::not_found);
        response.body() = "not found: /metrics, /healthz, /readyz\n";
      }
      response.prepare_payload();
      if (request.method() == http::verb::head) response.body().clear();
      http::async_write(
          stream, response,
          [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) fail(ec, "admin write");
            beast::error_code ignored;
            self->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
          });
    }

    impl& owner;
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
  };

  void accept() {
    acceptor->async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (ec) {
        exchange::fail(ec, "admin accept");
      } else {
        std::make_shared<exchange>(*this, std::move(socket))->start();
      }
      accept();
    });
  }

  server& srv;
  admin_config config;
  asio::io_context io{1};
  std::optional<tcp::acceptor> acceptor;
  std::thread thread;
};

admin_endpoint::admin_endpoint(server& srv, admin_config config)
    : impl_(std::make_unique<impl>(srv, std::move(config))) {}

admin_endpoint::~admin_endpoint() {
  stop();
}

std::uint16_t admin_endpoint::start() {
  auto& self = *impl_;
  tcp::endpoint endpoint{asio::ip::make_address(self.config.host),
                         self.config.port};
  self.acceptor.emplace(self.io, endpoint); // reuse_address, listen
  self.accept();
  const auto port = self.acceptor->local_endpoint().port();
  self.thread = std::thread{[&io = self.io] { io.run(); }};
  return port;
}

void admin_endpoint::stop() {
  auto& self = *impl_;
  if (!self.thread.joinable()) return;
  self.io.stop(); // exchanges in flight are dropped: probes retry
  self.thread.join();
}

} // namespace sockjs
