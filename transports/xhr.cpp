// XHR polling, XHR streaming and the XHR sender (spec §7.2-§7.4).
#include "sockjs/protocol/framing.hpp"
#include "sockjs/transports/handlers.hpp"
#include "sockjs/transports/receiver.hpp"

namespace sockjs::transport {

namespace ct = protocol::content_type;

void xhr_polling(const request_context& ctx) {
  serve_receiver(ctx, {ctx.held_head(ct::javascript),
                       {},
                       protocol::xhr_frame,
                       /*streaming=*/false});
}

void xhr_streaming(const request_context& ctx) {
  serve_receiver(ctx, {ctx.held_head(ct::javascript),
                       std::string{protocol::xhr_streaming_prelude()},
                       protocol::xhr_frame, /*streaming=*/true});
}

void xhr_send(const request_context& ctx) {
  // Any request Content-Type is accepted: the body is the JSON text.
  serve_sender(ctx, ctx.request().body(), [](const request_context& done) {
    done.respond(204, ct::text_plain, {});
  });
}

} // namespace sockjs::transport
