// Websocket scenarios: SockJS and raw echo, broadcast fan-out, idle
// sessions, handshake rate.
#include "app/bench/scenarios.hpp"
#include "sockjs/protocol/frames.hpp"
#include "sockjs/protocol/json_quote.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <netinet/in.h>
#include <unistd.h>

namespace sockjs::bench {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

// Many connections to one port need more than one source address: the
// loopback range has plenty, from 127.0.0.first on.
tcp::endpoint local_endpoint(unsigned first, std::size_t index) {
  const auto host = first + index / sessions_per_source;
  return {asio::ip::make_address_v4(0x7F000000u + static_cast<unsigned>(host)),
          0};
}

/// Shared state of one run; everything runs on one thread.
struct run_state {
  asio::io_context io;
  options opt;
  std::size_t opened = 0;
  std::size_t budget = 0; // messages still to send
  std::size_t in_flight = 0;
  bool measuring = false;
  bool stopping = false;
  outcome result;
  clock_type::time_point started;
  std::uint64_t cpu_at_start = 0;
  std::uint64_t own_cpu_at_start = 0;
  std::function<void()> on_all_open;

  void begin_measure() {
    measuring = true;
    started = clock_type::now();
    cpu_at_start = cpu_us(opt.server_pid);
    own_cpu_at_start = cpu_us(getpid());
  }
  void end_measure() {
    if (!measuring) return;
    measuring = false;
    result.seconds =
        std::chrono::duration<double>(clock_type::now() - started).count();
    result.server_cpu_us = cpu_us(opt.server_pid) - cpu_at_start;
    result.client_cpu_us = cpu_us(getpid()) - own_cpu_at_start;
    result.rss_kb = rss_kb(opt.server_pid);
  }
  void finish() {
    end_measure();
    io.stop();
  }
};

class ws_session : public std::enable_shared_from_this<ws_session> {
public:
  using message_handler = std::function<void(ws_session&, std::string)>;

  ws_session(run_state& run, bool raw, std::size_t index)
      : run_(run), ws_(run.io), raw_(raw), index_(index) {}

  message_handler on_message;
  std::function<void(ws_session&)> on_open;
  std::function<void(ws_session&)> on_fail; // once, if it breaks
  std::deque<std::pair<std::string, clock_type::time_point>> in_flight;

  void start(const std::string& path) {
    auto& socket = beast::get_lowest_layer(ws_).socket();
    beast::error_code ec;
    socket.open(tcp::v4(), ec);
    // The port is then chosen at connect: a bind to port 0 searches the
    // address's ports, and with thousands taken that search dominates.
    socket.set_option(
        asio::detail::socket_option::boolean<IPPROTO_IP,
                                             IP_BIND_ADDRESS_NO_PORT>(true),
        ec);
    socket.bind(local_endpoint(run_.opt.first_source, index_), ec);
    path_ = path;
    // A server that stops answering must not hold the run.
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds{10});
    beast::get_lowest_layer(ws_).async_connect(
        tcp::endpoint{asio::ip::make_address("127.0.0.1"), run_.opt.port},
        [self = shared_from_this()](beast::error_code ec) {
          if (ec) return self->fail();
          self->ws_.async_handshake(
              "127.0.0.1", self->path_, [self](beast::error_code ec) {
                if (ec) return self->fail();
                beast::get_lowest_layer(self->ws_).expires_never();
                self->ws_.text(true);
                if (self->raw_) self->opened();
                self->read();
              });
        });
  }

  void send(const std::string& payload) {
    std::string text;
    if (raw_) {
      text = payload;
    } else {
      text = "[";
      protocol::append_json_string(text, payload);
      text += "]";
    }
    outbox_.push_back(std::move(text));
    if (!writing_) write();
  }

  void close() {
    closing_ = true;
    ws_.async_close(websocket::close_code::normal,
                    [self = shared_from_this()](beast::error_code) {});
  }

  bool is_open() const { return open_ && !failed_; }
  bool was_opened() const { return open_; }

private:
  void opened() {
    open_ = true;
    if (on_open) on_open(*this);
  }

