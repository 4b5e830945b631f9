// The hixie-76 websocket (spec §7.1), hand-written: Beast has none.
#pragma once

#include "sockjs/transports/request_context.hpp"

namespace sockjs::transport {

/// Takes over the connection of a hixie-76 upgrade request.
void serve_hixie76(const request_context& ctx);

} // namespace sockjs::transport
