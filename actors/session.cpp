#include "sockjs/actors/session.hpp"

#include "sockjs/actors/interfaces.hpp"
#include "sockjs/actors/log.hpp"
#include "sockjs/actors/metrics.hpp"
#include "sockjs/actors/timers.hpp"
#include "sockjs/protocol/frames.hpp"
#include "sockjs/protocol/json_quote.hpp"

#include <caf/all.hpp>

#include <atomic>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sockjs {

namespace {

using clock_type = caf::actor_clock::clock_type;
using time_point = clock_type::time_point;

std::atomic<std::uint64_t> next_connection_id{1};

struct session_state;

// The session whose service runs on this thread right now: a send to it
// from inside its own callback needs no message.
thread_local session_state* current_session = nullptr;

enum class phase { connecting, open, closing };

using session_pointer = session_actor::stateful_pointer<session_state>;

struct session_state {
  static inline const char* name = "sockjs.session";

  explicit session_state(session_pointer self) : self(self) {}

  ~session_state() {
    if (opened_as)
      metrics::add(metrics::counter::ended_by_transport, *opened_as, 1);
  }

  session_pointer self;
  session_config config;
  std::unique_ptr<session_handler> handler;
  connection conn;
  phase state = phase::connecting;
  // Encoded messages waiting for a receiver: JSON strings joined by ','.
  std::string queued;
  protocol::frame stored_close;
  receiver_actor receiver;
  receiver_kind receiver_takes = receiver_kind::polling;
  std::uint32_t frames_unacked = 0; // on their way to the client
  // Its last frame is on its way: the receiver stays ours until it says the
  // frame is written, so that losing it before counts as an abort (§6.7);
  // on another node, the frame may die with that node.
  bool receiver_finishing = false;
  bool stopping = false; // the server stops: end once the client has c
  std::uint32_t pushes_unacked = 0; // from the one websocket link
  // Timers are re-armed lazily: at most one of each is pending, and a tick
  // checks the deadline instead of trusting when it was armed.
  time_point last_activity; // of the attached receiver
  time_point expires_at;    // while no receiver is attached
  bool heartbeat_pending = false;
  std::optional<time_point> next_expiry_tick;
  bool notifying = false;
  std::vector<event> deferred; // a deque would cost 600 B per session
  // Receivers that arrived while one was attached, waiting for the probe.
  std::vector<std::pair<receiver_actor, receiver_kind>> contenders;
  static constexpr auto probe_timeout = std::chrono::seconds{1};
  // Once open: its transport's index in metrics::transport_names.
  std::optional<std::size_t> opened_as;

  time_point now() const { return self->clock().now(); }

  // No more frames until the receiver acknowledges some.
  bool receiver_full() const {
    const auto window =
        receiver_takes == receiver_kind::websocket ? frame_window : 1;
    return frames_unacked >= window;
  }

  bool is_receiver(const caf::strong_actor_ptr& sender) const {
    return receiver &&
           sender == caf::actor_cast<caf::strong_actor_ptr>(receiver);
  }

  // Hands an event to the service. Events raised while the service is
  // handling one (it closed the session, or overflowed the queue, from
  // inside its callback) wait until it returns: handlers never nest.
  void notify(event::kind_t kind, std::string data = {},
              caf::message message = {}) {
    if (!handler) return; // it failed before: it hears nothing more
    deferred.push_back(event{kind, std::move(data), std::move(message)});
    if (notifying) return;
    notifying = true;
    // Restored however handle() returns: no thread-local pointer may
    // outlive the call.
    struct current_guard {
      session_state* outer = current_session;
      explicit current_guard(session_state* now) { current_session = now; }
      ~current_guard() { current_session = outer; }
    } guard{this};
    try {
      for (std::size_t i = 0; i < deferred.size(); ++i) {
        auto ev = std::move(deferred[i]); // handle() may append more
        handler->handle(self, conn, std::move(ev));
      }
    } catch (const std::exception& e) {
      service_failed(e.what());
    } catch (...) {
      service_failed("an exception that is no std::exception");
    }
    deferred.clear();
    notifying = false;
  }

