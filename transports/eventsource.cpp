// EventSource (spec §7.5).
#include "protocol/framing.hpp"
#include "transports/handlers.hpp"
#include "transports/receiver.hpp"

namespace sockjs::transport {

void eventsource(const request_context& ctx) {
  serve_receiver(ctx, {ctx.held_head(protocol::content_type::event_stream),
                       std::string{protocol::eventsource_prelude},
                       protocol::eventsource_frame, /*streaming=*/true});
}

} // namespace sockjs::transport
