// JSONP polling and the JSONP sender (spec §7.7, §7.8).
#include "sockjs/protocol/framing.hpp"
#include "sockjs/protocol/payload.hpp"
#include "sockjs/transports/handlers.hpp"
#include "sockjs/transports/receiver.hpp"

namespace sockjs::transport {

namespace ct = protocol::content_type;

void jsonp_polling(const request_context& ctx) {
  auto callback = protocol::read_callback(ctx.match.query,
                                          protocol::jsonp_callback_max_length);
  if (callback.error != protocol::callback_error::none) {
    ctx.respond_error(protocol::error_text(callback.error));
    return;
  }
  auto head = ctx.held_head(ct::javascript);
  head.set("X-Content-Type-Options", "nosniff");
  serve_receiver(ctx, {std::move(head),
                       {},
                       [name = callback.name](std::string_view frame) {
                         return protocol::jsonp_frame(name, frame);
                       },
                       /*streaming=*/false});
}

void jsonp_send(const request_context& ctx) {
  const auto& req = ctx.request();
  const auto type = req[http::field::content_type];
  const auto json =
      protocol::jsonp_send_json_text({type.data(), type.size()}, req.body());
  serve_sender(ctx, json, [](const request_context& done) {
    // 200 and "ok", not 204: Konqueror mishandles 204 here.
    done.respond(200, ct::text_plain, "ok");
  });
}

} // namespace sockjs::transport
