#include "transports/receiver.hpp"

#include "actors/atoms.hpp"
#include "protocol/pages.hpp"
#include "protocol/payload.hpp"

#include <boost/asio/post.hpp>
#include <caf/all.hpp>

namespace sockjs::transport {

namespace {

// Asio side -> receiver actor: the response is over, quit quietly.
using done_atom = caf::atom_constant<caf::atom("done")>;

// The part of a held response the receiver actor writes to.
struct held_response {
  std::shared_ptr<http_connection> conn;
  std::function<std::string(std::string_view)> wrap;
  bool streaming;
  std::size_t limit;
  std::size_t written = 0; // wrapped frame bytes, prelude excluded
};

// Runs on the connection's strand: writes one frame, then tells the session
// (as the receiver) whether it wants the next one.
void write_frame(std::shared_ptr<held_response> held, caf::actor receiver,
                 caf::actor session, std::string frame, bool last) {
  auto bytes = held->wrap(frame);
  held->written += bytes.size();
  auto& conn = *held->conn;
  conn.write_held(std::move(bytes), [held, receiver, session, last] {
    if (last) {
      held->conn->end_held();
    } else if (held->streaming && held->written >= held->limit) {
      // Spec §6.6: the limit ends this response, not the session.
      caf::send_as(receiver, session, detach_atom::value);
      caf::anon_send(receiver, done_atom::value);
      held->conn->end_held();
    } else {
      caf::send_as(receiver, session, ready_atom::value);
    }
  });
}

caf::behavior receiver_actor(caf::event_based_actor* self, caf::actor registry,
                             std::string session_id, connection_info info,
                             bool streaming,
                             std::shared_ptr<held_response> held) {
  auto end_response = [self, held] {
    boost::asio::post(held->conn->executor(),
                      [held] { held->conn->end_held(); });
    self->quit();
  };
  self->request(registry, caf::infinite, open_atom::value,
                std::move(session_id), std::move(info))
      .then(
          [self, streaming](caf::actor& session) {
            self->monitor(session);
            self->send(session, attach_atom::value,
                       caf::actor_cast<caf::actor>(self), streaming);
          },
          [end_response](caf::error&) { end_response(); });
  // The session ended (server shutdown) while we were attached.
  self->set_down_handler([end_response](caf::down_msg&) { end_response(); });
  return {
      [self, held](frame_atom, std::string& frame, bool last) {
        auto receiver = caf::actor_cast<caf::actor>(self);
        auto session = caf::actor_cast<caf::actor>(self->current_sender());
        boost::asio::post(held->conn->executor(), [held, receiver, session,
                                                   frame = std::move(frame),
                                                   last]() mutable {
          write_frame(held, receiver, session, std::move(frame), last);
        });
        if (last) self->quit();
      },
      [self, held](probe_atom) {
        auto promise = self->make_response_promise<bool>();
        boost::asio::post(held->conn->executor(), [held, promise]() mutable {
          promise.deliver(held->conn->client_alive());
        });
        return promise;
      },
      [self](done_atom) { self->quit(); },
  };
}

} // namespace

void serve_receiver(const request_context& ctx, receiver_spec spec) {
  auto held = std::make_shared<held_response>();
  held->conn = ctx.conn;
  held->wrap = std::move(spec.wrap);
  held->streaming = spec.streaming;
  held->limit = ctx.options().response_limit;
  auto receiver = ctx.system().spawn(receiver_actor, ctx.service->registry,
                                     std::string{ctx.match.session_id},
                                     ctx.info(), spec.streaming, held);
  ctx.conn->begin_held(
      std::move(spec.head), std::move(spec.prelude), [receiver] {
        // The client is gone: the session sees its
        // receiver die and closes (spec §6.7).
        caf::anon_send_exit(receiver, caf::exit_reason::user_shutdown);
      });
}

void serve_sender(const request_context& ctx, std::string_view json_text,
                  std::function<void(const request_context&)> on_delivered) {
  auto decoded = protocol::decode_sender_payload(json_text);
  if (!decoded.ok()) {
    ctx.respond_error(protocol::error_text(decoded.error));
    return;
  }
  auto answer = [ctx](bool delivered,
                      std::function<void(const request_context&)> ok) {
    boost::asio::post(ctx.conn->executor(), [ctx, delivered, ok] {
      if (delivered)
        ok(ctx);
      else
        ctx.respond(404, protocol::content_type::text_plain,
                    std::string{protocol::not_found_body});
    });
  };
  ctx.system().spawn([registry = ctx.service->registry,
                      id = std::string{ctx.match.session_id},
                      messages = std::move(decoded.messages), answer,
                      on_delivered](caf::event_based_actor* self) mutable {
    self->request(registry, caf::infinite, lookup_atom::value, id)
        .then(
            [self, messages, answer,
             on_delivered](caf::actor& session) mutable {
              self->request(session, caf::infinite, deliver_atom::value,
                            std::move(messages))
                  .then([answer,
                         on_delivered](ok_atom) { answer(true, on_delivered); },
                        [answer, on_delivered](caf::error&) {
                          answer(false, on_delivered);
                        });
            },
            [answer, on_delivered](caf::error&) {
              answer(false, on_delivered);
            });
  });
}

} // namespace sockjs::transport
