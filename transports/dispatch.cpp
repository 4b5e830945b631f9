// The server's routing: plain files, then the service under the longest
// matching prefix, whose route table (protocol/router.hpp) names the action;
// this file maps each action to the transport unit that serves it.
#include "sockjs/transports/dispatch.hpp"

#include "sockjs/protocol/headers.hpp"
#include "sockjs/protocol/pages.hpp"
#include "sockjs/protocol/url.hpp"
#include "sockjs/transports/handlers.hpp"

#include <utility>

namespace sockjs::transport {

namespace {

using protocol::action;

// clang-format off
constexpr std::pair<action, handler> handlers[] = {
  {action::greeting,      greeting},
  {action::iframe_page,   iframe_page},
  {action::info,          info},
  {action::preflight,     preflight},
  {action::raw_websocket, raw_websocket},
  {action::websocket,     sockjs_websocket},
  {action::xhr,           xhr_polling},
  {action::xhr_send,      xhr_send},
  {action::xhr_streaming, xhr_streaming},
  {action::eventsource,   eventsource},
  {action::htmlfile,      htmlfile},
  {action::jsonp,         jsonp_polling},
  {action::jsonp_send,    jsonp_send},
};
// clang-format on

handler handler_for(action a) {
  for (const auto& [key, fn] : handlers)
    if (key == a) return fn;
  return not_found;
}

void plain_response(http_connection& conn, http::status status,
                    std::string body) {
  http_reply reply{static_cast<unsigned>(status), {}, std::move(body)};
  reply.set("Content-Type", "text/plain; charset=UTF-8");
  conn.respond(std::move(reply));
}

void serve_file(http_connection& conn, const file_mount& file) {
  const auto& req = conn.request();
  if (req.method() != http::verb::get) {
    http_reply reply{405, {}, {}};
    reply.set("Allow", "GET");
    conn.respond(std::move(reply));
    return;
  }
  http_reply reply{200, {}, file.body};
  reply.set("Content-Type", file.content_type);
  reply.set("Cache-Control", "no-cache");
  conn.respond(std::move(reply));
}

bool origin_allowed(const request_context& ctx) {
  // Most services take any origin: no header is looked at then.
  if (protocol::any_origin(ctx.options().allowed_origins)) return true;
  const auto& req = ctx.request();
  auto origin = ctx.facts().origin;
  // Pre-RFC 6455 websocket drafts name it so.
  if (!origin)
    if (auto i = req.find("Sec-WebSocket-Origin"); i != req.end())
      origin = std::string_view{i->value().data(), i->value().size()};
  const auto host = req[http::field::host];
  return protocol::origin_allowed(ctx.options().allowed_origins, origin,
                                  {host.data(), host.size()});
}

void forbidden_origin(http_connection& conn) {
  // No CORS headers: the page that sent it is not to read the answer.
  http_reply reply{403, {}, "Origin not allowed.\n"};
  reply.set("Content-Type", "text/plain; charset=UTF-8");
  reply.set("Cache-Control", std::string{protocol::no_cache_value});
  reply.set("Vary", "Origin");
  conn.respond(std::move(reply));
}

} // namespace

void dispatch(const std::shared_ptr<http_connection>& conn) {
  const auto& req = conn->request();
  const std::string_view target{req.target().data(), req.target().size()};
  const auto path = protocol::split_target(target).path;
  const auto& server = conn->server();
  if (const auto* file = server.find_file(path)) {
    serve_file(*conn, *file);
    return;
  }
  const auto* service = server.find_service(path);
  if (!service) {
    plain_response(*conn, http::status::not_found,
                   std::string{protocol::not_found_body});
    return;
  }
  const std::string_view method{req.method_string().data(),
                                req.method_string().size()};
  request_context ctx{conn, service,
                      protocol::match_route(service->prefix,
                                            service->transports, method,
                                            target)};
  conn->routed(service, ctx.match.entry, ctx.match.session_id);
  switch (ctx.match.status) {
  case protocol::route_status::not_found:
    not_found(ctx);
    break;
  case protocol::route_status::method_not_allowed:
    method_not_allowed(ctx);
    break;
  case protocol::route_status::found:
    if (origin_allowed(ctx))
      handler_for(ctx.match.entry->action)(ctx);
    else
      forbidden_origin(*conn);
    break;
  }
}

} // namespace sockjs::transport
