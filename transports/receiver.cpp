#include "sockjs/transports/receiver.hpp"

#include "sockjs/actors/interfaces.hpp"
#include "sockjs/protocol/frames.hpp"
#include "sockjs/protocol/pages.hpp"
#include "sockjs/protocol/payload.hpp"
#include "sockjs/transports/io_requester.hpp"
#include "sockjs/transports/session_link.hpp"

#include <boost/asio/post.hpp>
#include <caf/all.hpp>

namespace sockjs::transport {

namespace {

// One held response: what it wraps frames with, and what it has written.
struct held_response {
  std::shared_ptr<http_connection> conn;
  std::function<std::string(std::string_view)> wrap;
  bool streaming;
  std::size_t limit;
  std::size_t written = 0; // wrapped frame bytes, prelude excluded
  std::shared_ptr<session_link> link;

  bool ended = false;

  // Ends the response. The link stays until the end is written: a session
  // waiting for its last frame to be written (see write_frame) must see the
  // link die if this node does first. `written` runs just before.
  void end(std::function<void()> written = {}) {
    ended = true;
    conn->end_held([link = link, written = std::move(written)] {
      if (written) written();
      if (link) link->close();
    });
  }
};

void respond_not_found(const request_context& ctx) {
  ctx.respond(404, protocol::content_type::text_plain,
              std::string{protocol::not_found_body});
}

// Runs on the connection's executor: writes one frame, then tells the session
// whether it wants the next one.
void write_frame(const std::shared_ptr<held_response>& held,
                 protocol::frame&& frame, bool last) {
  auto bytes = held->wrap(protocol::encode(std::move(frame)));
  held->written += bytes.size();
  held->conn->write_held(std::move(bytes), [held, last] {
    if (last) {
      // The session lets go once the whole response is out.
      held->end([link = held->link] { link->written(); });
    } else if (held->streaming && held->written >= held->limit) {
      // Spec §6.6: the limit ends this response, not the session.
      held->link->limit_reached();
      held->end();
    } else {
      held->link->written();
    }
  });
}

// Delivers `messages` to `session`; a session on another node gets a
// deadline, as CAF drops messages to a dead node silently.
void deliver(const request_context& ctx, const session_actor& session,
             std::vector<std::string> messages,
             std::function<void(const request_context&)> on_delivered) {
  std::optional<std::chrono::milliseconds> timeout;
  if (session.node() != ctx.system().node())
    timeout = ctx.conn->server().config.cluster.timeout;
  ctx.conn->server().requester->request(
      session, timeout, ctx.conn->executor(),
      [ctx, on_delivered](caf::message& result) {
        if (result.match_elements<ok_atom>())
          on_delivered(ctx);
        else
          respond_not_found(ctx); // ended meanwhile, or its node is gone
      },
      deliver_atom::value, std::move(messages));
}

} // namespace

// Starts the held response and attaches it to `session` as its receiver.
void hold_for(const request_context& ctx, receiver_spec spec,
              const session_actor& session) {
  auto held = std::make_shared<held_response>();
  held->conn = ctx.conn;
  held->wrap = std::move(spec.wrap);
  held->streaming = spec.streaming;
  held->limit = ctx.options().response_limit;
  session_link::callbacks on;
  on.frame = [held](protocol::frame& frame, bool last) {
    write_frame(held, std::move(frame), last);
  };
  // The session ended without a last frame for us, or could not be had
  // (its cluster node is gone or does not answer): say so, never just end.
  on.session_gone = [held] {
    if (held->ended) return;
    write_frame(held,
                protocol::frame::close(close_code::session_lost,
                                       close_reason::session_lost),
                true);
  };
  on.client_alive = [conn = ctx.conn] { return conn->client_alive(); };
  ctx.conn->begin_held(std::move(spec.head), std::move(spec.prelude), [held] {
    // The client is gone: the session sees its
    // receiver die and closes (spec §6.7).
    if (held->link) held->link->close();
  });
  held->link = session_link::attach(ctx.system(), ctx.conn->executor(), session,
                                    spec.streaming, std::move(on));
}

void serve_receiver(const request_context& ctx, receiver_spec spec) {
  // A session this node knows is found without a message (most requests:
  // every poll after the first).
  std::string id{ctx.match.session_id};
  if (auto session = ctx.service->find_session(id))
    return hold_for(ctx, std::move(spec), session);
  // Otherwise the locator finds or makes it (in a cluster, the owner does)
  // before the response starts, so that a refusal is a status.
  ctx.conn->server().requester->request(
      ctx.service->locator, std::nullopt, ctx.conn->executor(),
      [ctx, spec = std::move(spec)](caf::message& reply) mutable {
        if (reply.match_elements<session_actor>()) {
          hold_for(ctx, std::move(spec), reply.get_as<session_actor>(0));
          return;
        }
        const bool full = reply.match_elements<caf::error>() &&
                          reply.get_as<caf::error>(0) ==
                              make_error(registry_error::too_many_sessions);
        ctx.respond(503, protocol::content_type::text_plain,
                    full ? "Too many sessions: try again later.\n"
                         : "The session is not available: try again.\n");
      },
      open_atom::value, id, ctx.info());
}

void serve_sender(const request_context& ctx, std::string_view json_text,
                  std::function<void(const request_context&)> on_delivered) {
  auto decoded = protocol::decode_sender_payload(json_text);
  if (!decoded.ok()) {
    ctx.respond_error(protocol::error_text(decoded.error));
    return;
  }
  std::string id{ctx.match.session_id};
  if (auto session = ctx.service->find_session(id)) {
    deliver(ctx, session, std::move(decoded.messages), std::move(on_delivered));
    return;
  }
  // Unknown here: the locator knows (in a cluster, it asks the owner).
  ctx.conn->server().requester->request(
      ctx.service->locator, std::nullopt, ctx.conn->executor(),
      [ctx, messages = std::move(decoded.messages),
       on_delivered](caf::message& result) mutable {
        if (result.match_elements<session_actor>())
          deliver(ctx, result.get_as<session_actor>(0), std::move(messages),
                  std::move(on_delivered));
        else
          respond_not_found(ctx);
      },
      lookup_atom::value, id);
}

} // namespace sockjs::transport