  // The service threw, or its actor died: the session closes with 1011
  // and the service hears nothing more. The server and every other session
  // carry on.
  void service_failed(const std::string& what) {
    log::error("session ", conn.id(), " (", conn.info().path,
               "): the service failed: ", what, "; closing with ",
               close_code::service_error);
    handler.reset();
    deferred.clear();
    if (state == phase::closing) return;
    if (state == phase::open)
      metrics::add(metrics::closed_with(close_code::service_error));
    state = phase::closing;
    stored_close = protocol::frame::close(close_code::service_error,
                                          close_reason::service_error);
    flush();
  }

  void attach(receiver_actor candidate, receiver_kind takes) {
    if (receiver) {
      contend(std::move(candidate), takes);
      return;
    }
    receiver = std::move(candidate);
    receiver_takes = takes;
    frames_unacked = 0;
    last_activity = now();
    self->monitor(receiver);
    arm_heartbeat(config.heartbeat_delay);
    flush();
  }

  // Spec §6.3 turns a second receiver away with 2010, but spec §6.7 wants
  // a receiver whose client has just gone to count as gone, and the news of
  // that may still be on its way. So ask the receiver first whether its
  // client is still there; meanwhile the contender waits.
  void contend(receiver_actor candidate, receiver_kind takes) {
    contenders.emplace_back(std::move(candidate), takes);
    // A finishing receiver leaves soon, written or lost: wait for that.
    if (receiver_finishing) return;
    if (contenders.size() > 1) return; // a probe is already out
    auto probed = receiver;
    self->request(probed, probe_timeout, probe_atom::value)
        .then(
            [this, probed](bool alive) {
              if (!alive && receiver == probed) receiver_lost();
              settle_contenders();
            },
            [this, probed](caf::error& err) {
              // No answer in time: assume alive. A dead receiver: it is lost.
              if (err != caf::sec::request_timeout && receiver == probed)
                receiver_lost();
              settle_contenders();
            });
  }

  void settle_contenders() {
    auto waiting = std::move(contenders);
    contenders.clear();
    for (auto& [candidate, takes] : waiting) {
      if (receiver)
        self->send(candidate, frame_atom::value,
                   protocol::frame::close(close_code::another_connection,
                                          close_reason::another_connection),
                   true);
      else
        attach(std::move(candidate), takes);
    }
  }

  // Sends what there is to send while the receiver takes more.
  void flush() {
    while (receiver && !receiver_full() && !receiver_finishing) {
      if (state == phase::connecting) {
        write(protocol::frame::open(), false);
        state = phase::open;
        metrics::add(metrics::counter::sessions_opened);
        opened_as = metrics::transport_index(conn.info().transport);
        metrics::add(metrics::counter::opened_by_transport, *opened_as, 1);
        notify(event::init);
      } else if (!queued.empty()) {
        // The queue keeps its buffer; the frame's has room for the a[ and ]
        // its transport puts around it (protocol::encode, in place).
        std::string messages;
        messages.reserve(queued.size() + 3);
        messages += queued;
        queued.clear();
        write(protocol::frame::messages_of(std::move(messages)), false);
      } else if (state == phase::closing) {
        write(protocol::frame{stored_close}, true);
      } else {
        return;
      }
    }
  }

  void write(protocol::frame&& frame, bool last) {
    last = last || receiver_takes == receiver_kind::polling;
    self->send(receiver, frame_atom::value, std::move(frame), last);
    last_activity = now();
    ++frames_unacked;
    receiver_finishing = last;
  }

  // The receiver wrote `frames` more frames.
  void written(std::uint32_t frames) {
    frames_unacked -= std::min(frames, frames_unacked);
    if (!receiver_finishing) {
      flush();
      return;
    }
    if (frames_unacked > 0) return;
    detach();
    settle_contenders();
  }

  void detach() {
    self->demonitor(receiver.address());
    receiver = nullptr;
    frames_unacked = 0;
    receiver_finishing = false;
    expires_at = now() + config.disconnect_delay;
    arm_expiry();
  }

  void enter_closing(int code, std::string_view reason) {
    if (state == phase::closing) return;
    const bool was_open = state == phase::open;
    state = phase::closing;
    stored_close = protocol::frame::close(code, reason);
    if (!was_open) return;
    metrics::add(metrics::closed_with(code));
    notify(event::closed);
  }

