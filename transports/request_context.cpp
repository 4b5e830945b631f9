#include "transports/request_context.hpp"

#include "protocol/url.hpp"

#include <ctime>

namespace sockjs::transport {

namespace {

std::string_view view(boost::beast::string_view s) {
  return {s.data(), s.size()};
}

template <class Message>
void add_headers(Message& message, const protocol::header_list& headers) {
  for (const auto& [name, value] : headers)
    message.insert(boost::beast::string_view{name.data(), name.size()}, value);
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

http_response request_context::response(unsigned status,
                                        std::string_view content_type,
                                        std::string body) const {
  http_response res{static_cast<http::status>(status), request().version()};
  protocol::header_list headers;
  protocol::apply_header_filters(headers, match.filters, facts(),
                                 options().jsessionid, std::time(nullptr));
  add_headers(res, headers);
  if (!content_type.empty())
    res.set(
        http::field::content_type,
        boost::beast::string_view{content_type.data(), content_type.size()});
  res.body() = std::move(body);
  return res;
}

http::response<http::empty_body>
request_context::held_head(std::string_view content_type) const {
  http::response<http::empty_body> res{http::status::ok, request().version()};
  protocol::header_list headers;
  protocol::apply_header_filters(headers, match.filters, facts(),
                                 options().jsessionid, std::time(nullptr));
  add_headers(res, headers);
  res.set(http::field::content_type,
          boost::beast::string_view{content_type.data(), content_type.size()});
  // Proxies such as nginx must not buffer a stream of frames.
  res.set("X-Accel-Buffering", "no");
  return res;
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
  for (const auto& field : request()) {
    if (field.name() == http::field::cookie) continue;
    out.headers.emplace_back(std::string{field.name_string()},
                             std::string{field.value()});
  }
  return out;
}

} // namespace sockjs::transport
