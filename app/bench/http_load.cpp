// XHR scenarios: each session has a receiving connection (a held
// xhr_streaming response, or xhr polls one after the other) and a sending
// connection posting xhr_send, both keep-alive.
#include "app/bench/scenarios.hpp"
#include "sockjs/protocol/frames.hpp"
#include "sockjs/protocol/json_quote.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <unistd.h>

namespace sockjs::bench {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

struct xhr_run {
  asio::io_context io;
  options opt;
  bool streaming = true;
  std::size_t budget = 0;
  std::size_t in_flight = 0;
  std::size_t opened = 0;
  bool stopping = false;
  bool measuring = false;
  std::uint64_t seq = 0;
  outcome result;
  clock_type::time_point started;
  std::uint64_t cpu_at_start = 0;
  std::uint64_t own_cpu_at_start = 0;
  std::function<void()> on_all_open;

  void finish() {
    if (measuring) {
      measuring = false;
      result.seconds =
          std::chrono::duration<double>(clock_type::now() - started).count();
      result.server_cpu_us = cpu_us(opt.server_pid) - cpu_at_start;
      result.client_cpu_us = cpu_us(getpid()) - own_cpu_at_start;
      result.rss_kb = rss_kb(opt.server_pid);
    }
    io.stop();
  }
};

class xhr_session : public std::enable_shared_from_this<xhr_session> {
public:
  xhr_session(xhr_run& run, std::string url)
      : run_(run), url_(std::move(url)), receiver_(run.io), sender_(run.io) {}

  void start() {
    const tcp::endpoint server{asio::ip::make_address("127.0.0.1"),
                               run_.opt.port};
    auto self = shared_from_this();
    receiver_.async_connect(server, [self](beast::error_code ec) {
      if (ec) return self->fail();
      self->receive();
    });
    sender_.async_connect(server, [self](beast::error_code ec) {
      if (ec) return self->fail();
      self->sender_ready_ = true;
      self->pump();
    });
  }

  void pump() {
    if (!open_ || !sender_ready_ || sending_ || run_.stopping)
      return check_done();
    if (run_.budget == 0 || in_flight_.size() >= run_.opt.depth)
      return check_done();
    --run_.budget;
    ++run_.in_flight;
    auto payload = make_payload(run_.seq++, run_.opt.size, run_.opt.unicode);
    std::string body = "[";
    protocol::append_json_string(body, payload);
    body += "]";
    in_flight_.emplace_back(std::move(payload), clock_type::now());
    send_req_ = {http::verb::post, url_ + "/xhr_send", 11};
    send_req_.set(http::field::host, "127.0.0.1");
    send_req_.set(http::field::content_type, "text/plain");
    send_req_.body() = std::move(body);
    send_req_.prepare_payload();
    sending_ = true;
    auto self = shared_from_this();
    http::async_write(
        sender_, send_req_, [self](beast::error_code ec, std::size_t) {
          if (ec) return self->fail();
          self->send_res_ = {};
          http::async_read(self->sender_, self->send_buffer_, self->send_res_,
                           [self](beast::error_code ec, std::size_t) {
                             self->sending_ = false;
                             if (ec || self->send_res_.result_int() != 204)
                               return self->fail();
                             self->pump();
                           });
        });
  }

  std::function<void()> on_open;

private:
  // One receiving request: a held xhr_streaming response, or one xhr poll.
  void receive() {
    recv_req_ = {http::verb::post,
                 url_ + (run_.streaming ? "/xhr_streaming" : "/xhr"), 11};
    recv_req_.set(http::field::host, "127.0.0.1");
    recv_req_.content_length(0);
    parser_.emplace();
    parser_->body_limit(boost::none);
    parser_->on_chunk_body(on_chunk_); // Beast keeps a reference
    auto self = shared_from_this();
    http::async_write(receiver_, recv_req_,
                      [self](beast::error_code ec, std::size_t) {
                        if (ec) return self->fail();
                        self->read_more();
                      });
  }

  void read_more() {
    auto self = shared_from_this();
    http::async_read_some(receiver_, recv_buffer_, *parser_,
                          [self](beast::error_code ec, std::size_t) {
                            if (ec) return self->fail();
                            if (self->parser_->is_done()) {
                              // A body with Content-Length did not go through
                              // on_chunk_body.
                              if (!self->parser_->chunked())
                                self->on_bytes(self->parser_->get().body());
                              // Polls end after one frame, streams at
                              // response_limit: again.
                              if (!self->run_.stopping ||
                                  !self->in_flight_.empty())
                                self->receive();
                              return;
                            }
                            self->read_more();
                          });
  }