  void fail() {
    if (failed_ || closing_) return;
    failed_ = true;
    ++run_.result.errors;
    if (on_fail) on_fail(*this);
  }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec,
                                                        std::size_t) {
      if (ec) return self->fail();
      auto text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      self->on_text(std::move(text));
      self->read();
    });
  }

  void on_text(std::string text) {
    if (raw_) {
      on_message(*this, std::move(text));
      return;
    }
    auto frame = protocol::decode_frame(text);
    switch (frame.kind) {
    case protocol::frame_kind::open:
      opened();
      break;
    case protocol::frame_kind::heartbeat:
      ++run_.result.heartbeats;
      break;
    case protocol::frame_kind::messages:
      for (auto& m : frame.messages) on_message(*this, std::move(m));
      break;
    case protocol::frame_kind::close:
    case protocol::frame_kind::invalid:
      fail();
      break;
    }
  }

  void write() {
    writing_ = true;
    ws_.async_write(
        asio::buffer(outbox_.front()),
        [self = shared_from_this()](beast::error_code ec, std::size_t) {
          self->writing_ = false;
          if (ec) return self->fail();
          self->outbox_.pop_front();
          if (!self->outbox_.empty()) self->write();
        });
  }

  run_state& run_;
  websocket::stream<beast::tcp_stream> ws_;
  bool raw_;
  std::size_t index_;
  std::string path_;
  beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  bool writing_ = false;
  bool open_ = false;
  bool failed_ = false;
  bool closing_ = false;
};

using session_ptr = std::shared_ptr<ws_session>;

std::string sockjs_path(const std::string& prefix) {
  return prefix + "/000/" + session_id() + "/websocket";
}

// Opens `count` sessions, at most `parallel` handshakes at a time, and calls
// run.on_all_open once every one is open (or failed).
std::vector<session_ptr> open_sessions(run_state& run, std::size_t count,
                                       bool raw, const std::string& prefix,
                                       std::size_t parallel = 256) {
  std::vector<session_ptr> sessions;
  auto next = std::make_shared<std::size_t>(0);
  auto settled = std::make_shared<std::size_t>(0);
  auto launch = std::make_shared<std::function<void()>>();
  for (std::size_t i = 0; i < count; ++i)
    sessions.push_back(std::make_shared<ws_session>(run, raw, i));
  *launch = [&run, sessions, next, settled, launch, raw, prefix, count] {
    if (*next >= count) return;
    auto s = sessions[(*next)++];
    auto settle = [&run, settled, launch, count] {
      if (++*settled == count && run.on_all_open) run.on_all_open();
      (*launch)();
    };
    s->on_open = [&run, settle](ws_session&) {
      ++run.opened;
      settle();
    };
    s->on_fail = [settle](ws_session& self) {
      if (!self.was_opened())
        settle(); // failed before opening: it still settles
    };
    s->start(raw ? prefix + "/websocket" : sockjs_path(prefix));
  };
  for (std::size_t i = 0; i < std::min(parallel, count); ++i) (*launch)();
  return sessions;
}

void arm_deadline(run_state& run, asio::steady_timer& timer,
                  std::function<void()> on_deadline) {
  timer.expires_after(std::chrono::duration_cast<clock_type::duration>(
      std::chrono::duration<double>(run.opt.duration_s)));
  timer.async_wait([on_deadline](beast::error_code ec) {
    if (!ec) on_deadline();
  });
}

} // namespace

outcome run_ws_echo(const options& opt, bool raw) {
  run_state run;
  run.opt = opt;
  run.budget = opt.messages;
  std::uint64_t seq = 0;
  asio::steady_timer deadline{run.io};
  asio::steady_timer grace{run.io};

  std::function<void(ws_session&)> pump = [&](ws_session& s) {
    while (!run.stopping && run.budget > 0 && s.in_flight.size() < opt.depth) {
      --run.budget;
      ++run.in_flight;
      auto payload = make_payload(seq++, opt.size, opt.unicode);
      s.in_flight.emplace_back(payload, clock_type::now());
      s.send(payload);
    }
    if (run.in_flight == 0 && (run.budget == 0 || run.stopping)) run.finish();
  };

  auto sessions = open_sessions(run, opt.sessions, raw,
                                opt.prefix.empty() ? "/echo" : opt.prefix);
  for (auto& s : sessions)
    s->on_message = [&](ws_session& session, std::string message) {
      if (session.in_flight.empty() ||
          session.in_flight.front().first != message) {
        ++run.result.errors;
      } else {
        run.result.latencies.add(clock_type::now() -
                                 session.in_flight.front().second);
        ++run.result.messages;
      }
      if (!session.in_flight.empty()) {
        session.in_flight.pop_front();
        --run.in_flight;
      }
      pump(session);
    };
  run.on_all_open = [&] {
    run.begin_measure();
    arm_deadline(run, deadline, [&] {
      run.stopping = true;
      if (run.in_flight == 0) return run.finish();
      grace.expires_after(std::chrono::seconds{5});
      grace.async_wait([&](beast::error_code ec) {
        if (ec) return;
        run.result.errors += run.in_flight;
        run.finish();
      });
    });
    for (auto& s : sessions)
      if (s->is_open()) pump(*s);
  };
  run.io.run();
  run.end_measure();
  return std::move(run.result);
}