  // Client messages, to the service one by one.
  void receive(std::vector<std::string>& messages) {
    if (state != phase::open) return;
    metrics::add(metrics::counter::messages_in, messages.size());
    for (auto& message : messages) {
      metrics::add(metrics::counter::bytes_in, message.size());
      notify(event::recv, std::move(message));
      if (state != phase::open) break; // the service closed the session
    }
  }

  void app_send(std::string_view payload) {
    queue(payload.size(), [payload](std::string& out) {
      protocol::append_json_string(out, payload);
    });
  }

  void app_send_json(std::string_view quoted) {
    queue(quoted.size(), [quoted](std::string& out) { out += quoted; });
  }

  // Appends one quoted message to the outgoing queue, within its bound.
  template <class AppendQuoted>
  void queue(std::size_t payload_bytes, AppendQuoted append_quoted) {
    if (state != phase::open) return;
    metrics::add(metrics::counter::messages_out);
    metrics::add(metrics::counter::bytes_out, payload_bytes);
    if (!queued.empty()) queued.push_back(',');
    append_quoted(queued);
    if (queued.size() > config.max_queued_bytes) {
      // The client does not keep up: what is queued would reach it late or
      // never. It hears why instead, at once, even behind a frame its
      // transport is still writing (which then drops it if that write never
      // ends).
      queued.clear();
      log::warning("session ", conn.id(), ": outgoing queue passed ",
                   config.max_queued_bytes, " bytes; closing it with ",
                   close_code::queue_overflow);
      enter_closing(close_code::queue_overflow, close_reason::queue_overflow);
      if (receiver && receiver_full())
        write(protocol::frame{stored_close}, true);
    }
    flush();
  }

  void app_close(int code, const std::string& reason) {
    if (state != phase::open) return;
    enter_closing(code, reason);
    flush();
  }

  void receiver_lost() {
    // Spec §6.7: the client went away mid-response; close at once. What
    // is queued stays undelivered: it would reach the client after a gap.
    self->demonitor(receiver.address());
    receiver = nullptr;
    frames_unacked = 0;
    receiver_finishing = false;
    queued.clear();
    expires_at = now() + config.disconnect_delay;
    enter_closing(close_code::interrupted, close_reason::interrupted);
    arm_expiry();
  }

  void arm_heartbeat(caf::timespan delay) {
    if (heartbeat_pending) return;
    heartbeat_pending = true;
    self->send(config.timers, arm_atom::value, delay,
               caf::atom_value{heartbeat_atom::value});
  }

  void on_heartbeat_tick() {
    heartbeat_pending = false;
    if (!receiver) return;
    const auto due = last_activity + config.heartbeat_delay;
    if (receiver_full() || receiver_finishing) {
      // Frames wait to be written: that is activity enough.
      arm_heartbeat(config.heartbeat_delay);
    } else if (now() >= due) {
      write(protocol::frame::heartbeat(), false);
      if (receiver) arm_heartbeat(config.heartbeat_delay);
    } else {
      arm_heartbeat(caf::timespan{due - now()});
    }
  }

  // Makes sure a tick comes no later than expires_at. A tick already due
  // by then suffices; otherwise (the deadline moved earlier) one more goes.
  void arm_expiry() {
    if (next_expiry_tick && *next_expiry_tick <= expires_at) return;
    next_expiry_tick = expires_at;
    self->send(config.timers, arm_atom::value,
               caf::timespan{expires_at - now()},
               caf::atom_value{expire_atom::value});
  }

  void on_expiry_tick() {
    if (next_expiry_tick && *next_expiry_tick <= now())
      next_expiry_tick.reset();
    if (receiver) return;
    if (now() < expires_at) {
      arm_expiry();
      return;
    }
    // Spec §6.5: gone; the registry forgets the id when it sees us down.
    if (state == phase::open) {
      metrics::add(metrics::counter::sessions_expired);
      notify(event::closed);
    }
    self->quit();
  }

  // The server stops: the attached receiver gets the close frame, a busy
  // one once its frame is out (the server bounds that wait by closing its
  // connections); then the session ends.
  void shutdown() {
    if (state == phase::open)
      enter_closing(close_code::shutting_down, close_reason::shutting_down);
    stopping = true;
    if (state == phase::closing) flush();
    quit_if_stopping();
  }