  // Frames are separated by '\n' and never hold a raw one.
  void on_bytes(beast::string_view bytes) {
    pending_.append(bytes.data(), bytes.size());
    std::size_t start = 0;
    for (auto nl = pending_.find('\n'); nl != std::string::npos;
         nl = pending_.find('\n', start)) {
      on_frame(std::string_view{pending_}.substr(start, nl - start));
      start = nl + 1;
    }
    pending_.erase(0, start);
  }

  void on_frame(std::string_view text) {
    if (!text.empty() && text[0] == 'h')
      return; // heartbeat or the streaming prelude
    auto frame = protocol::decode_frame(text);
    if (frame.kind == protocol::frame_kind::open) {
      open_ = true;
      ++run_.opened;
      if (on_open) on_open();
      return;
    }
    if (frame.kind != protocol::frame_kind::messages) return fail();
    for (auto& m : frame.messages) {
      if (in_flight_.empty() || in_flight_.front().first != m) {
        ++run_.result.errors;
      } else {
        run_.result.latencies.add(clock_type::now() -
                                  in_flight_.front().second);
        ++run_.result.messages;
      }
      if (!in_flight_.empty()) {
        in_flight_.pop_front();
        --run_.in_flight;
      }
    }
    pump();
  }

  void check_done() {
    if (run_.in_flight == 0 && run_.measuring &&
        (run_.budget == 0 || run_.stopping))
      run_.finish();
  }

  void fail() {
    if (failed_ || run_.stopping) return;
    failed_ = true;
    ++run_.result.errors;
  }

  xhr_run& run_;
  std::string url_;
  beast::tcp_stream receiver_;
  beast::tcp_stream sender_;
  beast::flat_buffer recv_buffer_;
  beast::flat_buffer send_buffer_;
  http::request<http::empty_body> recv_req_;
  std::optional<http::response_parser<http::string_body>> parser_;
  http::request<http::string_body> send_req_;
  http::response<http::string_body> send_res_;
  std::string pending_;
  std::function<std::size_t(std::uint64_t, beast::string_view,
                            beast::error_code&)>
      on_chunk_ =
          [this](std::uint64_t, beast::string_view body, beast::error_code&) {
            on_bytes(body);
            return body.size();
          };
  std::deque<std::pair<std::string, clock_type::time_point>> in_flight_;
  bool open_ = false;
  bool sender_ready_ = false;
  bool sending_ = false;
  bool failed_ = false;
};

} // namespace

outcome run_xhr_echo(const options& opt, bool streaming) {
  xhr_run run;
  run.opt = opt;
  run.streaming = streaming;
  run.budget = opt.messages;
  const auto prefix = opt.prefix.empty() ? std::string{"/echo"} : opt.prefix;
  std::vector<std::shared_ptr<xhr_session>> sessions;
  for (std::size_t i = 0; i < opt.sessions; ++i)
    sessions.push_back(
        std::make_shared<xhr_session>(run, prefix + "/000/" + session_id()));
  asio::steady_timer deadline{run.io};
  asio::steady_timer grace{run.io};
  for (auto& s : sessions)
    s->on_open = [&] {
      if (run.opened != sessions.size()) return;
      run.measuring = true;
      run.started = clock_type::now();
      run.cpu_at_start = cpu_us(opt.server_pid);
      run.own_cpu_at_start = cpu_us(getpid());
      deadline.expires_after(std::chrono::duration_cast<clock_type::duration>(
          std::chrono::duration<double>(opt.duration_s)));
      deadline.async_wait([&](beast::error_code ec) {
        if (ec) return;
        run.stopping = true;
        grace.expires_after(std::chrono::seconds{5});
        grace.async_wait([&](beast::error_code ec) {
          if (ec) return;
          run.result.errors += run.in_flight;
          run.finish();
        });
        if (run.in_flight == 0) run.finish();
      });
      for (auto& each : sessions) each->pump();
    };
  for (auto& s : sessions) s->start();
  run.io.run();
  return std::move(run.result);
}

} // namespace sockjs::bench
