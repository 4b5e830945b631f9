// EventSource (spec §7.5).
#include "sockjs/protocol/framing.hpp"
#include "sockjs/transports/handlers.hpp"
#include "sockjs/transports/receiver.hpp"

namespace sockjs::transport {

void eventsource(const request_context& ctx) {
  serve_receiver(ctx, {ctx.held_head(protocol::content_type::event_stream),
                       std::string{protocol::eventsource_prelude},
                       protocol::eventsource_frame, /*streaming=*/true});
}

} // namespace sockjs::transport
