// The machinery every HTTP receiver transport shares (spec §6, §10): find
// or create the session, attach to it through a session_link, and
// write each frame it gets as one chunk, until the session ends the
// response, the response limit is reached, or the client goes away.
#pragma once

#include "sockjs/transports/request_context.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace sockjs::transport {

struct receiver_spec {
  /// Status line and headers, written at once.
  http_reply head;
  /// Written right after the head; not counted towards response_limit.
  std::string prelude;
  /// Turns a frame into the bytes of one chunk.
  std::function<std::string(std::string_view frame)> wrap;
  /// Polling receivers end after one frame; streaming ones after
  /// response_limit bytes of wrapped frames.
  bool streaming;
};

void serve_receiver(const request_context& ctx, receiver_spec spec);

/// The sender side (xhr_send, jsonp_send): decodes `json_text` (spec §3.6
/// error order), delivers the messages to an existing session and calls
/// `on_delivered` once the session has them; unknown sessions get 404.
void serve_sender(const request_context& ctx, std::string_view json_text,
                  std::function<void(const request_context&)> on_delivered);

} // namespace sockjs::transport
