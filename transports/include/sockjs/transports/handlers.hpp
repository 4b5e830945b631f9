// Every transport action of spec §2's route table, one function each. The
// files that define them are the transport units.
#pragma once

#include "sockjs/transports/request_context.hpp"

namespace sockjs::transport {

using handler = void (*)(const request_context&);

// static_pages.cpp
void greeting(const request_context& ctx);
void iframe_page(const request_context& ctx);
void info(const request_context& ctx);
void preflight(const request_context& ctx);
void not_found(const request_context& ctx);
void method_not_allowed(const request_context& ctx);

// xhr.cpp
void xhr_polling(const request_context& ctx);
void xhr_send(const request_context& ctx);
void xhr_streaming(const request_context& ctx);

// eventsource.cpp
void eventsource(const request_context& ctx);

// htmlfile.cpp
void htmlfile(const request_context& ctx);

// jsonp.cpp
void jsonp_polling(const request_context& ctx);
void jsonp_send(const request_context& ctx);

// websocket.cpp (RFC 6455 and, through hixie76.cpp, hixie-76; SockJS
// framing, or none for the raw websocket)
void sockjs_websocket(const request_context& ctx);
void raw_websocket(const request_context& ctx);

} // namespace sockjs::transport