  void quit_if_stopping() {
    // A receiver still attached gets the close frame, or has it on its way.
    const bool close_frame_pending = state == phase::closing && receiver;
    if (stopping && !close_frame_pending) self->quit();
  }
};

session_actor::behavior_type
session_behavior(session_pointer self, session_config config,
                 handler_factory make_handler,
                 std::shared_ptr<const connection_info> info) {
  auto& st = self->state;
  st.config = config;
  st.handler = make_handler();
  st.conn = connection{caf::actor_cast<caf::actor>(self),
                       next_connection_id.fetch_add(1), std::move(info)};
  // A session that ends takes its pending timers with it.
  self->attach_functor([timers = config.timers, me = self->address()] {
    caf::anon_send(timers, disarm_atom::value, me);
  });
  // No receiver yet: a session nobody attaches to expires as well.
  st.expires_at = st.now() + config.first_attach_timeout;
  st.arm_expiry();
  // A service actor is linked to its session: when it ends on an error
  // (it threw, say), the session closes with 1011 instead of dying with it.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    if (msg.reason)
      self->state.service_failed("its actor ended: " +
                                 self->system().render(msg.reason));
  });
  self->set_down_handler([self](caf::down_msg& down) {
    auto& st = self->state;
    if (st.receiver && down.source == st.receiver.address()) {
      const bool contenders_wait = st.receiver_finishing;
      st.receiver_lost();
      if (contenders_wait) st.settle_contenders();
    }
    st.quit_if_stopping();
  });
  self->set_default_handler(
      [](caf::scheduled_actor* ptr,
         caf::message_view& view) -> caf::result<caf::message> {
        auto self = static_cast<session_pointer>(ptr);
        if (self->state.state == phase::open)
          self->state.notify(event::info, {}, view.move_content_to_message());
        return caf::message{};
      });
  return {
      [self](attach_atom, receiver_actor receiver, receiver_kind takes) {
        self->state.attach(std::move(receiver), takes);
      },
      [self](ready_atom, std::uint32_t frames) {
        auto& st = self->state;
        if (!st.is_receiver(self->current_sender())) return;
        st.written(frames);
        st.quit_if_stopping();
      },
      [self](detach_atom) {
        auto& st = self->state;
        if (st.is_receiver(self->current_sender())) st.detach();
        st.quit_if_stopping();
      },
      [self](deliver_atom, std::vector<std::string>& messages) -> ok_atom {
        self->state.receive(messages);
        return ok_atom::value;
      },
      [self](push_atom, std::vector<std::string>& messages) {
        auto& st = self->state;
        st.receive(messages);
        if (++st.pushes_unacked == push_ack_every) {
          self->send(caf::actor_cast<receiver_actor>(self->current_sender()),
                     pushed_atom::value, st.pushes_unacked);
          st.pushes_unacked = 0;
        }
      },
      [self](send_json_atom, const std::string& quoted) {
        self->state.app_send_json(quoted);
      },
      [self](send_atom, const std::string& payload) {
        self->state.app_send(payload);
      },
      [self](close_atom, int code, std::string& reason) {
        self->state.app_close(code, reason);
      },
      [self](shutdown_atom) { self->state.shutdown(); },
      [self](heartbeat_atom) { self->state.on_heartbeat_tick(); },
      [self](expire_atom) { self->state.on_expiry_tick(); },
  };
}

} // namespace

namespace detail {

bool inside_a_service() {
  return current_session != nullptr;
}

bool send_inline(const caf::actor& session, std::string& payload) {
  auto* st = current_session;
  if (st == nullptr ||
      caf::actor_cast<caf::abstract_actor*>(session) != st->self)
    return false;
  st->app_send(payload);
  return true;
}

} // namespace detail

session_config make_session_config(const service_options& options) {
  session_config config;
  config.heartbeat_delay = options.heartbeat_delay;
  config.disconnect_delay = options.disconnect_delay;
  config.max_queued_bytes = options.max_queued_bytes;
  config.max_sessions = options.max_sessions;
  config.first_attach_timeout =
      std::max(options.disconnect_delay, config.first_attach_timeout);
  return config;
}

session_actor spawn_session(caf::actor_system& system, session_config config,
                            handler_factory make_handler,
                            std::shared_ptr<const connection_info> info) {
  if (!config.timers)
    throw std::invalid_argument("session_config.timers is not set");
  return system.spawn(session_behavior, config, std::move(make_handler),
                      std::move(info));
}

} // namespace sockjs
