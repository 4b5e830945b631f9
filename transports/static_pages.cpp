// Greeting, iframe page, /info and CORS preflights (spec §3.3, §4), and
// the 404/405 answers of the router.
#include "sockjs/protocol/pages.hpp"
#include "sockjs/transports/handlers.hpp"

#include <random>

namespace sockjs::transport {

namespace ct = protocol::content_type;

void greeting(const request_context& ctx) {
  ctx.respond(200, ct::text_plain, std::string{protocol::greeting_body});
}

void iframe_page(const request_context& ctx) {
  const auto& etag = ctx.service->iframe_etag;
  const auto inm = ctx.request()[http::field::if_none_match];
  if (protocol::if_none_match_hits({inm.data(), inm.size()}, etag)) {
    auto res = ctx.response(304, {}, {});
    res.set("ETag", etag);
    ctx.conn->respond(std::move(res));
    return;
  }
  auto res = ctx.response(200, ct::text_html, ctx.service->iframe_page);
  res.set("ETag", etag);
  ctx.conn->respond(std::move(res));
}

void info(const request_context& ctx) {
  thread_local std::mt19937 random{std::random_device{}()};
  const auto entropy = static_cast<std::uint32_t>(random());
  ctx.respond(
      200, ct::json,
      protocol::info_body((ctx.service->transports & protocol::websocket) != 0,
                          ctx.options().jsessionid, entropy));
}

void preflight(const request_context& ctx) {
  auto res = ctx.response(204, {}, {});
  protocol::header_list extra;
  protocol::add_preflight_headers(extra, ctx.match.allow);
  for (auto& [name, value] : extra) res.set(name, std::move(value));
  ctx.conn->respond(std::move(res));
}

void not_found(const request_context& ctx) {
  ctx.respond(404, ct::text_plain, std::string{protocol::not_found_body});
}

void method_not_allowed(const request_context& ctx) {
  auto res = ctx.response(405, {}, {});
  res.set("Allow", ctx.match.allow);
  ctx.conn->respond(std::move(res));
}

} // namespace sockjs::transport