outcome run_broadcast(const options& opt) {
  run_state run;
  run.opt = opt;
  run.budget = opt.messages;
  std::uint64_t seq = 0;
  std::vector<std::uint64_t> next_expected(opt.sessions, 0);
  std::size_t delivered_of_last = 0;
  asio::steady_timer deadline{run.io};

  auto sessions = open_sessions(run, opt.sessions, false,
                                opt.prefix.empty() ? "/broadcast" : opt.prefix);
  // Session 0 sends; every session, itself included, must get every
  // message in order. The next message goes once all have the previous
  // `depth` ones.
  std::function<void()> pump = [&] {
    while (!run.stopping && run.budget > 0 && run.in_flight < opt.depth) {
      --run.budget;
      ++run.in_flight;
      sessions[0]->send(make_payload(seq++, opt.size, opt.unicode));
    }
    if (run.in_flight == 0 && (run.budget == 0 || run.stopping)) run.finish();
  };
  for (std::size_t i = 0; i < sessions.size(); ++i)
    sessions[i]->on_message = [&, i](ws_session&, std::string message) {
      const auto colon = message.find(':');
      const auto got = std::stoull(message.substr(0, colon));
      if (got != next_expected[i]) ++run.result.errors;
      next_expected[i] = got + 1;
      ++run.result.messages;
      // The sender's window moves when the last receiver has a message.
      if (++delivered_of_last == sessions.size()) {
        delivered_of_last = 0;
        --run.in_flight;
        pump();
      }
    };
  run.on_all_open = [&] {
    run.begin_measure();
    arm_deadline(run, deadline, [&] {
      run.stopping = true;
      run.finish();
    });
    pump();
  };
  run.io.run();
  run.end_measure();
  return std::move(run.result);
}

outcome run_idle(const options& opt) {
  run_state run;
  run.opt = opt;
  const auto rss_before = rss_kb(opt.server_pid);
  asio::steady_timer hold{run.io};
  auto sessions = open_sessions(run, opt.sessions, false,
                                opt.prefix.empty() ? "/echo" : opt.prefix);
  for (auto& s : sessions) s->on_message = [&](ws_session&, std::string) {};
  run.on_all_open = [&] {
    run.begin_measure();
    const auto rss_open = rss_kb(opt.server_pid);
    run.result.rss_per_session_b =
        rss_open > rss_before ? (rss_open - rss_before) * 1024 /
                                    std::max<std::size_t>(run.opened, 1)
                              : 0;
    arm_deadline(run, hold, [&] {
      for (auto& s : sessions)
        if (!s->is_open()) ++run.result.errors;
      run.result.messages = run.opened;
      run.finish();
    });
  };
  run.io.run();
  run.end_measure();
  return std::move(run.result);
}

outcome run_handshakes(const options& opt) {
  run_state run;
  run.opt = opt;
  asio::steady_timer deadline{run.io};
  const auto prefix = opt.prefix.empty() ? std::string{"/echo"} : opt.prefix;
  std::size_t index = 0;
  std::vector<session_ptr> live;
  std::function<void(std::size_t)> cycle = [&](std::size_t slot) {
    if (run.stopping) {
      if (--run.in_flight == 0) run.finish();
      return;
    }
    // Four source addresses: closed connections linger in TIME_WAIT, so
    // one address alone would run out of ports within a run.
    auto s = std::make_shared<ws_session>(run, false,
                                          index++ % (4 * sessions_per_source));
    live[slot] = s;
    const auto began = clock_type::now();
    s->on_message = [](ws_session&, std::string) {};
    s->on_open = [&, slot, began](ws_session& self) {
      run.result.latencies.add(clock_type::now() - began);
      ++run.result.messages;
      self.close();
      cycle(slot);
    };
    s->on_fail = [&, slot](ws_session&) { cycle(slot); };
    s->start(sockjs_path(prefix));
  };
  live.resize(opt.sessions);
  run.begin_measure();
  run.in_flight = opt.sessions;
  arm_deadline(run, deadline, [&] { run.stopping = true; });
  for (std::size_t slot = 0; slot < opt.sessions; ++slot) cycle(slot);
  run.io.run();
  run.end_measure();
  return std::move(run.result);
}

} // namespace sockjs::bench
