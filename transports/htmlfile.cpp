// HtmlFile, the forever-iframe of old Internet Explorer (spec §7.6).
#include "sockjs/protocol/framing.hpp"
#include "sockjs/transports/handlers.hpp"
#include "sockjs/transports/receiver.hpp"

namespace sockjs::transport {

void htmlfile(const request_context& ctx) {
  auto callback = protocol::read_callback(ctx.match.query, 0);
  if (callback.error != protocol::callback_error::none) {
    ctx.respond_error(protocol::error_text(callback.error));
    return;
  }
  serve_receiver(ctx, {ctx.held_head(protocol::content_type::text_html),
                       protocol::htmlfile_prelude(callback.name),
                       protocol::htmlfile_frame, /*streaming=*/true});
}

} // namespace sockjs::transport
