#include "sockjs/transports/request_context.hpp"

#include "sockjs/protocol/url.hpp"

#include <ctime>

namespace sockjs::transport {

namespace {

std::string_view view(boost::beast::string_view s) {
  return {s.data(), s.size()};
}

} // namespace

std::string_view request_context::target() const {
  return view(request().target());
}

protocol::request_facts request_context::facts() const {
  const auto& req = request();
  protocol::request_facts out;
  if (auto i = req.find(http::field::origin); i != req.end())
    out.origin = view(i->value());
  out.access_control_request_headers =
      view(req[http::field::access_control_request_headers]);
  out.cookie = view(req[http::field::cookie]);
  return out;
}

http_reply request_context::response(unsigned status,
                                     std::string_view content_type,
                                     std::string body) const {
  http_reply reply{status, {}, std::move(body)};
  protocol::apply_header_filters(reply.headers, match.filters, facts(),
                                 options().jsessionid, std::time(nullptr));
  if (!content_type.empty())
    reply.set("Content-Type", std::string{content_type});
  return reply;
}

http_reply request_context::held_head(std::string_view content_type) const {
  auto head = response(200, content_type, {});
  // Proxies such as nginx must not buffer a stream of frames.
  head.set("X-Accel-Buffering", "no");
  return head;
}

void request_context::respond(unsigned status, std::string_view content_type,
                              std::string body) const {
  conn->respond(response(status, content_type, std::move(body)));
}

void request_context::respond_error(std::string_view text) const {
  respond(500, {}, std::string{text});
}

connection_info request_context::info() const {
  connection_info out;
  out.peer_address = conn->peer_address();
  out.peer_port = conn->peer().port();
  out.local_address = conn->local_address();
  out.local_port = conn->local().port();
  out.path = std::string{protocol::split_target(target()).path};
  if (match.entry)
    out.transport = std::string{protocol::transport_name(match.entry->action)};
  // Bounded: a session keeps this as long as it lives.
  for (const auto& field : request()) {
    const std::string_view name{field.name_string().data(),
                                field.name_string().size()};
    if (!protocol::kept_for_info(name)) continue;
    const std::string_view value{field.value().data(), field.value().size()};
    out.headers.emplace_back(
        std::string{name},
        std::string{value.substr(0, protocol::info_value_limit)});
  }
  return out;
}

} // namespace sockjs::transport
